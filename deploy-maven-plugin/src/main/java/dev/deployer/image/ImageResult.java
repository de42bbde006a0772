package dev.deployer.image;

import dev.deployer.core.BuiltImage;
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
 * @param platforms for a multi-platform image (an index; {@code digest} is the index's): each platform
 *                  ({@code os/architecture[/variant]}) and its manifest's digest; empty for a single image
 */
public record ImageResult(String image, List<String> tags, String digest, boolean pushed, Outcome outcome,
                          Map<String, String> platforms) {

    /** What happened to the image. */
    public enum Outcome {
        PUSHED("pushed", "pushed"),
        ALREADY_PUSHED("already-present", "already in the registry with this digest, push skipped"),
        TARBALL("tarball", "written to target/deployer/image.tar (docker load -i target/deployer/image.tar)"),
        DOCKER("docker", "loaded into the local Docker engine");

        private final String json;
        private final String text;

        Outcome(String json, String text) {
            this.json = json;
            this.text = text;
        }

        /** The value of {@code "outcome"} in image.json. */
        public String json() {
            return json;
        }

        public String text() {
            return text;
        }

        /** The outcome of an image.json value; null when unknown (a file written before {@code "outcome"} existed). */
        public static Outcome ofJson(String value) {
            for (Outcome outcome : values()) {
                if (outcome.json.equals(value)) {
                    return outcome;
                }
            }
            return null;
        }
    }

    public ImageResult {
        Objects.requireNonNull(image, "image");
        tags = List.copyOf(tags);
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        Objects.requireNonNull(outcome, "outcome");
        platforms = platforms == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(platforms));
    }

    /** A single-platform image. */
    public ImageResult(String image, List<String> tags, String digest, boolean pushed, Outcome outcome) {
        this(image, tags, digest, pushed, outcome, Map.of());
    }

    /** True when {@code digest} names an index of several platform images. */
    public boolean multiPlatform() {
        return !platforms.isEmpty();
    }

    /** The reference a deploy uses: {@code repository:tag@digest}. */
    public String ref() {
        return image + ":" + tags.get(0) + "@" + digest;
    }

    /** Writes {@code image.json} through its one owner, {@link BuiltImage}. */
    public void write(Path file) {
        new BuiltImage(image, tags, digest, outcome.json(), platforms).write(file);
    }

    /** Reads an {@code image.json} written by {@link #write}. */
    public static ImageResult read(Path file) {
        BuiltImage built = BuiltImage.read(file, file.toString());
        Outcome outcome = Outcome.ofJson(built.outcome());
        return new ImageResult(built.image(), built.tags(), built.digest(), built.pushed(),
                outcome != null ? outcome : built.pushed() ? Outcome.PUSHED : Outcome.TARBALL, built.platforms());
    }
}
