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
 * {@code {"image": "<repository>", "tags": [...], "digest": "sha256:…", "outcome": "pushed|already-present|promoted|tarball|docker",
 * "pushed": true|false}}, and for a multi-platform image {@code "platforms": {"linux/amd64": "sha256:…", …}} (the
 * digest is then the index's). The one owner of that file: the build writes it ({@link #write}), the render and the
 * deploy read it ({@link #read}).
 *
 * @param image     the repository
 * @param tags      the tags, the commit SHA first
 * @param digest    the manifest (or index) digest, or null
 * @param outcome   what the build did: {@code pushed}, {@code already-present}, {@code tarball} or {@code docker}
 * @param platforms each platform's manifest digest for a multi-platform image, else empty
 */
public record BuiltImage(String image, List<String> tags, String digest, String outcome, Map<String, String> platforms) {

    /** The file's name under {@code target/deployer/}. */
    public static final String FILE = "image.json";

    public BuiltImage {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(outcome, "outcome");
        tags = List.copyOf(tags);
        platforms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(platforms));
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("an image needs at least one tag");
        }
    }

    /** A single-platform image that was pushed, or only built ({@code tarball}). */
    public BuiltImage(String image, List<String> tags, String digest, boolean pushed) {
        this(image, tags, digest, pushed ? "pushed" : "tarball", Map.of());
    }

    /** Whether the image is in the registry: pushed by this build, already there, or promoted (read from it). */
    public boolean pushed() {
        return "pushed".equals(outcome) || "already-present".equals(outcome) || "promoted".equals(outcome);
    }

    /** The image as a reference (repository, the first tag, the digest when known). */
    public ImageRef ref() {
        return new ImageRef(image, tag(), digest);
    }

    /** The first tag: the commit SHA. */
    public String tag() {
        return tags.get(0);
    }

    /** Writes the record to {@code file}; {@code "pushed"} stays for readers of the earlier format. */
    public void write(Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("image", image);
        json.put("tags", tags);
        json.put("digest", digest);
        json.put("outcome", outcome);
        json.put("pushed", pushed());
        if (!platforms.isEmpty()) {
            json.put("platforms", platforms);
        }
        try {
            Files.createDirectories(file.getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new DeployerException("Cannot write " + file + ": " + e.getMessage(), file.toString(),
                    "check that the build directory is writable");
        }
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
            // a file without "outcome" is of the earlier format: "pushed" alone says whether it is in the registry
            String outcome = root.path("outcome").isTextual() ? root.path("outcome").asText()
                    : root.path("pushed").asBoolean(false) ? "pushed" : "tarball";
            Map<String, String> platforms = new LinkedHashMap<>();
            root.path("platforms").fields().forEachRemaining(e -> platforms.put(e.getKey(), e.getValue().asText()));
            return new BuiltImage(image.asText(), tagList, digestText, outcome, platforms);
        } catch (IOException | IllegalArgumentException e) {
            throw new DeployerException("Cannot read the image record: " + e.getMessage(), displayName,
                    "run deployer:build again to rewrite it, or delete it (mvn clean) to render with the git commit as tag");
        }
    }
}
