package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The image checks without a registry: the image's platforms and its signature are what the test sets; each look-up
 * is recorded in the target's events as the line a dry run prints ({@code fake platforms …}, {@code fake verify …}).
 */
final class FakeImageChecks implements ImageChecks {

    private final FakeTarget target;
    volatile List<String> platforms = List.of("linux/amd64");
    /** null: no public key (no verification); else whether the image is signed by it. */
    volatile Boolean signed;
    volatile boolean enforce = true;
    /** When set, {@link #platforms} throws it (a registry that cannot be read). */
    volatile DeployerException platformsFail;
    /** Counted down by the first {@link #verifySignature} look-up. */
    final CountDownLatch signatureRead = new CountDownLatch(1);
    /** Counted down by the first {@link #platforms} look-up. */
    final CountDownLatch platformsRead = new CountDownLatch(1);

    FakeImageChecks(FakeTarget target) {
        this.target = target;
    }

    @Override
    public List<String> platforms(String repository, String digest) {
        target.events.add(describePlatforms(repository, digest));
        platformsRead.countDown();
        if (platformsFail != null) {
            throw platformsFail;
        }
        return platforms;
    }

    @Override
    public String describePlatforms(String repository, String digest) {
        return "fake platforms " + repository + "@" + (digest == null ? "<digest>" : digest);
    }

    @Override
    public boolean verifiesSignatures() {
        return signed != null;
    }

    @Override
    public boolean enforcesSignatures() {
        return enforce;
    }

    @Override
    public String verifySignature(String repository, String digest) {
        target.events.add(describeSignature(repository, digest));
        signatureRead.countDown();
        if (!signed) {
            throw new DeployerException("Image " + repository + "@" + digest + " is not signed. Nothing was changed",
                    "deployer.verify.publicKey", "build and push it with DEPLOYER_SIGNING_KEY set");
        }
        return repository + "@" + digest + " is signed";
    }

    @Override
    public String describeSignature(String repository, String digest) {
        return "fake verify " + repository + "@" + (digest == null ? "<digest>" : digest);
    }
}
