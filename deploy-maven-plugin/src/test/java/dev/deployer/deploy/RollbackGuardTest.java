package dev.deployer.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.GitInfo;
import dev.deployer.core.ImageRef;
import dev.deployer.testing.RecordingLog;
import dev.deployer.guard.ProductionGuard;
import dev.deployer.verify.Sleeper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A production rollback to a tag git does not vouch for (not on an allowed ref) must be a recorded good release of
 * the stack: a QA build of develop pushed to the same repository is refused before the registry or the stack is asked.
 */
class RollbackGuardTest {

    private static final String HEAD = "0123456789abcdef0123456789abcdef01234567";
    private static final String QA_BUILD = "eeee456789abcdef0123456789abcdef01234567";
    private static final String RELEASE = "aaaa456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog("");
    private final List<String> resolved = new ArrayList<>();
    private final TargetStore store = new StackLockTest.MemoryStore();

    /** A target whose stack must not be touched: only its store (the history) may be read. */
    private final Target target = new Target() {
        @Override public String name() { return "fake"; }
        @Override public void check() { throw new AssertionError("the target was checked"); }
        @Override public StackState current(String stack) { throw new AssertionError("the stack was read"); }
        @Override public List<Step> deploy(DeployPlan plan) { throw new AssertionError("deployed"); }
        @Override public List<Step> remove(String stack) { throw new AssertionError("removed"); }
        @Override public List<ServiceHealth> health(String stack, List<String> services) { throw new AssertionError("health"); }
        @Override public String logs(String stack, String service, int lines) { throw new AssertionError("logs"); }
        @Override public TargetStore store() { return store; }
        @Override public String describeCurrent(String stack) { return "# what runs in " + stack; }
    };

    private DeploymentResult rollbackTo(String tag) {
        ProductionGuard guard = new ProductionGuard(List.of("main"), false, "true", "main",
                new GitInfo(HEAD, Instant.EPOCH, List.of(), ""), true, ProductionGuard.Ancestry.none());
        DeployRequest request = new DeployRequest("compose", "shop", "prod", dir, "ghcr.io/acme/shop", tag, null,
                Duration.ofSeconds(5), List.of(), Duration.ofSeconds(5), false, false, guard);
        StackRenderer renderer = new StackRenderer() {
            @Override public List<String> secretNames(ImageRef image) { throw new AssertionError("rendered"); }
            @Override public Rendered render(ImageRef image) { throw new AssertionError("rendered"); }
        };
        TargetContext context = new TargetContext((command, timeout) -> {
            throw new AssertionError("ran " + command);
        }, log, name -> null, Clock.systemUTC());
        Deployment deployment = new Deployment(context, target, renderer, Sleeper.real(),
                new GitHubActions(name -> null, new PrintStream(new ByteArrayOutputStream())), (repository, t) -> {
                    resolved.add(t);
                    throw new IllegalStateException("the guard let the rollback through to the registry");
                });
        return deployment.rollback(request);
    }

    @Test
    void aTagThatIsNeitherOnAnAllowedRefNorARecordedReleaseIsRefused() {
        new DeployHistory(store).record("shop", new DeployHistory.Entry(Instant.parse("2026-12-01T10:00:00Z"), "deployed",
                "ghcr.io/acme/shop", RELEASE, "sha256:" + "1".repeat(64), "ci", "", false, "services: {}\n"));
        DeployerException e = assertThrows(DeployerException.class, () -> rollbackTo(QA_BUILD));
        assertTrue(e.getMessage().contains("Refusing to roll back production: the tag " + QA_BUILD
                + " is neither a recorded good release of this stack nor a commit of main"), e.getMessage());
        assertEquals(List.of(), resolved, "nothing was asked of the registry");
    }

    @Test
    void aRecordedGoodReleasePasses() {
        new DeployHistory(store).record("shop", new DeployHistory.Entry(Instant.parse("2026-12-01T10:00:00Z"), "deployed",
                "ghcr.io/acme/shop", RELEASE, "sha256:" + "1".repeat(64), "ci", "", false, "services: {}\n"));
        IllegalStateException passed = assertThrows(IllegalStateException.class, () -> rollbackTo(RELEASE));
        assertTrue(passed.getMessage().contains("the guard let the rollback through"), passed.getMessage());
        assertEquals(List.of(RELEASE), resolved);
    }

    @Test
    void aFailedDeployIsNoRelease() {
        new DeployHistory(store).record("shop", new DeployHistory.Entry(Instant.parse("2026-12-01T10:00:00Z"), "failed",
                "ghcr.io/acme/shop", QA_BUILD, "sha256:" + "2".repeat(64), "ci", "", false, "services: {}\n"));
        assertThrows(DeployerException.class, () -> rollbackTo(QA_BUILD));
        assertEquals(List.of(), resolved);
    }

    @Test
    void latestIsRefusedWhateverTheHistorySays() {
        DeployerException e = assertThrows(DeployerException.class, () -> rollbackTo("latest"));
        assertTrue(e.getMessage().contains("the tag 'latest' is not a full 40-character commit SHA"), e.getMessage());
    }
}
