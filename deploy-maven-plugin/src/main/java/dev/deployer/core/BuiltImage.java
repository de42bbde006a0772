package dev.deployer.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code deployer:build} recorded in {@code target/deployer/image.json}:
 * {@code {"image": "<repository>", "tags": [...], "digest": "sha256:…", "pushed": true|false}}. The one owner of that
 * file: the build writes it ({@link #write}), the render and the deploy read it ({@link #read}).
 *
 * @param image   the repository
 * @param tags    the tags, the commit SHA first
 * @param digest  the manifest digest, or null
 * @param pushed  whether the image was pushed
 */
public record BuiltImage(String image, List<String> tags, String digest, boolean pushed) {

    public BuiltImage {
        Objects.requireNonNull(image, "image");
        tags = List.copyOf(tags);
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("an image needs at least one tag");
        }
    }

    /** The file's name under {@code target/deployer/}. */
    public static final String FILE = "image.json";

    /** The image as a reference (repository, the first tag, the digest when known). */
    public ImageRef ref() {
        return new ImageRef(image, tag(), digest);
    }

    /** Writes the record to {@code file}. */
    public void write(Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("image", image);
        json.put("tags", tags);
        json.put("digest", digest);
        json.put("pushed", pushed);
        try {
            Files.createDirectories(file.getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new DeployerException("Cannot write " + file + ": " + e.getMessage(), file.toString(),
                    "check that the build directory is writable");
        }
    }

    /** The first tag: the commit SHA. */
    public String tag() {
        return tags.get(0);
    }

    /** Reads {@code file}; fails naming the file and the fix when it is not what the build goal writes. */
    public static BuiltImage read(Path file, String displayName) {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(file));
            JsonNode image = root.path("image");
            JsonNode tags = root.path("tags");
            JsonNode digest = root.path("digest");
            if (!image.isTextual() || !tags.isArray() || tags.isEmpty() || !(digest.isTextual() || digest.isNull()
                    || digest.isMissingNode())) {
                throw new IllegalArgumentException("expected {\"image\": \"…\", \"tags\": [\"…\"], \"digest\": \"sha256:…\"}");
            }
            List<String> tagList = new ArrayList<>();
            tags.forEach(tag -> tagList.add(tag.asText()));
            String digestText = digest.isTextual() ? digest.asText() : null;
            if (digestText != null && !digestText.matches("sha256:[0-9a-f]{64}")) {
                throw new IllegalArgumentException("\"digest\" is not a sha256 digest: " + digestText);
            }
            return new BuiltImage(image.asText(), tagList, digestText, root.path("pushed").asBoolean(false));
        } catch (IOException | IllegalArgumentException e) {
            throw new DeployerException("Cannot read the image record: " + e.getMessage(), displayName,
                    "run deployer:build again to rewrite it, or delete it (mvn clean) to render with the git commit as tag");
        }
    }
}
