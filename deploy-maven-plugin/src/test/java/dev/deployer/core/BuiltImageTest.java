package dev.deployer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltImageTest {

    @TempDir
    Path dir;

    private static final String SHA = "4f1c2e9a7b3d5f60718293a4b5c6d7e8f9012345";
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void writesWhatItReads() {
        BuiltImage image = new BuiltImage("ghcr.io/acme/shop", List.of(SHA, "main"), DIGEST, true);
        Path file = dir.resolve("deployer/image.json");
        image.write(file);
        assertEquals(image, BuiltImage.read(file, "target/deployer/image.json"));
        assertEquals(new ImageRef("ghcr.io/acme/shop", SHA, DIGEST), image.ref());
    }

    private BuiltImage read(String json) throws Exception {
        Path file = dir.resolve("image.json");
        Files.writeString(file, json);
        return BuiltImage.read(file, "target/deployer/image.json");
    }

    @Test
    void readsWhatTheBuildGoalWrites() throws Exception {
        BuiltImage image = read("{\"image\": \"ghcr.io/acme/shop\", \"tags\": [\"" + SHA + "\", \"main\"],"
                + " \"digest\": \"" + DIGEST + "\", \"pushed\": true}");
        assertEquals(new BuiltImage("ghcr.io/acme/shop", List.of(SHA, "main"), DIGEST, true), image);
        assertEquals(SHA, image.tag());
    }

    @Test
    void digestMayBeNullOrMissingBeforeAPush() throws Exception {
        assertNull(read("{\"image\": \"a/b\", \"tags\": [\"t\"], \"digest\": null, \"pushed\": false}").digest());
        assertNull(read("{\"image\": \"a/b\", \"tags\": [\"t\"]}").digest());
    }

    @Test
    void malformedRecordsFailNamingTheFileAndTheFix() {
        for (String json : List.of("{", "{\"image\": \"a/b\", \"tags\": []}", "{\"tags\": [\"t\"]}",
                "{\"image\": \"a/b\", \"tags\": [\"t\"], \"digest\": \"md5:abc\"}")) {
            DeployerException e = assertThrows(DeployerException.class, () -> read(json), json);
            assertEquals("target/deployer/image.json", e.location());
            assertTrue(e.problem().startsWith("Cannot read the image record: "), e.problem());
            assertTrue(e.fix().contains("deployer:build"), e.fix());
        }
    }
}
