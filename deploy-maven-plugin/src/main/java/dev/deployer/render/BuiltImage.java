package dev.deployer.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.DeployerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code deployer:build} recorded in {@code target/deployer/image.json}:
 * {@code {"image": "<repository>", "tags": [...], "digest": "sha256:…", "outcome": "pushed|already-present|tarball|docker",
 * "pushed": true|false}}.
 *
 * @param image   the repository
 * @param tags    the tags, the commit SHA first
 * @param digest  the manifest digest, or null
 * @param pushed  whether the image is in the registry (pushed by this build or already there)
 */
public record BuiltImage(String image, List<String> tags, String digest, boolean pushed) {

    public BuiltImage {
        Objects.requireNonNull(image, "image");
        tags = List.copyOf(tags);
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("an image needs at least one tag");
        }
    }

    /** The first tag: the commit SHA. */
    public String tag() {
        return tags.get(0);
    }

    /**
     * Whether the image is in the registry: {@code "outcome"} {@code pushed} or {@code already-present}; for a file
     * without {@code "outcome"} (the earlier format), {@code "pushed": true}.
     */
    public static boolean inRegistry(JsonNode root) {
        JsonNode outcome = root.path("outcome");
        if (outcome.isTextual()) {
            return outcome.asText().equals("pushed") || outcome.asText().equals("already-present");
        }
        return root.path("pushed").asBoolean(false);
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
            return new BuiltImage(image.asText(), tagList, digestText, inRegistry(root));
        } catch (IOException | IllegalArgumentException e) {
            throw new DeployerException("Cannot read the image record: " + e.getMessage(), displayName,
                    "run deployer:build again to rewrite it, or delete it (mvn clean) to render with the git commit as tag");
        }
    }
}
