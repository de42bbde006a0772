package dev.deployer.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which image a deploy runs: the one {@code deployer:build} pushed ({@code target/deployer/image.json}), or with
 * {@code -Ddeployer.tag} a tag already in the registry, resolved to its digest by a {@link DigestResolver}.
 */
public final class ImageResolver {

    /** Resolves {@code repository:tag} to the digest the registry serves. */
    @FunctionalInterface
    public interface DigestResolver {
        String digest(String repository, String tag);
    }

    private final DigestResolver digests;

    /**
     * Deploys by the digest the build produced ({@code deployer.digest}, e.g. the build job's output), not by what the
     * tag names now: resolves the tag through {@code current} only to check it still names {@code expected}, and fails
     * — before anything changes — when the tag moved after the build (someone pushed other content under it).
     */
    public static DigestResolver expecting(String expected, DigestResolver current) {
        requireDigest(expected);
        return (repository, tag) -> {
            String now = current.digest(repository, tag);
            if (!expected.equals(now)) {
                throw new DeployerException("The tag " + repository + ":" + tag + " now names " + now + ", not " + expected
                        + ", the digest the build produced: the tag moved after the build; nothing was deployed", "deployer.digest",
                        "find out who pushed to that tag (Deployer never overwrites one), then build and deploy again");
            }
            return expected;
        };
    }

    public ImageResolver(DigestResolver digests) {
        this.digests = digests;
    }

    /**
     * The tag a deploy runs, without asking any registry or engine: {@code tag} when given, else the tag of
     * {@code image.json} in {@code deployerDir} (the same checks as {@link #resolve}). The production guard needs it
     * before any target is created.
     */
    public static String tagOf(Path deployerDir, String tag) {
        return tag != null && !tag.isBlank() ? tag : fromImageJson(deployerDir.resolve("image.json")).tag();
    }

    /** Fails unless {@code digest} is a {@code sha256:} digest ({@code deployer.digest}). */
    public static String requireDigest(String digest) {
        if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
            throw new DeployerException("deployer.digest '" + digest + "' is not a sha256 digest", "deployer.digest",
                    "give the digest deployer:build reported (image.json's digest, the build job's digest output): sha256:<64 hex>");
        }
        return digest;
    }

    public ImageRef resolve(DeployRequest request) {
        Path imageJson = request.deployerDir().resolve("image.json");
        if (request.tag() == null || request.tag().isBlank()) {
            return fromImageJson(imageJson);
        }
        String repository = request.repository();
        if ((repository == null || repository.isBlank()) && Files.exists(imageJson)) {
            repository = read(imageJson).path("image").asText(null);
        }
        if (repository == null || repository.isBlank()) {
            throw new DeployerException("Deploying tag " + request.tag() + " needs the image repository", "deployer.image",
                    "set <image> in the plugin configuration or -Ddeployer.image=<registry>/<repository>");
        }
        return new ImageRef(repository, request.tag(), digests.digest(repository, request.tag()));
    }

    private static ImageRef fromImageJson(Path imageJson) {
        if (!Files.exists(imageJson)) {
            throw new DeployerException("There is no " + imageJson + " to deploy", "deployer.tag",
                    "build and push first (./mvnw package runs deployer:build), or deploy an image already in the registry"
                            + " with -Ddeployer.tag=<commit sha>");
        }
        JsonNode json = read(imageJson);
        if (!json.path("pushed").asBoolean(false)) {
            throw new DeployerException("The image in image.json was built but not pushed", imageJson.toString(),
                    "push it (deployer:build with push enabled) before deploying: the target pulls from the registry");
        }
        String digest = json.path("digest").asText("");
        String tag = json.path("tags").path(0).asText("");
        if (!digest.matches("sha256:[0-9a-f]{64}") || tag.isEmpty() || json.path("image").asText("").isEmpty()) {
            throw new DeployerException("image.json lacks image, tags or a sha256 digest", imageJson.toString(),
                    "run deployer:build again");
        }
        return new ImageRef(json.path("image").asText(), tag, digest);
    }

    private static JsonNode read(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new DeployerException("Cannot read " + file + ": " + e.getMessage(), file.toString(), "run deployer:build again");
        }
    }
}
