package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.ImageRef;
import dev.deployer.core.Shutdown;
import dev.deployer.testing.RecordingLog;
import dev.deployer.guard.ProductionGuard;
import dev.deployer.verify.Sleeper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runbook's plans and the live executor's restore branch, on a {@link FakeTarget}: no engine, no process. */
class RunbookTest {

    private static final String REPOSITORY = "registry.example/acme/shop";
    private static final String V1 = "sha256:" + "1".repeat(64);
    private static final String V2 = "sha256:" + "2".repeat(64);

    @TempDir
    Path dir;

    private final FakeTarget target = new FakeTarget();
    private final RecordingLog log = new RecordingLog("");
    private final Shutdown shutdown = Shutdown.manual();
    private final List<Step> performed = new ArrayList<>();
    private final FakeImageChecks checks = new FakeImageChecks(target);
    /** Runs at the start of each render. */
    private Runnable beforeRender = () -> { };

    private Deployment deployment() {
        TargetContext context = new TargetContext(target.runner(), log, name -> null, Clock.systemUTC());
        StackRenderer renderer = new StackRenderer() {
            @Override
            public List<String> secretNames(ImageRef image) {
                return List.of();
            }

            @Override
            public Rendered render(ImageRef image) {
                beforeRender.run();
                return new Rendered("stack.yml", Map.of("stack.yml", stackText(image)), List.of());
            }
        };
        GitHubActions github = new GitHubActions(name -> null, new PrintStream(OutputStream.nullOutputStream()));
        ImageResolver.DigestResolver digests = (repository, tag) -> "v1".equals(tag) ? V1 : V2;
        Deployment deployment = new Deployment(context, target, renderer, Sleeper.real(), github, digests, checks, shutdown);
        deployment.executor().observe(performed::add);
        return deployment;
    }

    private static String stackText(ImageRef image) {
        return "services:\n  app:\n    image: \"" + image.ref() + "\"\n";
    }

    private DeployRequest request(String tag, boolean dryRun) {
        return new DeployRequest("fake", "shop", "qa", dir.resolve("target/deployer"), REPOSITORY, tag, null,
                Duration.ofSeconds(5), List.of(), Duration.ofSeconds(1), dryRun, false, ProductionGuard.none());
    }

    /** v1 deployed and recorded good: the stack the failing deploys start from. */
    private void v1Runs() {
        deployment().deploy(request("v1", false));
        assertEquals(REPOSITORY + ":v1@" + V1, target.state().services().get(0).image());
        target.events.clear();
        performed.clear();
    }

    @Test
    void aFailedDeployRollsBackFirstEvenWhenTheHistoryCannotBeWritten() {
        v1Runs();
        target.failing = command -> command.display().contains("up -f stack.yml)");
        target.store.historyFails = true;

        DeployFailedException e = assertThrows(DeployFailedException.class, () -> deployment().deploy(request("v2", false)));

        assertTrue(e.rolledBack(), e.getMessage());
        assertEquals(REPOSITORY + ":v1@" + V1, target.state().services().get(0).image(), "v1 runs again");
        assertTrue(e.getMessage().contains("Rolled back to the previous version, verified healthy"), e.getMessage());
        assertTrue(e.getMessage().contains("could not record this 'failed' deploy: no space left on device"), e.getMessage());
        assertTrue(target.events.stream().anyMatch(line -> line.contains("up -f stack.yml.rollback.yml")), target.events.toString());
        assertTrue(target.store.find(StackLock.name("shop")).isEmpty(), "the lock is released");
    }

    @Test
    void theRestoreTakesTheTargetsRestoreStepsAndFilesNotItsDeploySteps() throws Exception {
        v1Runs();
        target.failing = command -> command.display().contains("up -f stack.yml)");

        assertThrows(DeployFailedException.class, () -> deployment().deploy(request("v2", false)));

        assertEquals(List.of("stack.yml.rollback.yml"), target.restored, "Target.restore of the previous stack file");
        assertEquals("restoring stack.yml.rollback.yml", Files.readString(dir.resolve("target/deployer/qa/restore-note.txt")),
                "Target.restoreFiles written next to it");
        assertEquals(REPOSITORY + ":v1@" + V1, target.state().services().get(0).image(), "v1 runs again");
    }

