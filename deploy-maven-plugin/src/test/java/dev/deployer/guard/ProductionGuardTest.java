package dev.deployer.guard;

import dev.deployer.core.DeployerException;
import dev.deployer.core.GitInfo;
import dev.deployer.core.GitRepo;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import dev.deployer.testing.RecordingLog;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProductionGuardTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final GitInfo CLEAN = new GitInfo(SHA, Instant.EPOCH, List.of(), "");
    private final RecordingLog log = new RecordingLog("");

    private static ProductionGuard guard(String actions, String ref, GitInfo git, boolean override) {
        return new ProductionGuard(List.of("main", "master"), override, actions, ref, git, false, ProductionGuard.Ancestry.none());
    }

    private static ProductionGuard guard(ProductionGuard.Ancestry ancestry) {
        return new ProductionGuard(List.of("main", "master"), false, "true", "main", CLEAN, false, ancestry);
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
    void buildOutputsWithoutAGitignoreAreNotUncommittedChangesButASourceFileIs(@TempDir Path tmp) {
        GitRepo repo = new GitRepo(tmp.resolve("svc")).write("pom.xml", "<project/>\n").commit("one");
        repo.write("target/classes/App.class", "x").write("target/deployer/image.json", "{}");
        GitInfo clean = GitInfo.read(repo.project("", List.of("")), GitRepo.RUNNER, name -> null);
        assertFalse(guard("true", "main", clean, false).check("production", clean.sha(), false, log));

        repo.write("src/main/resources/application.properties", "x=1\n");
        GitInfo dirty = GitInfo.read(repo.project("", List.of("")), GitRepo.RUNNER, name -> null);
        DeployerException e = assertThrows(DeployerException.class,
                () -> guard("true", "main", dirty, false).check("production", dirty.sha(), false, log));
        assertTrue(e.getMessage().contains("Refusing to deploy to production: the working tree has uncommitted changes [src/]"),
                e.getMessage());
    }

    @Test
    void whereItRunsIsAskedFirstAndAloneWithoutAnythingBuilt() {
        DeployerException outside = assertThrows(DeployerException.class,
                () -> guard(null, "main", null, false).checkWhere("production", "deploy to"));
        assertTrue(outside.getMessage().startsWith("deployer.environment=production: Refusing to deploy to production:"
                + " not running in GitHub Actions"), outside.getMessage());
        DeployerException branch = assertThrows(DeployerException.class,
                () -> guard("true", "develop", null, false).checkWhere("production", "push an image for"));
        assertTrue(branch.getMessage().contains("Refusing to push an image for production: ref 'develop'"), branch.getMessage());
        // the rest (a git checkout, a clean tree, the image's commit) is for check(), once the image is known
        guard("true", "main", null, false).checkWhere("production", "deploy to");
        guard(null, "feature", null, false).checkWhere("qa", "deploy to");
        guard(null, "feature", null, true).checkWhere("production", "deploy to");
        assertTrue(log.lines().isEmpty(), "the override warns once, in check()");
    }

    @Test
    void aRollbackMayDeployAnOlderCommitsImage() {
        assertFalse(guard("true", "main", CLEAN, false).check("production", "ffff" + SHA.substring(4), true, log));
    }

    @Test
    void productionTagsAreFullCommitShas() {
        for (String tag : List.of("latest", "0123456", "v1.2.3", SHA.toUpperCase(), SHA + "-dirty-abc")) {
            DeployerException rollback = assertThrows(DeployerException.class,
                    () -> guard("true", "main", CLEAN, false).check("production", tag, true, log), tag);
            assertTrue(rollback.getMessage().contains("Refusing to roll back production: the tag '" + tag
                    + "' is not a full 40-character commit SHA"), rollback.getMessage());
            assertThrows(DeployerException.class, () -> guard("true", "main", CLEAN, false).check("production", tag, false, log), tag);
        }
    }

    @Test
    void aRollbackTagOnAnAllowedRefPassesWithoutReadingTheHistory() {
        String older = "ffff" + SHA.substring(4);
        ProductionGuard guard = guard((sha, ref) -> sha.equals(older) && ref.equals("master"));
        assertFalse(guard.checkRelease("production", older, () -> {
            throw new AssertionError("the history is read only when git cannot vouch for the tag");
        }, log));
    }

    @Test
    void aRollbackTagGitDoesNotVouchForMustBeARecordedGoodRelease() {
        String qaBuild = "eeee" + SHA.substring(4);
        ProductionGuard guard = guard(ProductionGuard.Ancestry.none());
        assertFalse(guard.checkRelease("production", qaBuild, () -> List.of(SHA, qaBuild), log));
        DeployerException e = assertThrows(DeployerException.class,
                () -> guard.checkRelease("production", qaBuild, () -> List.of(SHA), log));
        assertTrue(e.getMessage().contains("Refusing to roll back production: the tag " + qaBuild
                + " is neither a recorded good release of this stack nor a commit of main or master"), e.getMessage());
        assertFalse(guard.checkRelease("qa", qaBuild, List::of, log), "only production is guarded");
    }

    @Test
    void theDestinationDecidesWhatIsProductionNotTheName() {
        assertTrue(ProductionGuard.deploysProduction("production", "compose", "shop-local", "quantum", "shop"));
        assertTrue(ProductionGuard.deploysProduction("prod", "quantum", "shop", "quantum", "shop"),
                "-Ddeployer.environment=prod -Pproduction is production");
        assertTrue(ProductionGuard.deploysProduction("qa", "quantum", "shop", "quantum", "shop"));
        assertFalse(ProductionGuard.deploysProduction("qa", "compose", "shop-qa", "quantum", "shop"));
        assertFalse(ProductionGuard.deploysProduction("local", "compose", "shop", "quantum", "shop"), "another target");
        assertFalse(ProductionGuard.deploysProduction("prod", "compose", "shop", null, null), "no production settings");

        ProductionGuard byDestination = new ProductionGuard(List.of("main"), false, null, null, CLEAN, true,
                ProductionGuard.Ancestry.none());
        DeployerException e = assertThrows(DeployerException.class, () -> byDestination.check("prod", SHA, true, log));
        assertTrue(e.getMessage().startsWith("deployer.environment=prod: Refusing to roll back production: not running in GitHub Actions"),
                e.getMessage());
    }

    @Test
    void theOverrideWarnsOnceHoweverOftenItIsAsked() {
        ProductionGuard guard = guard(null, null, null, true);
        assertTrue(guard.check("production", "latest", true, log));
        assertTrue(guard.checkRelease("production", "latest", List::of, log));
        assertEquals(1, log.text().split("PRODUCTION GUARD OVERRIDDEN", -1).length - 1, log.text());
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
        assertTrue(log.text().contains("This deploy is recorded in the stack's history"), log.text());
    }

    @Test
    void anOverriddenPushSaysThePushItselfIsNotRecorded() {
        assertTrue(guard(null, null, null, true).checkPush("production", SHA, log));
        assertTrue(log.text().contains("The push is not recorded anywhere"), log.text());
        assertFalse(log.text().contains("This deploy is recorded"), log.text());
    }

    private void assertRefused(ProductionGuard guard, String tag, String reason) {
        DeployerException e = assertThrows(DeployerException.class, () -> guard.check("production", tag, false, log));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().contains("deployer.allowLocalProduction"), e.getMessage());
    }
}
