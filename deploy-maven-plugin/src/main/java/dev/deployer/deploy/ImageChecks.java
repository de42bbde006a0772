package dev.deployer.deploy;

import java.util.List;

/**
 * What a deploy checks about the exact image it is about to run, before the lock: its platforms (for the
 * {@link ArchitectureCheck}) and its signature. The registry is {@code dev.deployer.image}'s business, so the mojo
 * injects an implementation (as it injects {@link ImageResolver.DigestResolver}); {@link #NONE} checks nothing.
 */
public interface ImageChecks {

    /** Checks nothing: no architecture check, no signature verification. */
    ImageChecks NONE = new ImageChecks() {
        @Override
        public boolean readsPlatforms() {
            return false;
        }

        @Override
        public List<String> platforms(String repository, String digest) {
            return List.of();
        }

        @Override
        public boolean verifiesSignatures() {
            return false;
        }

        @Override
        public String verifySignature(String repository, String digest) {
            throw new IllegalStateException("no public key to verify with");
        }
    };

    /** Whether the image's platforms can be read (else no architecture check is made). */
    default boolean readsPlatforms() {
        return true;
    }

    /**
     * The platforms ({@code os/architecture[/variant]}) of {@code repository@digest}: from image.json when it
     * describes that digest, else from the registry. Read-only.
     */
    List<String> platforms(String repository, String digest);

    /** {@link #platforms} as the equivalent CLI look-up (a dry run prints it). */
    default String describePlatforms(String repository, String digest) {
        return "docker buildx imagetools inspect " + repository + "@" + (digest == null ? "<digest>" : digest)
                + "  # the image's platforms (image.json's when it records them)";
    }

    /** Whether signatures are verified ({@code deployer.verify.publicKey} is set). */
    boolean verifiesSignatures();

    /**
     * Whether a failed verification refuses the deploy ({@code deployer.verify.enforce}; default: in production only);
     * when not, the result is reported as a warning and the deploy goes on.
     */
    default boolean enforcesSignatures() {
        return true;
    }

    /**
     * Verifies that {@code repository@digest} is signed by the configured key; throws
     * {@link dev.deployer.core.DeployerException} naming the parameter and the fix when it is not. Returns what was
     * verified, for the log. Read-only.
     */
    String verifySignature(String repository, String digest);

    /** {@link #verifySignature} as the equivalent CLI command (a dry run prints it). */
    default String describeSignature(String repository, String digest) {
        return "cosign verify --key <deployer.verify.publicKey> " + repository + "@" + (digest == null ? "<digest>" : digest);
    }
}
