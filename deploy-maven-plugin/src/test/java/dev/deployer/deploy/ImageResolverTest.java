package dev.deployer.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;
import dev.deployer.guard.ProductionGuard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deploy by tag runs the digest the build produced; a tag that moved since fails the deploy. */
class ImageResolverTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final String BUILT = "sha256:" + "a".repeat(64);
    private static final String OTHER = "sha256:" + "b".repeat(64);

    @TempDir
    Path dir;

    private DeployRequest request() {
        return new DeployRequest("compose", "shop", "production", dir, "ghcr.io/acme/shop", SHA, null, Duration.ofSeconds(5),
                List.of(), Duration.ofSeconds(5), false, false, ProductionGuard.none());
    }

    @Test
    void theBuildsDigestIsDeployedWhenTheTagStillNamesIt() {
        List<String> asked = new ArrayList<>();
        ImageResolver resolver = new ImageResolver(ImageResolver.expecting(BUILT, (repository, tag) -> {
            asked.add(repository + ":" + tag);
            return BUILT;
        }));
        assertEquals(new ImageRef("ghcr.io/acme/shop", SHA, BUILT), resolver.resolve(request()));
        assertEquals(List.of("ghcr.io/acme/shop:" + SHA), asked);
    }

    @Test
    void aTagThatMovedAfterTheBuildFailsTheDeploy() {
        ImageResolver resolver = new ImageResolver(ImageResolver.expecting(BUILT, (repository, tag) -> OTHER));
        DeployerException e = assertThrows(DeployerException.class, () -> resolver.resolve(request()));
        assertEquals("deployer.digest", e.location());
        assertTrue(e.problem().contains("now names " + OTHER + ", not " + BUILT) && e.problem().contains("the tag moved"), e.problem());
    }

    @Test
    void theDigestMustBeADigest() {
        for (String bad : List.of("latest", "sha256:abc", "a".repeat(64))) {
            assertThrows(DeployerException.class, () -> ImageResolver.expecting(bad, (repository, tag) -> BUILT), bad);
        }
    }
}
