package dev.deployer.image;

import dev.deployer.core.BuiltImage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code deployer:build} made, as written to {@code target/deployer/image.json}.
 *
 * @param image   the repository
 * @param tags    the tags, the commit's first
 * @param digest  the manifest digest, {@code sha256:...}
 * @param pushed  whether the image is in the registry under these tags (pushed now, or found there already)
 * @param outcome what happened, for the summary line
 */
public record ImageResult(String image, List<String> tags, String digest, boolean pushed, Outcome outcome) {

    /** What happened to the image. */
    public enum Outcome {
        PUSHED("pushed"),
        ALREADY_PUSHED("already in the registry with this digest, push skipped"),
        TARBALL("written to target/deployer/image.tar (docker load -i target/deployer/image.tar)"),
        DOCKER("loaded into the local Docker engine");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public ImageResult {
        Objects.requireNonNull(image, "image");
        tags = List.copyOf(tags);
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The reference a deploy uses: {@code repository:tag@digest}. */
    public String ref() {
        return image + ":" + tags.get(0) + "@" + digest;
    }

    /** Writes {@code image.json} through its one owner, {@link BuiltImage}. */
    public void write(Path file) {
        new BuiltImage(image, tags, digest, pushed).write(file);
    }
}
