package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import dev.deployer.deploy.fixture.Scenario;
import dev.deployer.deploy.fixture.ScenarioMain;
import dev.deployer.deploy.fixture.TestImages;
import dev.deployer.testing.RecordingLog;
import dev.deployer.testing.TestInfra;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SIGINT (Ctrl-C) and SIGKILL at each step of the runbook, against the real engine and Compose/Swarm: a deploy of a
 * broken version (v3, whose /health answers 503) runs in its own JVM ({@link ScenarioMain}) while v2 serves, and is
 * signalled under the lock before anything changed, after the app's {@code up} / {@code stack deploy}, and during the
 * health wait. The moment is an observable state, never a sleep: the fork holds still at the step and writes a
 * marker (under the lock: the lock record exists too; after {@code up}: the v3 container/task exists), or the health
 * wait's own line appears in its output.
 *
 * <p>SIGINT: the one shutdown path restores what ran (when something changed), records {@code interrupted} and
 * releases the lock; v2 serves. SIGKILL: nothing of the deploy's own runs; the lock stays held, the next deploy says
 * by whom and how to release it, and after {@code deployer:unlock} the next deploy goes back to the newest version the
 * history records as good, never to the half-deployed one. One stack per subclass, deployed once; the cases run on it
 * in sequence, each starting from v2 serving and no lock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractSignalFaultsTest {

    /** compose, swarm. */
    protected abstract String targetName();

    /** This subclass's stack, with "faults2" in the name. */
    protected abstract String stackName();

    /** The app's port on 127.0.0.1 (port + 1 too, for Redis on the host network). */
    protected abstract int hostPort();

    /** The template: compose or swarm (see the fixture's Templates). */
    protected abstract String template();

    /** The health wait line of the app's gate in the deploy's output ("Waiting for health: app"). */
    protected abstract String appHealthWaitLine();

    private final String canary = "tfault2-canary-" + UUID.randomUUID();
    private final RecordingLog log = new RecordingLog("[" + getClass().getSimpleName() + "] ");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Scenario scenario;
    private Path deployerDir;
    private Path temp;

    @BeforeAll
    void v2Serves(@TempDir Path dir) {
        TestInfra.require();
        temp = dir;
        deployerDir = dir.resolve("target/deployer");
        scenario = new Scenario(targetName(), stackName(), hostPort(), template(), deployerDir, Map.of(Scenario.CANARY_NAME, canary));
        removeStack();
        TestImages.counter("v2");
        TestImages.counter("v3");
        DeploymentResult first = scenario.deployment(log, scenario.goodRedisHost())
                .deploy(scenario.request(TestImages.sha("v2"), Duration.ofSeconds(90), Duration.ofSeconds(3)));
        assertEquals(DeploymentResult.Outcome.DEPLOYED, first.outcome());
    }

    @AfterAll
    void removeStack() {
        Target target = scenario.removeStack();
        await("stack " + stackName() + " removed", Duration.ofSeconds(60), () -> !target.current(stackName()).exists());
    }

    /** Where the fork is signalled: a step it holds still at (its marker), or the health wait (its output line). */
    protected enum At { LOCK, UP, HEALTH_WAIT }

    /**
     * The cells of the table this target runs, as (signal, {@link At}) pairs: see docs/faults.md for which run where.
     * SIGKILL after {@code up} is {@link AbstractTargetScenarioTest}'s killed deploy, on every target.
     */
    protected abstract Stream<Arguments> cases();

    @ParameterizedTest(name = "SIG{0} at {1}")
    @MethodSource("cases")
    void aSignalledDeployLeavesV2ServingAndTheLockAsDocumented(String signal, At at) throws Exception {
        Target target = scenario.target(Log.silent());
        TargetStore store = target.store();
        assertEquals("v2", get("/version"), "each case starts from v2 serving");
        assertTrue(store.find(StackLock.name(stackName())).isEmpty(), "each case starts unlocked");
        String broken = TestImages.counter("v3").digest();

        Path forkTemp = Files.createDirectories(temp.resolve("fork-" + signal + "-" + at));
        Path forkLog = temp.resolve("fork-" + signal + "-" + at + ".log");
        Path marker = temp.resolve("paused-" + signal + "-" + at);
        Process fork = start(forkTemp, forkLog, at, marker);
        List<ProcessHandle> children;
        try {
            switch (at) {
                case LOCK -> {
                    await("the fork holds still under the lock", Duration.ofSeconds(120), () -> !fork.isAlive() || Files.exists(marker));
                    assertTrue(store.find(StackLock.name(stackName())).isPresent(), "the lock is held:\n" + read(forkLog));
                    assertEquals(TestImages.counter("v2").digest(), appDigest(target), "nothing changed yet");
                    pruneDuringTheDeploy(store);
                    aForcedUnlockOfTheYoungLockIsRefused(store, fork.pid());
                }
                case UP -> {
                    await("the fork holds still after the app's up", Duration.ofSeconds(120), () -> !fork.isAlive() || Files.exists(marker));
                    await("the v3 container/task exists", Duration.ofSeconds(60), () -> !fork.isAlive() || broken.equals(appDigest(target)));
                }
                case HEALTH_WAIT -> await("the fork waits for the app's health", Duration.ofSeconds(120),
                        () -> !fork.isAlive() || read(forkLog).contains(appHealthWaitLine()));
            }
            assertTrue(fork.isAlive(), "the fork is mid-deploy:\n" + read(forkLog));
        } finally {
            children = fork.descendants().toList();
            if (!"INT".equals(signal) || !fork.isAlive()) {
                fork.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook runs
            }
        }
        if ("INT".equals(signal)) {
            signal(fork.pid(), "INT");
            assertTrue(fork.waitFor(240, TimeUnit.SECONDS), "the interrupted deploy ends by itself:\n" + read(forkLog));
            afterSigint(store, broken, forkLog, at);
        } else {
            fork.waitFor();
            children.forEach(ProcessHandle::destroyForcibly); // e.g. a docker CLI the fork had started
            afterSigkill(fork.pid(), store, broken, at);
        }
        assertNoCanary(forkLog, forkTemp);
    }

    /**
     * {@code docker container prune} and {@code docker system prune} while the deploy holds the lock. The engine is
     * shared, so each prune is filtered to this stack's objects ({@code label=dev.deployer.stack=<stack>}: the lock and
     * history records; {@code label=com.docker.compose.project=<stack>}: a Compose project's containers); the engine
     * applies its usual rules to what the filter selects. The lock and the history survive (they are volumes or Swarm
     * configs, which neither prune deletes), and v2 still serves.
     */
    private void pruneDuringTheDeploy(TargetStore store) throws Exception {
        int history = new DeployHistory(store).entries(stackName()).size();
        for (String label : List.of("dev.deployer.stack=" + stackName(), "com.docker.compose.project=" + stackName())) {
            docker("container", "prune", "--force", "--filter", "label=" + label);
            docker("system", "prune", "--force", "--filter", "label=" + label);
        }
        assertTrue(store.find(StackLock.name(stackName())).isPresent(), "the lock survives the prunes");
        assertEquals(history, new DeployHistory(store).entries(stackName()).size(), "the history survives the prunes");
        assertEquals("v2", get("/version"), "v2 serves through the prunes");
    }

    /**
     * A second deploy with {@code -Ddeployer.forceUnlock=true} while the first holds a young lock: refused before it
     * changes anything, naming the holder; the first deploy's lock stays its own.
     */
    private void aForcedUnlockOfTheYoungLockIsRefused(TargetStore store, long holder) throws Exception {
        DeployRequest forced = new DeployRequest(targetName(), stackName(), "qa", deployerDir, TestImages.REPOSITORY, TestImages.sha("v2"),
                scenario.healthUrl(), Duration.ofSeconds(90), List.of(), Duration.ofSeconds(300), false, true,
                dev.deployer.guard.ProductionGuard.none());
        DeployerException refused = assertThrows(DeployerException.class, () -> scenario.deployment(log, scenario.goodRedisHost()).deploy(forced));
        assertTrue(refused.getMessage().contains("Refusing to break the deploy lock of '" + stackName() + "'")
                && refused.getMessage().contains("pid " + holder), "the young lock's holder is shown: " + refused.getMessage());
        assertTrue(store.find(StackLock.name(stackName())).orElseThrow().labels().get(StackLock.OWNER_LABEL).endsWith("pid " + holder),
                "the lock is still the first deploy's");
        assertEquals("v2", get("/version"));
    }

    private static String docker(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS) && process.exitValue() == 0, String.join(" ", argv) + ": " + output);
        return output;
    }

    private void afterSigint(TargetStore store, String broken, Path forkLog, At at) throws Exception {
        String output = read(forkLog);
        assertTrue(output.contains("Interrupted: stopping the deploy of stack '" + stackName() + "'"), output);
        if (at != At.LOCK) {
            assertTrue(output.contains("Rolling back to"), "what ran is restored:\n" + output);
        }
        assertTrue(store.find(StackLock.name(stackName())).isEmpty(), "the lock is released:\n" + output);
        DeployHistory.Entry newest = new DeployHistory(store).entries(stackName()).get(0);
        assertEquals("interrupted", newest.status(), "the history records the interruption: " + newest);
        assertEquals(broken, newest.digest());
        String app = appDigest(scenario.target(Log.silent()));
        if (orchestratorMayUndoTheRestore() && !TestImages.counter("v2").digest().equals(app)) {
            // Swarm's own update_config failure_action: rollback can undo the restore's update (docs/faults.md): then
            // the deploy must have said so, and exactly what runs now
            assertTrue(output.contains("ROLLBACK FAILED too") && output.contains("Running now: ") && output.contains(String.valueOf(app)),
                    "a restore that did not bring v2 back says so and what runs (" + app + "):\n" + output);
            log.warn("Observed: Swarm undid the restore of the interrupted deploy (" + app + " runs); the message said so. Redeploying v2");
            scenario.deployment(log, scenario.goodRedisHost()).deploy(scenario.request(TestImages.sha("v2"), Duration.ofSeconds(90),
                    Duration.ofSeconds(3)));
        }
        assertEquals("v2", serving(output), "v2 serves again:\n" + output);
        assertEquals(TestImages.counter("v2").digest(), appDigest(scenario.target(Log.silent())));
    }

    /**
     * Whether the orchestrator's own rollback ({@code update_config.failure_action: rollback}) may undo the restore of an
     * interrupted update, which the deploy then reports instead of v2 serving (Swarm; see docs/faults.md).
     */
    protected boolean orchestratorMayUndoTheRestore() {
        return false;
    }

    private void afterSigkill(long pid, TargetStore store, String broken, At at) throws Exception {
        assertTrue(store.find(StackLock.name(stackName())).isPresent(), "a killed deploy leaves its lock");
        Deployment next = scenario.deployment(log, scenario.goodRedisHost());
        DeployerException locked = assertThrows(DeployerException.class,
                () -> next.deploy(scenario.request(TestImages.sha("v2"), Duration.ofSeconds(90), Duration.ofSeconds(3))));
        assertTrue(locked.getMessage().contains("is locked by another deploy") && locked.getMessage().contains("pid " + pid),
                "the next deploy names the killed one: " + locked.getMessage());
        assertTrue(locked.getMessage().contains("./mvnw deployer:unlock -Ddeployer.stack=" + stackName()), "and how to release it: " + locked.getMessage());
        assertTrue(next.unlock(stackName(), Duration.ofMinutes(5), true), "released on purpose");

        int before = log.lines().size();
        DeploymentResult recovered = next.deploy(scenario.request(TestImages.sha("v2"), Duration.ofSeconds(90), Duration.ofSeconds(3)));
        String said = String.join("\n", log.lines().subList(before, log.lines().size()));
        if (at == At.LOCK) {
            assertEquals(DeploymentResult.Outcome.UNCHANGED, recovered.outcome(), "nothing had changed: " + said);
        } else if (recovered.outcome() == DeploymentResult.Outcome.DEPLOYED) {
            assertTrue(said.contains("never verified"), "the half-deployed v3 is not taken as verified:\n" + said);
            assertEquals(TestImages.counter("v2").digest(), recovered.previous().digest(), "the rollback point is v2, the newest good version");
        }
        assertTrue(recovered.previous() == null || !broken.equals(recovered.previous().digest()), "never the half-deployed v3: " + recovered.previous());
        assertTrue(store.find(StackLock.name(stackName())).isEmpty(), "the lock is released");
        assertEquals("v2", get("/version"));
    }

    private Process start(Path forkTemp, Path forkLog, At at, Path marker) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                // SIGINT at its default disposition, as in a terminal (a shell may start background jobs with it ignored,
                // and a JVM started so would never hear Ctrl-C)
                "python3", "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + forkTemp, "-cp", System.getProperty("java.class.path"), ScenarioMain.class.getName(),
                targetName(), stackName(), String.valueOf(hostPort()), template(), deployerDir.toString(),
                TestImages.sha("v3"), "no-such-redis-host", "120"));
        if (at != At.HEALTH_WAIT) {
            command.add(at == At.LOCK ? "Snapshot" : "AwaitHealthy");
            command.add(marker.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(forkLog.toFile());
        builder.environment().put(Scenario.CANARY_NAME, canary);
        return builder.start();
    }

    private static void signal(long pid, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).redirectErrorStream(true).start();
        assertTrue(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name + " " + pid);
    }

    /** The version that answers, or a failure that shows {@code output} (the fork's) and what the target reports. */
    private String serving(String output) {
        try {
            return get("/version");
        } catch (IOException | InterruptedException | AssertionError e) {
            throw new AssertionError("nothing serves on " + scenario.url("/version") + " (" + e + "); the target reports "
                    + scenario.target(Log.silent()).current(stackName()) + "; the deploy said:\n" + output, e);
        }
    }

    private String appDigest(Target target) {
        return target.current(stackName()).service("app").map(StackState.ServiceState::digest).orElse(null);
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(scenario.url(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    private void assertNoCanary(Path forkLog, Path forkTemp) throws IOException {
        String output = read(forkLog);
        assertTrue(output.contains("[DEBUG]"), "the fork logged at debug level");
        assertFalse(output.contains(canary), "the fork's output (debug included) has no secret");
        assertFalse(log.text().contains(canary), "the test's own deploys' output has no secret");
        for (Path directory : List.of(forkTemp, deployerDir)) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(read(file).contains(canary), "a secret value was left in " + file);
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail("Timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            try {
                Thread.sleep(100); // poll interval of a bounded wait for a condition, not synchronisation by sleeping
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