    @Test
    void anEngineThatStopsAnsweringMidDeployGivesAnExactMessageThatSaysTheLockStaysHeld() {
        v1Runs();
        RuntimeException gone = new RuntimeException("java.net.SocketException: No such file or directory");
        target.during = command -> {
            if (command.display().contains("up -f stack.yml)")) {
                target.down = gone; // the engine stops as the new version's up runs, and does not come back
            }
        };

        DeployFailedException e = assertThrows(DeployFailedException.class, () -> deployment().deploy(request("v2", false)));

        assertFalse(e.rolledBack(), e.getMessage());
        assertTrue(e.getMessage().contains("ROLLBACK FAILED too") && e.getMessage().contains("Running now: unknown (fake did not answer: "
                + gone.getMessage() + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("Could not release the deploy lock of 'shop': " + gone.getMessage()
                + "; THE STACK STAYS LOCKED: once its target answers, release it with ./mvnw deployer:unlock -Ddeployer.stack=shop"), e.getMessage());
        assertTrue(log.text().contains("could not record this 'failed' deploy"), "the record was attempted:\n" + log.text());
        target.down = null;
        assertTrue(target.store.find(StackLock.name("shop")).isPresent(), "the lock is still there, as said");
    }

    @Test
    void anInterruptedDeployRestoresRecordsUnlocksAndOnlyThenClosesTheTunnel() throws Exception {
        v1Runs();
        shutdown.register("close the ssh tunnel", () -> target.events.add("tunnel closed"));
        CountDownLatch signalled = new CountDownLatch(1);
        Thread[] signal = new Thread[1];
        target.during = command -> {
            if (command.display().contains("up -f stack.yml)")) {
                signal[0] = new Thread(shutdown::run, "SIGTERM");
                signal[0].start();
                try {
                    assertFalse(signalled.await(30, TimeUnit.SECONDS), "the shutdown path interrupts the running command");
                } catch (InterruptedException interrupted) {
                    throw DeployerException.of("Interrupted while running 'fake'", null);
                }
            }
        };

        DeployFailedException e = assertThrows(DeployFailedException.class, () -> deployment().deploy(request("v2", false)));
        signal[0].join(TimeUnit.SECONDS.toMillis(30));

        assertTrue(e.getMessage().contains("was interrupted"), e.getMessage());
        assertTrue(e.rolledBack(), e.getMessage());
        List<String> events = target.events;
        int restored = indexOf(events, "up -f stack.yml.rollback.yml");
        int recorded = indexOf(events, "dev.deployer.status=interrupted");
        int unlocked = indexOf(events, "fake record rm deployer-lock-shop");
        int closed = events.indexOf("tunnel closed");
        assertTrue(restored >= 0 && restored < recorded && recorded < unlocked && unlocked < closed,
                "restore, record 'interrupted', unlock, then close the tunnel: " + events);
        assertEquals(REPOSITORY + ":v1@" + V1, target.state().services().get(0).image(), "v1 runs again");
    }

    @Test
    void aFailedPullStopsTheDeployBeforeAnythingChangedWithoutARestore() {
        v1Runs();
        target.failing = command -> command.display().startsWith("fake pull");

        DeployerException e = assertThrows(DeployerException.class, () -> deployment().deploy(request("v2", false)));

        assertFalse(e instanceof DeployFailedException, "no restore was needed: " + e);
        assertTrue(e.getMessage().contains("stopped before anything changed: 'Pulling " + REPOSITORY + ":v2@" + V2 + "' failed"), e.getMessage());
        assertTrue(e.getMessage().contains("Nothing was changed: what ran before still runs: app=" + REPOSITORY + ":v1@" + V1), e.getMessage());
        assertTrue(e.getMessage().contains("docker login"), "the fix: " + e.getMessage());
        assertFalse(target.events.stream().anyMatch(line -> line.contains(" up ")), "nothing was started or restored: " + target.events);
        assertFalse(target.events.stream().anyMatch(line -> line.contains("dev.deployer.status=failed")), "nothing to record: " + target.events);
        assertTrue(target.store.find(StackLock.name("shop")).isEmpty(), "the lock is released");
        assertEquals(REPOSITORY + ":v1@" + V1, target.state().services().get(0).image(), "v1 still runs");
    }

    @Test
    void anInterruptionBeforeAnythingChangedIsRecordedAndReleasesTheLock() throws Exception {
        v1Runs();
        Thread[] signal = new Thread[1];
        target.during = command -> {
            if (command.display().startsWith("fake pull")) {
                signal[0] = new Thread(shutdown::run, "SIGINT");
                signal[0].start();
                try {
                    assertFalse(new CountDownLatch(1).await(30, TimeUnit.SECONDS), "the shutdown path interrupts the running command");
                } catch (InterruptedException interrupted) {
                    throw DeployerException.of("Interrupted while running 'fake'", null);
                }
            }
        };

        DeployerException e = assertThrows(DeployerException.class, () -> deployment().deploy(request("v2", false)));
        signal[0].join(TimeUnit.SECONDS.toMillis(30));

        assertFalse(e instanceof DeployFailedException, "nothing changed, nothing restored: " + e);
        int recorded = indexOf(target.events, "dev.deployer.status=interrupted");
        int unlocked = indexOf(target.events, "fake record rm deployer-lock-shop");
        assertTrue(recorded >= 0 && recorded < unlocked, "record 'interrupted', then unlock: " + target.events);
        assertFalse(target.events.stream().anyMatch(line -> line.contains(" up ")), "nothing was started or restored: " + target.events);
        assertEquals(REPOSITORY + ":v1@" + V1, target.state().services().get(0).image(), "v1 still runs");
    }

    @Test
    void aHalfDeployedStackIsNotTheNextRollbackPoint() {
        v1Runs();
        // a deploy of v2 was killed (SIGKILL) after `up`: v2 runs, never verified, the history knows v1 as good
        target.running(REPOSITORY + ":v2@" + V2);
        target.failing = command -> command.display().contains("up -f stack.yml)");

        DeployFailedException e = assertThrows(DeployFailedException.class, () -> deployment().deploy(request("v3", false)));

        assertTrue(e.rolledBack(), e.getMessage());
        assertEquals(REPOSITORY + ":v1@" + V1, target.state().services().get(0).image(), "the last good version, not the half-deployed one");
        assertTrue(log.text().contains("never verified"), log.text());
    }

    @Test
    void theLiveRunPerformsExactlyThePrintedPlan() {
        Deployment deployment = deployment();
        Plan plan = deployment.runbook().deploy(request("v1", false));
        List<String> printed = plan.steps().stream().map(Step::display).toList();

        deployment.executor().run(plan);

        assertEquals(printed, performed.stream().map(Step::display).toList(), "every step of the plan, in order");
        List<String> commands = printed.stream().flatMap(String::lines).filter(line -> !line.startsWith("#"))
                .filter(line -> !line.startsWith("fake ps") && !line.startsWith("# ")).map(RunbookTest::withoutComment)
                .map(RunbookTest::timeless).toList();
        assertEquals(commands, target.events.stream().map(RunbookTest::timeless).toList(),
                "the commands run and the records written are the printed ones");
    }

    @Test
    void theLiveRunOfACheckedPlanPerformsExactlyThePrintedPlan() {
        checks.signed = true;
        Deployment deployment = deployment();
        Plan plan = deployment.runbook().deploy(request("v1", false));
        List<String> printed = plan.steps().stream().map(Step::display).toList();

        deployment.executor().run(plan);

        assertEquals(printed, performed.stream().map(Step::display).toList(), "every step of the plan, in order");
        assertEquals(List.of("fake verify " + REPOSITORY + "@" + V1  + "  # refuses the deploy unless signed by that key",
                "fake platforms " + REPOSITORY + "@" + V1 + "\nfake nodes"), printed.subList(1, 3), "the checks come first, after the look-up of the tag");
        // the platforms are read ahead (from the plan on, beside the signature check), the nodes by the check itself
        assertEquals(Set.of("fake verify " + REPOSITORY + "@" + V1, "fake platforms " + REPOSITORY + "@" + V1, "fake nodes"),
                Set.copyOf(target.events.subList(0, 3)), "then the lock: " + target.events);
        assertTrue(target.events.indexOf("fake platforms " + REPOSITORY + "@" + V1) < target.events.indexOf("fake nodes"), target.events.toString());
        assertTrue(target.events.get(3).startsWith("fake record create deployer-lock-shop"), target.events.toString());
        assertTrue(log.text().contains("Signature verified: " + REPOSITORY + "@" + V1 + " is signed"), log.text());
        assertTrue(log.text().contains("runs on the server (linux/amd64)"), log.text());
    }

    @Test
    void theImagesSignatureAndPlatformsAreReadWhileTheStackIsRendered() {
        checks.signed = true;
        // the render waits until both have been read: that happens only when the reads were started ahead
        beforeRender = () -> {
            try {
                assertTrue(checks.signatureRead.await(60, TimeUnit.SECONDS), "the signature is verified while the stack is rendered");
                assertTrue(checks.platformsRead.await(60, TimeUnit.SECONDS), "the platforms are read while the stack is rendered");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        };

        deployment().deploy(request("v1", false));

        assertEquals(1, target.events.stream().filter(event -> event.startsWith("fake platforms ")).count(), "read once: " + target.events);
        assertEquals(1, target.events.stream().filter(event -> event.startsWith("fake verify ")).count(), "verified once: " + target.events);
        assertTrue(log.text().contains("Signature verified: " + REPOSITORY + "@" + V1 + " is signed"), log.text());
        assertTrue(log.text().contains("runs on the server (linux/amd64)"), log.text());
        assertEquals(REPOSITORY + ":v1@" + V1, target.state().services().get(0).image(), "deployed");
    }

    @Test
    void aFailedPlatformReadRefusesTheDeployAtTheCheckBeforeTheLock() {
        checks.platformsFail = new DeployerException("The registry has no image " + REPOSITORY + "@" + V1, "deployer.image", "push it");
        Deployment deployment = deployment();

        DeployerException e = assertThrows(DeployerException.class, () -> deployment.deploy(request("v1", false)));

        assertTrue(e.getMessage().contains("The registry has no image " + REPOSITORY + "@" + V1), e.getMessage());
        assertFalse(e instanceof DeployFailedException, "nothing changed, nothing to restore");
        assertTrue(performed.stream().anyMatch(step -> step instanceof Step.Check), "thrown by the check step: " + performed);
        assertTrue(performed.stream().noneMatch(step -> step instanceof Step.Lock), "no lock step: " + performed);
        assertTrue(target.store.names().isEmpty(), "no record: " + target.store.names());
    }

    @Test
    void anImageForAnotherArchitectureIsRefusedBeforeTheLock() {
        checks.platforms = List.of("linux/arm64");

        DeployerException e = assertThrows(DeployerException.class, () -> deployment().deploy(request("v1", false)));

        assertTrue(e.getMessage().contains("image " + REPOSITORY + ":v1@" + V1 + " is linux/arm64 only; the server is"
                + " linux/amd64 — build with -Ddeployer.platforms=linux/arm64,linux/amd64"), e.getMessage());
        assertEquals("deployer.platforms", e.location());
        assertFalse(e instanceof DeployFailedException, "nothing changed, nothing to restore");
        assertTrue(performed.stream().noneMatch(step -> step instanceof Step.Lock), "no lock step: " + performed);
        assertEquals(List.of("fake platforms " + REPOSITORY + "@" + V1, "fake nodes"), target.events,
                "only the look-ups: no lock record, no pull, no up");
        assertTrue(target.store.names().isEmpty(), "no record: " + target.store.names());
        assertTrue(target.state().services().isEmpty(), "nothing runs");
    }

    @Test
    void aRefusedImageIsRefusedBeforeAForcedUnlockToo() {
        checks.platforms = List.of("linux/arm64");
        target.store.create(StackLock.name("shop"), Map.of(StackLock.KIND_LABEL, "lock", StackLock.STACK_LABEL, "shop"), "");
        target.events.clear();
        DeployRequest force = new DeployRequest("fake", "shop", "qa", dir.resolve("target/deployer"), REPOSITORY, "v1", null,
                Duration.ofSeconds(5), List.of(), Duration.ofSeconds(1), false, true, ProductionGuard.none());

        assertThrows(DeployerException.class, () -> deployment().deploy(force));

        assertTrue(target.store.find(StackLock.name("shop")).isPresent(), "the other lock is still there");
        assertTrue(performed.stream().noneMatch(step -> step instanceof Step.ForceUnlock || step instanceof Step.Lock), performed.toString());
    }

    @Test
    void anUnsignedImageIsRefusedBeforeTheLockWhenEnforced() {
        checks.signed = false;

        DeployerException e = assertThrows(DeployerException.class, () -> deployment().deploy(request("v1", false)));

        assertTrue(e.getMessage().contains("is not signed"), e.getMessage());
        assertEquals("deployer.verify.publicKey", e.location());
        assertTrue(performed.stream().noneMatch(step -> step instanceof Step.Lock), "no lock step: " + performed);
        assertEquals(List.of("fake verify " + REPOSITORY + "@" + V1), target.events.stream()
                .filter(event -> !event.startsWith("fake platforms ")).toList(), "nothing else read (but the platforms, read ahead) or written");
        assertTrue(target.store.names().isEmpty(), "no record");
    }

    @Test
    void anUnsignedImageIsReportedButDeployedWhenNotEnforced() {
        checks.signed = false;
        checks.enforce = false;

        deployment().deploy(request("v1", false));

        assertTrue(log.text().contains("Signature verification failed (not enforced"), log.text());
        assertTrue(log.text().contains("is not signed"), log.text());
        assertEquals(REPOSITORY + ":v1@" + V1, target.state().services().get(0).image(), "deployed");
    }

    @Test
    void aTargetThatCannotReportItsNodesIsNotChecked() {
        target.nodes = null;
        checks.platforms = List.of("linux/arm64");

        deployment().deploy(request("v1", false));

        assertTrue(log.lines().stream().anyMatch(line -> line.contains("DEBUG") && line.contains("No architecture check: the fake"
                + " target cannot report its nodes' platforms")), log.text());
        assertFalse(target.events.contains("fake nodes"), target.events.toString());
        assertEquals(REPOSITORY + ":v1@" + V1, target.state().services().get(0).image(), "deployed");
    }

    @Test
    void aDryRunPrintsTheChecksAndContactsNothing() {
        checks.signed = false;
        checks.platforms = List.of("linux/arm64");

        deployment().deploy(request("v1", true));

        assertTrue(target.events.isEmpty(), "nothing read: " + target.events);
        assertTrue(log.text().contains("fake verify " + REPOSITORY + "@<digest>"), log.text());
        assertTrue(log.text().contains("fake platforms " + REPOSITORY + "@<digest>"), log.text());
        assertTrue(log.text().contains("fake nodes"), log.text());
    }

    @Test
    void aDryRunPrintsThePlanAndChangesNothing() {
        deployment().deploy(request("v1", true));

        assertTrue(target.events.isEmpty(), "nothing ran: " + target.events);
        assertFalse(Files.exists(dir.resolve("target")), "nothing written");
        assertTrue(log.text().contains("Dry run: these are the steps a deploy of " + REPOSITORY + ":v1 to stack 'shop'"), log.text());
        assertTrue(log.text().contains("# ask the registry for the digest of " + REPOSITORY + ":v1"), log.text());
    }

    private static int indexOf(List<String> events, String part) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    private static String withoutComment(String line) {
        int comment = line.indexOf("  # ");
        return comment < 0 ? line : line.substring(0, comment);
    }

    /** Times and the lock's owner token as a dry run shows them ({@code <now>}, {@code <random>}). */
    private static String timeless(String line) {
        return line.replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "<now>").replaceAll("deployer-history-shop-\\d+", "deployer-history-shop-<now>")
                .replaceAll("dev.deployer.token=[0-9a-f-]{36}", "dev.deployer.token=<random>");
    }
}
