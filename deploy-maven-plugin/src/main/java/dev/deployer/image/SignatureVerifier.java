package dev.deployer.image;

import dev.deployer.core.DeployerException;
import java.security.PublicKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies, before a deploy changes anything, that the exact digest about to be deployed carries a cosign signature
 * ({@link Cosign}) by the key whose public half is {@code deployer.verify.publicKey}. Refuses an unsigned image, one
 * signed only by other keys, and one whose signature names another digest (the image under the tag was replaced
 * after signing, and a signature copied along). Only reads the registry.
 */
public final class SignatureVerifier {

    /**
     * A verified image.
     *
     * @param image  {@code repository@digest}
     * @param tag    the signature artifact's tag, {@code sha256-<hex>.sig}
     */
    public record Verified(String image, String tag) {
    }

    private final RegistryProbe probe;
    private final CredentialChain credentials;

    public SignatureVerifier(RegistryProbe probe, CredentialChain credentials) {
        this.probe = probe;
        this.credentials = credentials;
    }

    /**
     * Verifies {@code repository@digest} against {@code publicKeyPem}; throws when it is not signed by that key.
     *
     * @param repository   {@code host[:port]/path}
     * @param digest       the manifest (or index) digest being deployed
     * @param publicKeyPem {@code deployer.verify.publicKey}: the PEM text
     */
    public Verified verify(String repository, String digest, String publicKeyPem) {
        PublicKey key = SigningKey.publicKey(publicKeyPem);
        RegistryProbe.Reading reading = probe.read(repository, credentials, "deployer.image");
        return verify(new OciArtifacts(new RegistryManifests(reading.session()), reading.path()), repository, digest, key);
    }

    static Verified verify(OciArtifacts artifacts, String repository, String digest, PublicKey key) {
        String image = repository + "@" + digest;
        String tag = OciArtifacts.tag(digest, Cosign.SUFFIX);
        List<Cosign.Found> signatures = Cosign.signatures(artifacts, digest);
        if (signatures.isEmpty()) {
            throw new DeployerException("Image " + image + " is not signed (no " + repository + ":" + tag
                    + " signature). Nothing was changed", "deployer.verify.publicKey",
                    "build and push it with DEPLOYER_SIGNING_KEY set (deployer:build signs the pushed digest), or deploy"
                            + " an image that was");
        }
        Set<String> otherDigests = new LinkedHashSet<>();
        for (Cosign.Found found : signatures) {
            if (!found.verifies(key)) {
                continue;
            }
            Optional<String> signed = Cosign.signedDigest(found.payload());
            if (signed.equals(Optional.of(digest))) {
                return new Verified(image, tag);
            }
            signed.ifPresent(otherDigests::add);
        }
        if (!otherDigests.isEmpty()) {
            throw new DeployerException("Image " + image + " is not the image that was signed: the signature under "
                    + tag + " is for " + String.join(", ", otherDigests) + " (the image was replaced after signing)."
                    + " Nothing was changed", "deployer.verify.publicKey",
                    "find out who replaced the image; deploy only an image built, pushed and signed by the pipeline");
        }
        throw new DeployerException("Image " + image + " is signed (" + signatures.size() + " signature"
                + (signatures.size() == 1 ? "" : "s") + " under " + tag + "), but not by the key in"
                + " deployer.verify.publicKey. Nothing was changed", "deployer.verify.publicKey",
                "check that deployer.verify.publicKey is the public half of the DEPLOYER_SIGNING_KEY the build used");
    }
}
