package dev.deployer.image;

import dev.deployer.core.DeployerException;
import dev.deployer.deploy.ImageChecks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The checks a deploy makes of its image before the lock, against the registry: the image's platforms (image.json's
 * when it records them for that digest, else the registry's manifest) and, with {@code deployer.verify.publicKey},
 * its cosign signature ({@link SignatureVerifier}). Only reads.
 */
public final class RegistryImageChecks implements ImageChecks {

    private final ImagePlatforms platforms;
    private final SignatureVerifier verifier;
    private final Path imageJson;
    private final String publicKeyPem;
    private final boolean enforce;

    /**
     * @param imageJson    {@code target/deployer/image.json} (may not exist)
     * @param publicKeyPem the PEM public key, or null: no signature verification
     * @param enforce      whether a failed verification refuses the deploy
     */
    public RegistryImageChecks(ImagePlatforms platforms, SignatureVerifier verifier, Path imageJson, String publicKeyPem,
            boolean enforce) {
        this.platforms = platforms;
        this.verifier = verifier;
        this.imageJson = imageJson;
        this.publicKeyPem = publicKeyPem;
        this.enforce = enforce;
        if (publicKeyPem != null) {
            SigningKey.publicKey(publicKeyPem); // a bad key fails before anything is read or changed
        }
    }

    /** On {@code credentials}' registries. */
    public RegistryImageChecks(CredentialChain credentials, Path imageJson, String publicKeyPem, boolean enforce) {
        this(new ImagePlatforms(new RegistryProbe(RegistryDigests.BUDGET), credentials),
                new SignatureVerifier(new RegistryProbe(RegistryDigests.BUDGET), credentials), imageJson, publicKeyPem, enforce);
    }

    /**
     * {@code deployer.verify.publicKey}'s value as PEM text: the value itself when it is PEM, else the file it names
     * (relative to {@code basedir}); null when unset.
     */
    public static String publicKeyPem(String value, Path basedir) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.contains("-----BEGIN")) {
            return text;
        }
        try {
            Path file = basedir.resolve(text);
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII);
            }
        } catch (InvalidPathException | IOException e) {
            // reported below
        }
        throw new DeployerException("deployer.verify.publicKey is neither PEM text nor a readable PEM file: '" + text + "'",
                "deployer.verify.publicKey", "give the public key's PEM text (-----BEGIN PUBLIC KEY-----...) or the path of"
                        + " a .pem file holding it (openssl pkey -in signing.pem -pubout > deployer.pub.pem)");
    }

    @Override
    public List<String> platforms(String repository, String digest) {
        return ImagePlatforms.fromImageJson(imageJson, digest).orElseGet(() -> platforms.fromRegistry(repository, digest));
    }

    @Override
    public boolean verifiesSignatures() {
        return publicKeyPem != null;
    }

    @Override
    public boolean enforcesSignatures() {
        return enforce;
    }

    @Override
    public String verifySignature(String repository, String digest) {
        SignatureVerifier.Verified verified = verifier.verify(repository, digest, publicKeyPem);
        return verified.image() + " is signed by the key in deployer.verify.publicKey (" + repository + ":" + verified.tag() + ")";
    }
}
