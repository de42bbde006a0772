package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.BuiltImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** image.json says what happened ("outcome"); "pushed" stays for earlier readers and means "in the registry". */
class ImageResultTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path tmp;

    private JsonNode written(ImageResult.Outcome outcome, boolean inRegistry) throws Exception {
        Path file = tmp.resolve(outcome.json() + "/image.json");
        new ImageResult("127.0.0.1:5443/acme/shop", List.of("abc"), DIGEST, inRegistry, outcome).write(file);
        assertEquals(outcome, ImageResult.read(file).outcome());
        assertEquals(inRegistry, ImageResult.read(file).pushed());
        assertEquals(inRegistry, BuiltImage.read(file, "image.json").pushed());
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void eachOutcomeIsWrittenAndReadBack() throws Exception {
        JsonNode pushed = written(ImageResult.Outcome.PUSHED, true);
        assertEquals("pushed", pushed.get("outcome").asText());
        assertTrue(pushed.get("pushed").asBoolean());
        JsonNode present = written(ImageResult.Outcome.ALREADY_PUSHED, true);
        assertEquals("already-present", present.get("outcome").asText());
        assertTrue(present.get("pushed").asBoolean(), "in the registry: earlier readers still deploy it");
        assertEquals("tarball", written(ImageResult.Outcome.TARBALL, false).get("outcome").asText());
        assertEquals("docker", written(ImageResult.Outcome.DOCKER, false).get("outcome").asText());
    }

    @Test
    void aFileOfTheEarlierFormatIsStillRead() throws Exception {
        Path file = tmp.resolve("image.json");
        Files.writeString(file, "{\"image\": \"r/x\", \"tags\": [\"abc\"], \"digest\": \"" + DIGEST + "\", \"pushed\": true}");
        assertEquals(ImageResult.Outcome.PUSHED, ImageResult.read(file).outcome());
        assertTrue(BuiltImage.read(file, "image.json").pushed());
        Files.writeString(file, "{\"image\": \"r/x\", \"tags\": [\"abc\"], \"digest\": \"" + DIGEST + "\", \"pushed\": false}");
        assertEquals(ImageResult.Outcome.TARBALL, ImageResult.read(file).outcome());
        assertFalse(BuiltImage.read(file, "image.json").pushed());
    }
}
