package dev.deployer.deploy;

import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import dev.deployer.deploy.fixture.Scenario;
import dev.deployer.deploy.fixture.TestImages;
import dev.deployer.testing.PrivateEngine;
import dev.deployer.testing.RecordingLog;
import dev.deployer.testing.TestInfra;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engine faults on Docker Compose, injected into a private engine of this test's own ({@link PrivateEngine}: its data
 * root on a small filesystem it fills, restarted and stopped by its PID), the shared engine never touched: the engine's
 * disk full at the history write (after a failed and after a successful deploy) and before the lock, the engine
 * restarted during {@code up} and during the health wait, and stopped for the rest of a deploy. Each fault is injected
 * at an exact step (through the executor's step observer or the command runner), never by timing; each test checks by
 * HTTP which version answers, the message, and the lock. The stack carries a canary secret that must reach the
 * container and nothing else. docs/faults.md ("Engine faults") is the table of what these tests observe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EngineFaultsIT {

    private static final String STACK = "faults1-engine";
    private static final int PORT = 18462;
    private static final Duration HEALTH = Duration.ofSeconds(40);
    private static final Duration FAILING_HEALTH = Duration.ofSeconds(25);

    private final String canary = "faults1-canary-" + UUID.randomUUID();
    private final RecordingLog log = new RecordingLog("[" + getClass().getSimpleName() + "] ");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private PrivateEngine engine;
    private Scenario scenario;
    private Path deployerDir;

    @BeforeAll
    void startEngine(@TempDir Path temp) {
        TestInfra.require();
        TestImages.counter("v1");
        TestImages.counter("v2");
        TestImages.counter("v3");
        engine = PrivateEngine.onSmallDisk("faults1-compose", 320, "10.231.0.0/16");
        deployerDir = temp.resolve("target/deployer");
        scenario = new Scenario("compose", STACK, PORT, "compose-host", deployerDir,
                Map.of(Scenario.CANARY_NAME, canary, "DOCKER_HOST", engine.host()));
    }

    @AfterAll
    void removeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    @Order(1)
    void firstDeployServes() throws Exception {
        DeploymentResult result = deploy("v1", scenario.goodRedisHost(), HEALTH, UnaryOperator.identity(), step -> { });
        assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());
        assertServes("v1");
    }

    /**
     * Disk full from the moment the restore has started the previous version again: the history cannot record the
     * failed deploy, and the restore has happened anyway (it comes first); the message says both.
     */
    @Test
    @Order(2)
    void diskFullAtTheHistoryWriteOfAFailedDeploy() throws Exception {
        try {
            DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deploy("v3", "no-such-redis-host",
                    FAILING_HEALTH, afterRestoreUp(engine::fillDisk), step -> { }));
            String message = failure.getMessage();
            assertTrue(failure.rolledBack(), message);
            assertTrue(message.contains("Rolled back to the previous version, verified healthy. Running now: app=" + TestImages.counter("v1").ref()), message);
            assertTrue(message.contains("could not record this 'failed' deploy") && message.contains("no space left on device"), message);
            assertServes("v1");
            assertUnlocked();
        } finally {
            engine.freeDisk();
        }
        // the engine refused the record; whether its full disk still kept part of it (a volume it reported as not
        // created) is the engine's business: the history must never call v3 good
        String newest = newestHistoryStatus();
        assertTrue(newest.equals("deployed") || newest.equals("failed"), "the newest entry is v1's or a failed one: " + newest);
    }

    /**
     * Disk full before the deploy: the lock cannot be taken (or, when it still can, the first pull fails), nothing
     * changes, and the message says why.
     */
    @Test
    @Order(3)
    void diskFullBeforeTheLock() throws Exception {
        engine.fillDisk();
        try {
            DeployerException failure = assertThrows(DeployerException.class, () -> deploy("v2", scenario.goodRedisHost(), HEALTH,
                    UnaryOperator.identity(), step -> { }));
            assertFalse(failure instanceof DeployFailedException, "nothing changed: " + failure.getMessage());
            // the lock's volume create fails, or (when the volume store's file still had a free page) the first pull does
            String message = failure.getMessage();
            assertTrue(message.contains("no space left on device") && (message.contains("create volume " + StackLock.name(STACK))
                    || message.contains("stopped before anything changed: 'Pulling ") && message.contains("Nothing was changed")), message);
            assertServes("v1");
            assertUnlocked();
        } finally {
            engine.freeDisk();
        }
    }

    /**
     * The engine restarted as {@code docker-compose up} of the new version starts (down when it runs, back when it
     * failed): the restore finds the engine back, with every container stopped by the restart, and starts the
     * previous version again.
     */
    @Test
    @Order(4)
    void engineRestartedDuringUp() throws Exception {
        UnaryOperator<CommandRunner> restartAroundFirstUp = real -> new CommandRunner() {
            private boolean done;

            @Override
            public Result run(dev.deployer.core.Command command, Duration timeout) {
                if (done || !isUp(command) || isRestore(command)) {
                    return real.run(command, timeout);
                }
                done = true;
                engine.stop();
                try {
                    return real.run(command, timeout);
                } finally {
                    engine.start();
                }
            }
        };
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deploy("v2", scenario.goodRedisHost(), HEALTH,
                restartAroundFirstUp, step -> { }));
        String message = failure.getMessage();
        assertTrue(failure.rolledBack(), message);
        assertTrue(message.contains("failed: 'Starting group 1/2: redis' failed"), message);
        assertTrue(message.contains("Rolled back to the previous version, verified healthy. Running now: app=" + TestImages.counter("v1").ref()), message);
        assertServes("v1");
        assertUnlocked();
    }

    /**
     * The engine restarted (stopped and started again, its containers stopped with it) as the health wait of the new
     * version begins: the health gate sees the new version's container exited, and the previous version is restored.
     */
    @Test
    @Order(5)
    void engineRestartedDuringTheHealthWait() throws Exception {
        Consumer<Step> restartAtAppHealth = step -> {
            if (step instanceof Step.AwaitHealthy await && await.services().contains("app")) {
                engine.restart();
            }
        };
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deploy("v2", scenario.goodRedisHost(), HEALTH,
                UnaryOperator.identity(), restartAtAppHealth));
        String message = failure.getMessage();
        assertTrue(failure.rolledBack(), message);
        assertTrue(message.contains("service(s) app failed: app: exited"), message);
        assertTrue(message.contains("Rolled back to the previous version, verified healthy. Running now: app=" + TestImages.counter("v1").ref()), message);
        assertServes("v1");
        assertUnlocked();
    }

    /**
     * The engine stopped as the health wait begins and not back before the deploy gives up: neither the restore nor
     * the record nor the unlock can reach it. The message says the rollback failed, what is known of what runs, that
     * the lock is still held and how to release it (before the fix, the engine client's raw exception escaped the
     * restore, and neither the record nor the message said anything). Once the engine is back, the lock is there, names
     * this deploy, is released with deployer:unlock's path, and the next deploy serves.
     */
    @Test
    @Order(6)
    void engineStoppedForTheRestOfTheDeploy() throws Exception {
        Consumer<Step> stopAtAppHealth = step -> {
            if (step instanceof Step.AwaitHealthy await && await.services().contains("app")) {
                engine.stop();
            }
        };
        int before = log.lines().size();
        DeployFailedException failure;
        try {
            failure = assertThrows(DeployFailedException.class, () -> deploy("v2", scenario.goodRedisHost(), HEALTH,
                    UnaryOperator.identity(), stopAtAppHealth));
        } finally {
            engine.start();
        }
        String message = failure.getMessage();
        String logged = String.join("\n", log.lines().subList(before, log.lines().size()));
        assertFalse(failure.rolledBack(), message);
        assertTrue(message.contains("ROLLBACK FAILED too") && message.contains("Running now: unknown (compose did not answer: "), message);
        String lockState = "Could not release the deploy lock of '" + STACK + "'";
        String howToClear = "THE STACK STAYS LOCKED: once its target answers, release it with ./mvnw deployer:unlock -Ddeployer.stack=" + STACK;
        assertTrue(message.contains(lockState) && message.contains(howToClear), "the message states the lock: " + message);
        assertTrue(logged.contains("[ERROR] " + lockState) && logged.contains(howToClear), logged);
        assertTrue(logged.contains("could not record this 'failed' deploy"), "the record was attempted, and said to have failed: " + logged);
        TargetStore store = scenario.target(log).store();
        String holder = store.find(StackLock.name(STACK)).orElseThrow().labels().get(StackLock.OWNER_LABEL);
        assertTrue(holder.endsWith("pid " + ProcessHandle.current().pid()), "the left lock names this deploy: " + holder);
        assertTrue(scenario.deployment(log, scenario.goodRedisHost()).unlock(STACK, Duration.ofMinutes(5), true));
        DeploymentResult recovered = deploy("v1", scenario.goodRedisHost(), HEALTH, UnaryOperator.identity(), step -> { });
        assertEquals(DeploymentResult.Outcome.DEPLOYED, recovered.outcome());
        assertServes("v1");
        assertUnlocked();
    }

    /**
     * Disk full at the history write of a deploy that succeeded: the new version serves, the deploy succeeds, the
     * log says the history could not record it (so a later rollback goes by the history's last good version).
     */
    @Test
    @Order(7)
    void diskFullAtTheHistoryWriteOfASuccessfulDeploy() throws Exception {
        Consumer<Step> fillAtRecord = step -> {
            if (step instanceof Step.Record) {
                engine.fillDisk();
            }
        };
        int before = log.lines().size();
        try {
            DeploymentResult result = deploy("v2", scenario.goodRedisHost(), HEALTH, UnaryOperator.identity(), fillAtRecord);
            assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());
            String logged = String.join("\n", log.lines().subList(before, log.lines().size()));
            assertTrue(logged.contains("[WARN] The history of stack '" + STACK + "' could not record this 'deployed' deploy")
                    && logged.contains("no space left on device"), logged);
            assertServes("v2");
            assertUnlocked();
        } finally {
            engine.freeDisk();
        }
    }

    @Test
    @Order(8)
    void theSecretReachedTheContainerAndNothingElse() throws Exception {
        assertFalse(log.text().contains(canary), "the log has no secret value");
        for (Path file : PrivateEngine.files(deployerDir)) {
            assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains(canary), "secret in " + file);
        }
        assertFalse(Files.readString(engine.daemonLog(), StandardCharsets.ISO_8859_1).contains(canary), "secret in the engine's log");
        assertFalse(engine.docker("volume", "ls", "--format", "{{.Name}} {{.Labels}}").contains(canary), "secret in a record");
        String app = engine.runningContainer("com.docker.compose.project=" + STACK).orElseThrow();
        assertTrue(engine.docker("inspect", "--format", "{{json .Config.Env}}",
                engine.runningContainer("com.docker.compose.service=app").orElse(app)).contains(Scenario.CANARY_NAME + "=" + canary),
                "the app received the secret");
    }

    private DeploymentResult deploy(String version, String redisHost, Duration health, UnaryOperator<CommandRunner> runner,
            Consumer<Step> observer) {
        Deployment deployment = scenario.deployment(log, redisHost, runner);
        deployment.executor().observe(observer);
        return deployment.deploy(scenario.request(TestImages.sha(version), health, Duration.ofSeconds(3)));
    }

    /** Runs {@code action} once the restore's {@code up} (of the rollback file) has succeeded. */
    private static UnaryOperator<CommandRunner> afterRestoreUp(Runnable action) {
        return real -> (command, timeout) -> {
            CommandRunner.Result result = real.run(command, timeout);
            if (isUp(command) && isRestore(command) && command.argv().contains("app") && result.succeeded()) {
                action.run();
            }
            return result;
        };
    }

    private static boolean isUp(dev.deployer.core.Command command) {
        return command.argv().contains("up");
    }

    private static boolean isRestore(dev.deployer.core.Command command) {
        return command.argv().stream().anyMatch(arg -> arg.endsWith(".rollback.yml"));
    }

    private void assertServes(String version) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(scenario.url("/version")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals(version, response.body(), "the version that answers");
        assertEquals(200, http.send(HttpRequest.newBuilder(scenario.url("/health")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    private void assertUnlocked() {
        assertTrue(scenario.target(Log.silent()).store().find(StackLock.name(STACK)).isEmpty(), "the lock is released");
    }

    private String newestHistoryStatus() {
        return new DeployHistory(scenario.target(Log.silent()).store()).entries(STACK).get(0).status();
    }
}
