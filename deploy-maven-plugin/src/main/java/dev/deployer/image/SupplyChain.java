package dev.deployer.image;

import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What {@code deployer:build} adds after the image: the CycloneDX SBOM ({@code target/deployer/sbom.cdx.json}),
 * attached to the pushed digest ({@code sha256-<hex>.sbom}), and with {@code DEPLOYER_SIGNING_KEY} cosign signatures
 * of the image digest and of the SBOM artifact ({@code sha256-<hex>.sig}). Re-running for the same digest changes
 * nothing in the registry.
 */
public final class SupplyChain {

    /** The SBOM's media type (layer and artifact type). */
    public static final String SBOM_TYPE = "application/vnd.cyclonedx+json";

    private final Log log;
    private final CredentialChain credentials;
    private final RegistryProbe probe;

    public SupplyChain(Log log, CredentialChain credentials, RegistryProbe probe) {
        this.log = log;
        this.credentials = credentials;
        this.probe = probe;
    }

    /**
     * The signing key from {@code DEPLOYER_SIGNING_KEY}, masked in GitHub Actions' log and checked, or empty when the
     * variable is not set. Call it before building, so that a bad key fails before anything is pushed.
     */
    public static Optional<SigningKey> signingKey(Function<String, String> env, GitHubActions github) {
        String pem = env.apply(SigningKey.ENV);
        if (pem == null || pem.isBlank()) {
            return Optional.empty();
        }
        Secret secret = Secret.of(SigningKey.ENV, pem);
        github.mask(secret);
        return Optional.of(SigningKey.parse(secret));
    }

    /**
     * Writes the SBOM and, when the image was pushed, attaches it and signs.
     *
     * @return the SBOM file
     */
    public Path publish(ImageRequest request, ImageResult image, List<SbomDependency> dependencies,
                        Optional<SigningKey> key) {
        BaseImage base = BaseImage.parse(request.baseImage(), request.project().basedir());
        Optional<String> baseDigest = baseDigest(base, image.image().substring(0, image.image().indexOf('/')));
        String sbom = Sbom.json(request.project(), dependencies, image, request.baseImage(), baseDigest,
                request.git().commitTime());
        Path file = request.project().deployerDir().resolve("sbom.cdx.json");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sbom);
        } catch (IOException e) {
            throw DeployerException.of("Cannot write " + file + ": " + e.getMessage(), "check target/ is writable");
        }
        log.info("SBOM (CycloneDX 1.6, " + dependencies.size() + " dependencies, base " + request.baseImage()
                + baseDigest.map(digest -> "@" + digest).orElse("") + "): " + file);
        if (!image.pushed()) {
            key.ifPresent(found -> log.info("Not signing: the image was not pushed (signatures live in the registry)"));
            return file;
        }
        ImageReferenceParts target = ImageReferenceParts.of(image.image());
        RegistrySession session = probe.check(target.registry(), target.repository(),
                credentials.find(target.registry(), true), true, credentials.sources(target.registry(), true),
                "deployer.image");
        OciArtifacts artifacts = new OciArtifacts(new RegistryManifests(session), target.repository());
        byte[] bytes = sbom.getBytes(StandardCharsets.UTF_8);
        String layerDigest = RegistryManifests.sha256(bytes);
        Optional<RegistryManifests.Manifest> existing = artifacts.find(image.digest(), "sbom");
        String sbomManifest;
        if (existing.isPresent() && existing.get().json().path("layers").path(0).path("digest").asText().equals(layerDigest)) {
            sbomManifest = existing.get().digest();
            log.info("SBOM already attached: " + image.image() + ":" + OciArtifacts.tag(image.digest(), "sbom"));
        } else {
            sbomManifest = artifacts.put(image.digest(), "sbom", SBOM_TYPE, List.of(new OciArtifacts.Layer(SBOM_TYPE,
                    bytes, Map.of("org.opencontainers.image.title", "sbom.cdx.json"))));
            log.info("SBOM attached: " + image.image() + ":" + OciArtifacts.tag(image.digest(), "sbom") + " ("
                    + sbomManifest + ")");
        }
        if (key.isPresent()) {
            for (String digest : List.of(image.digest(), sbomManifest)) {
                boolean added = Cosign.sign(artifacts, image.image(), digest, key.get());
                log.info((added ? "Signed " : "Already signed by this key: ") + image.image() + "@" + digest + " ("
                        + image.image() + ":" + OciArtifacts.tag(digest, Cosign.SUFFIX) + ")");
            }
        }
        return file;
    }

    private Optional<String> baseDigest(BaseImage base, String targetRegistry) {
        if (base.kind() != BaseImage.Kind.REGISTRY) {
            return Optional.empty();
        }
        if (base.reference().getDigest().isPresent()) {
            return base.reference().getDigest();
        }
        String registry = base.reference().getRegistry();
        RegistrySession session = probe.check(registry, base.reference().getRepository(),
                credentials.find(registry, registry.equals(targetRegistry)), false,
                credentials.sources(registry, registry.equals(targetRegistry)), "deployer.baseImage");
        return session.digest(base.reference().getRepository(), base.reference().getTag().orElse("latest"));
    }

    /** {@code host[:port]/path} split. */
    private record ImageReferenceParts(String registry, String repository) {
        static ImageReferenceParts of(String image) {
            int slash = image.indexOf('/');
            return new ImageReferenceParts(image.substring(0, slash), image.substring(slash + 1));
        }
    }
}
