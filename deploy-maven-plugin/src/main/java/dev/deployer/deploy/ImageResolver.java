package dev.deployer.deploy;

import dev.deployer.core.BuiltImage;
import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;
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

        /** The look-up as the equivalent CLI command: what a dry run prints instead of asking the registry. */
        default String describe(String repository, String tag) {
            return "# ask the registry for the digest of " + repository + ":" + tag;
        }
    }

    private final DigestResolver digests;

    /**
     * Deploys by the digest the build produced ({@code deployer.digest}, e.g. the build job's output), not by what the
     * tag names now: resolves the tag through {@code current} only to check it still names {@code expected}, and fails
     * — before anything changes — when the tag moved after the build (someone pushed other content under it).
     */
    public static DigestResolver expecting(String expected, DigestResolver current) {
        requireDigest(expected);
        return new DigestResolver() {
            @Override
            public String digest(String repository, String tag) {
                String now = current.digest(repository, tag);
                if (!expected.equals(now)) {
                    throw new DeployerException("The tag " + repository + ":" + tag + " now names " + now + ", not " + expected
                            + ", the digest the build produced: the tag moved after the build; nothing was deployed",
                            "deployer.digest",
                            "find out who pushed to that tag (Deployer never overwrites one), then build and deploy again");
                }
                return expected;
            }

            @Override
            public String describe(String repository, String tag) {
                return current.describe(repository, tag) + "  # must be " + expected + " (deployer.digest)";
            }
        };
    }

    public ImageResolver(DigestResolver digests) {
        this.digests = digests;
    }

    /** The look-up of {@code -Ddeployer.tag}'s digest as a CLI command, or null when the image comes from image.json. */
    public String describe(DeployRequest request) {
        return hasTag(request) ? digests.describe(repository(request), request.tag()) : null;
    }

    /**
     * The image of {@code request}; with {@code -Ddeployer.tag} and {@code lookUp} false the digest stays unknown (a
     * dry run prints the registry look-up instead of making it).
     */
    public ImageRef resolve(DeployRequest request, boolean lookUp) {
        if (hasTag(request) && !lookUp) {
            return new ImageRef(repository(request), request.tag(), null);
        }
        return resolve(request);
    }

    private static boolean hasTag(DeployRequest request) {
        return request.tag() != null && !request.tag().isBlank();
    }

    public ImageRef resolve(DeployRequest request) {
        if (!hasTag(request)) {
            return fromImageJson(request.deployerDir().resolve(BuiltImage.FILE));
        }
        String repository = repository(request);
        return new ImageRef(repository, request.tag(), digests.digest(repository, request.tag()));
    }

    /**
     * The tag a deploy runs, without asking any registry or engine: {@code tag} when given, else the tag of
     * {@code image.json} in {@code deployerDir} (the same checks as {@link #resolve}). The production guard needs it
     * before any target is created.
     */
    public static String tagOf(Path deployerDir, String tag) {
        return tag != null && !tag.isBlank() ? tag : fromImageJson(deployerDir.resolve(BuiltImage.FILE)).tag();
    }

    /** Fails unless {@code digest} is a {@code sha256:} digest ({@code deployer.digest}). */
    public static String requireDigest(String digest) {
        if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
            throw new DeployerException("deployer.digest '" + digest + "' is not a sha256 digest", "deployer.digest",
                    "give the digest deployer:build reported (image.json's digest, the build job's digest output): sha256:<64 hex>");
        }
        return digest;
    }

    private static ImageRef fromImageJson(Path imageJson) {
        if (!Files.exists(imageJson)) {
            throw new DeployerException("There is no " + imageJson + " to deploy", "deployer.tag",
                    "build and push first (./mvnw package runs deployer:build), or deploy an image already in the registry"
                            + " with -Ddeployer.tag=<commit sha>");
        }
        BuiltImage built = BuiltImage.read(imageJson, imageJson.toString());
        if (!built.pushed()) {
            throw new DeployerException("The image in image.json was built but is not in a registry (outcome \""
                    + built.outcome() + "\")", imageJson.toString(),
                    "push it (deployer:build with push enabled) before deploying: the target pulls from the registry");
        }
        if (built.digest() == null) {
            throw new DeployerException("image.json records no sha256 digest", imageJson.toString(), "run deployer:build again");
        }
        return built.ref();
    }

    private static String repository(DeployRequest request) {
        Path imageJson = request.deployerDir().resolve(BuiltImage.FILE);
        String repository = request.repository();
        if ((repository == null || repository.isBlank()) && Files.exists(imageJson)) {
            repository = BuiltImage.read(imageJson, imageJson.toString()).image();
        }
        if (repository == null || repository.isBlank()) {
            throw new DeployerException("Deploying tag " + request.tag() + " needs the image repository", "deployer.image",
                    "set <image> in the plugin configuration or -Ddeployer.image=<registry>/<repository>");
        }
        return repository;
    }
}
