package dev.deployer.guard;

import dev.deployer.core.DeployerException;
import dev.deployer.core.GitInfo;
import dev.deployer.testing.RecordingLog;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProductionGuardTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final GitInfo CLEAN = new GitInfo(SHA, Instant.EPOCH, List.of(), "");
    private final RecordingLog log = new RecordingLog("");

    private static ProductionGuard guard(String actions, String ref, GitInfo git, boolean override) {
        return new ProductionGuard(List.of("main", "master"), override, actions, ref, git);
    }

    @Test
    void aCiBuildOfMainWithItsOwnImagePasses() {
        assertFalse(guard("true", "main", CLEAN, false).check("production", SHA, false, log));
    }

    @Test
    void otherEnvironmentsAreNotGuarded() {
        assertFalse(guard(null, "feature", null, false).check("qa", "x", false, log));
    }

    @Test
    void refusesOutsideCiOnOtherRefsWithADirtyTreeOrAnotherCommitsImage() {
        assertRefused(guard(null, "main", CLEAN, false), SHA, "not running in GitHub Actions");
        assertRefused(guard("true", "feature/x", CLEAN, false), SHA, "ref 'feature/x' is not one of deployer.allowedRefs");
        assertRefused(guard("true", "main", new GitInfo(SHA, Instant.EPOCH, List.of("pom.xml"), "abc"), false), SHA, "uncommitted changes");
        assertRefused(guard("true", "main", CLEAN, false), "ffff" + SHA.substring(4), "was not built from this commit");
    }

    @Test
    void aRollbackMayDeployAnOlderCommitsImage() {
        assertFalse(guard("true", "main", CLEAN, false).check("production", "ffff" + SHA.substring(4), true, log));
    }

    @Test
    void aProductionPushFollowsTheSameRulesAndSaysItIsAPush() {
        assertFalse(guard("true", "main", CLEAN, false).checkPush("production", SHA, log));
        assertFalse(guard(null, "feature", null, false).checkPush("qa", SHA, log));
        DeployerException e = assertThrows(DeployerException.class, () -> guard(null, "main", CLEAN, false).checkPush("production", SHA, log));
        assertTrue(e.getMessage().contains("Refusing to push an image for production: not running in GitHub Actions"), e.getMessage());
    }

    @Test
    void aRefusedRollbackSaysItIsARollback() {
        DeployerException e = assertThrows(DeployerException.class, () -> guard("true", "dev", CLEAN, false).check("production", null, true, log));
        assertTrue(e.getMessage().contains("Refusing to roll back production: ref 'dev'"), e.getMessage());
    }

    @Test
    void theEscapeHatchWarnsLoudlyAndIsReported() {
        assertTrue(guard(null, null, null, true).check("production", SHA, false, log));
        assertTrue(log.text().contains("PRODUCTION GUARD OVERRIDDEN"), log.text());
    }

    private void assertRefused(ProductionGuard guard, String tag, String reason) {
        DeployerException e = assertThrows(DeployerException.class, () -> guard.check("production", tag, false, log));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().contains("deployer.allowLocalProduction"), e.getMessage());
    }
}
