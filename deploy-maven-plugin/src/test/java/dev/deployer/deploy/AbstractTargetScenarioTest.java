package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import dev.deployer.testing.RecordingLog;
import dev.deployer.deploy.fixture.Scenario;
import dev.deployer.deploy.fixture.ScenarioMain;
import dev.deployer.deploy.fixture.Templates;
import dev.deployer.deploy.fixture.TestImages;
import dev.deployer.testing.TestInfra;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The deploy scenarios every target must pass, end to end against the real engine, Compose/Swarm and registry:
 * the counter app (HTTP + Redis) is deployed, upgraded, broken (a wrong Redis host makes /health 503) and must be
 * restored, locked by a concurrent deploy, killed with SIGKILL mid-deploy, and a canary secret must reach the
 * container and nothing else.
 *
 * <p>One subclass per target (and per quantum-cli stand-in variant) fills in the hooks: {@link #targetName()},
 * {@link #stackName()} (prefix {@code tdep-}), {@link #hostPort()} (and port+1), {@link #template()} and, when
 * the target needs settings, {@link #targetEnvironment()}. The tests run in order on one stack, which
 * {@link #removeStack()} removes at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class AbstractTargetScenarioTest {

    /** The target's name for {@link Targets#create}: {@code compose}, {@code swarm}, {@code quantum}. */
    protected abstract String targetName();

    /** This subclass's own stack name, {@code tdep-…}, unique among the subclasses. */
    protected abstract String stackName();

    /** The app's host port (127.0.0.1), in 18000-18399; port + 1 is used too (Redis on the host network). */
    protected abstract int hostPort();

    /** {@code compose} (compose file format) or {@code swarm} (stack format, host network): see Templates. */
    protected abstract String template();

    /** Extra environment for the target (e.g. PATH with a quantum-cli stand-in, QUANTUM_* settings). */
    protected Map<String, String> targetEnvironment() {
        return Map.of();
    }

    protected final String canary = "tdep-canary-" + UUID.randomUUID();
    protected final RecordingLog log = new RecordingLog("[" + getClass().getSimpleName() + "] ");
    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    protected Scenario scenario;
    protected Path deployerDir;
    private Instant started;

    @BeforeAll
    void startScenario(@TempDir Path temp) throws Exception {
        TestInfra.require();
        started = Instant.now().minusSeconds(1);
        deployerDir = temp.resolve("target/deployer");
        Files.createDirectories(deployerDir);
        Map<String, String> env = new HashMap<>(targetEnvironment());
        env.put(Scenario.CANARY_NAME, canary);
        scenario = new Scenario(targetName(), stackName(), hostPort(), template(), deployerDir, env);
        removeStack();
        TestImages.counter("v1");
        TestImages.counter("v2");
        TestImages.counter("v3");
    }

    @AfterAll
    void removeStack() {
        Target target = scenario.removeStack();
        awaitCondition("stack " + stackName() + " removed", Duration.ofSeconds(60), () -> !target.current(stackName()).exists());
    }

    protected DeploymentResult deploy(String version, String redisHost, Duration healthTimeout) {
        return scenario.deployment(log, redisHost).deploy(scenario.request(TestImages.sha(version), healthTimeout, Duration.ofSeconds(3)));
    }

    @Test
    @Order(0)
    void missingSecretFailsBeforeAnythingRemoteHappens() {
        Scenario withoutSecret = new Scenario(targetName(), stackName(), hostPort(), template(), deployerDir, targetEnvironment());
        DeployerException e = assertThrows(DeployerException.class, () -> withoutSecret.deployment(log, scenario.goodRedisHost())
                .deploy(withoutSecret.request(TestImages.sha("v1"), Duration.ofSeconds(30), Duration.ofSeconds(3))));
        assertTrue(e.getMessage().contains("[" + Scenario.CANARY_NAME + "]") && e.getMessage().contains("nothing was changed"), e.getMessage());
        assertFalse(scenario.target(log).current(stackName()).exists(), "nothing deployed");
        assertTrue(scenario.target(log).store().find(StackLock.name(stackName())).isEmpty(), "no lock taken");
    }

    @Test
    @Order(1)
    void dryRunPrintsEveryCommandWithSecretsRedactedAndChangesNothing() {
        DeployRequest dry = scenario.request(TestImages.sha("v1"), Duration.ofSeconds(30), Duration.ofSeconds(3), true);
        int before = log.lines().size();
        DeploymentResult result = scenario.deployment(log, scenario.goodRedisHost()).deploy(dry);
        assertEquals(DeploymentResult.Outcome.DRY_RUN, result.outcome());
        String printed = String.join("\n", log.lines().subList(before, log.lines().size()));
        assertTrue(printed.contains(Scenario.CANARY_NAME + "=" + Secret.REDACTED), "the dry run shows the secret as redacted:\n" + printed);
        assertFalse(scenario.target(log).current(stackName()).exists(), "a dry run deploys nothing");
        assertTrue(scenario.target(log).store().find(StackLock.name(stackName())).isEmpty(), "a dry run takes no lock");
    }

    @Test
    @Order(2)
    void aFailedFirstDeployStopsTheStackAndSaysNothingRuns() {
        DeployFailedException failure = assertThrows(DeployFailedException.class,
                () -> deploy("v3", "no-such-redis-host", Duration.ofSeconds(12)));
        assertFalse(failure.rolledBack(), "there was nothing to roll back to");
        assertTrue(failure.getMessage().contains("first deploy") && failure.getMessage().contains("NOTHING RUNS NOW"), failure.getMessage());
        awaitCondition("the failed first deploy's stack is removed", Duration.ofSeconds(60),
                () -> !scenario.target(log).current(stackName()).exists());
        assertTrue(scenario.target(log).store().find(StackLock.name(stackName())).isEmpty(), "the lock is released");
    }

    @Test
    @Order(3)
    void firstDeployServesAndTheCounterCounts() throws Exception {
        DeploymentResult result = deploy("v1", scenario.goodRedisHost(), Duration.ofSeconds(60));
        assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());
        assertEquals(TestImages.counter("v1").digest(), result.image().digest());
        assertEquals("v1", get("/version").body());
        assertEquals(200, get("/health").statusCode());
        int first = hits(post("/hits"));
        int second = hits(post("/hits"));
        assertEquals(first + 1, second, "the Redis-backed counter counts");
        assertTrue(Files.exists(deployerDir.resolve("deployment.json")), "deployment.json written");
        assertTrue(Files.readString(deployerDir.resolve("deployment.json")).contains(TestImages.counter("v1").digest()));
    }

    @Test
    @Order(4)
    void secondVersionReplacesTheFirst() throws Exception {
        DeploymentResult result = deploy("v2", scenario.goodRedisHost(), Duration.ofSeconds(60));
        assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());
        assertEquals("v2", get("/version").body());
        assertNotNull(result.previous(), "the previous version is known");
        assertEquals(TestImages.counter("v1").digest(), result.previous().digest());
        assertTrue(result.rollbackCommand().contains("-Ddeployer.tag=" + TestImages.sha("v1")), result.rollbackCommand());
        int first = hits(post("/hits"));
        assertEquals(first + 1, hits(post("/hits")));
    }

    @Test
    @Order(5)
    protected void redeployOfTheSameDigestIsDetectedAndVerified() throws Exception {
        DeploymentResult result = deploy("v2", scenario.goodRedisHost(), Duration.ofSeconds(60));
        assertEquals(DeploymentResult.Outcome.UNCHANGED, result.outcome());
        assertEquals("v2", get("/version").body());
    }

    @Test
    @Order(6)
    void unhealthyVersionFailsTheDeployAndThePreviousVersionServesAgain() throws Exception {
        DeployFailedException failure = assertThrows(DeployFailedException.class,
                () -> deploy("v3", "no-such-redis-host", Duration.ofSeconds(25)));
        assertTrue(failure.rolledBack(), failure.getMessage());
        assertTrue(failure.getMessage().contains(TestImages.counter("v2").digest()), "the failure says what runs now:\n" + failure.getMessage());
        assertEquals("v2", get("/version").body());
        assertEquals(200, get("/health").statusCode());
        int first = hits(post("/hits"));
        assertEquals(first + 1, hits(post("/hits")));
        StackState now = scenario.target(log).current(stackName());
        assertEquals(TestImages.counter("v2").digest(), now.service("app").orElseThrow().digest());
    }

    @Test
    @Order(7)
    void rollbackRedeploysThePreviousGoodVersion() throws Exception {
        DeployRequest request = scenario.request(null, Duration.ofSeconds(60), Duration.ofSeconds(3));
        DeploymentResult result = scenario.deployment(log, scenario.goodRedisHost()).rollback(request);
        assertEquals(TestImages.counter("v1").digest(), result.image().digest());
        assertEquals("v1", get("/version").body());
        DeploymentResult forward = deploy("v2", scenario.goodRedisHost(), Duration.ofSeconds(60));
        assertEquals(DeploymentResult.Outcome.DEPLOYED, forward.outcome());
        assertEquals("v2", get("/version").body());
    }

    @Test
    @Order(8)
    protected void twoDeploysOfOneStackAtOnceTheSecondFailsOnTheLock() throws Exception {
        TargetStore store = scenario.target(log).store();
        // the first deploy is slow on purpose: an unhealthy version waits for its health timeout, then rolls back
        CompletableFuture<Throwable> first = CompletableFuture.supplyAsync(() -> {
            try {
                deploy("v3", "no-such-redis-host", Duration.ofSeconds(12));
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        awaitCondition("the first deploy holds the lock", Duration.ofSeconds(60),
                () -> store.find(StackLock.name(stackName())).isPresent() || first.isDone());
        assertFalse(first.isDone(), "the first deploy still runs");
        DeployerException locked = assertThrows(DeployerException.class, () -> deploy("v1", scenario.goodRedisHost(), Duration.ofSeconds(30)));
        assertTrue(locked.getMessage().contains("locked by another deploy"), locked.getMessage());
        assertTrue(locked.getMessage().contains("pid " + ProcessHandle.current().pid()), "the owner is shown: " + locked.getMessage());
        Throwable firstOutcome = first.get();
        assertTrue(firstOutcome instanceof DeployFailedException, "the first (unhealthy) deploy failed by itself: " + firstOutcome);
        assertTrue(store.find(StackLock.name(stackName())).isEmpty(), "the lock is released");
        assertEquals("v2", get("/version").body());
    }

    @Test
    @Order(9)
    void killedDeployLeavesNoSecretOnDiskAndALockThatCanBeReleased(@TempDir Path forkTemp) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + forkTemp, "-cp", System.getProperty("java.class.path"), ScenarioMain.class.getName(),
                targetName(), stackName(), String.valueOf(hostPort()), template(), deployerDir.toString(),
                TestImages.sha("v3"), "no-such-redis-host", "120"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(targetEnvironment());
        builder.environment().put(Scenario.CANARY_NAME, canary);
        Path forkLog = deployerDir.getParent().resolve("fork-" + stackName() + ".log");
        builder.redirectOutput(forkLog.toFile());
        Process fork = builder.start();
        try {
            String broken = TestImages.counter("v3").digest();
            Target target = scenario.target(Log.silent());
            awaitCondition("the forked deploy has changed the stack", Duration.ofSeconds(90),
                    () -> !fork.isAlive() || target.current(stackName()).service("app").map(s -> broken.equals(s.digest())).orElse(false));
            assertTrue(fork.isAlive(), "the fork is mid-deploy:\n" + read(forkLog));
        } finally {
            List<ProcessHandle> children = fork.descendants().toList();
            fork.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook runs
            fork.waitFor();
            children.forEach(ProcessHandle::destroyForcibly); // e.g. a docker CLI the fork had started
        }
        assertNoCanaryUnder(forkTemp, "the killed deploy's temp dir");
        assertNoCanaryUnder(deployerDir, "target/deployer");
        assertFalse(read(forkLog).contains(canary), "the fork's output has no secret");
        recoverFromTheKilledDeploy(fork.pid());
    }

    /**
     * After the SIGKILL: its lock is left behind, names the dead deploy, is refused while young and broken
     * explicitly; then v2 deploys and serves. A target without a lock of its own overrides this.
     */
    protected void recoverFromTheKilledDeploy(long pid) throws Exception {
        Deployment deployment = scenario.deployment(log, scenario.goodRedisHost());
        DeployerException locked = assertThrows(DeployerException.class, () -> deploy("v2", scenario.goodRedisHost(), Duration.ofSeconds(30)));
        assertTrue(locked.getMessage().contains("pid " + pid), "the stale lock names the killed deploy: " + locked.getMessage());
        assertTrue(locked.getMessage().contains("./mvnw deployer:unlock -Ddeployer.stack=" + stackName()), "and how to release it: " + locked.getMessage());
        DeployerException young = assertThrows(DeployerException.class, () -> deployment.unlock(stackName(), Duration.ofMinutes(5), false));
        assertTrue(young.getMessage().contains("Refusing to break") && young.getMessage().contains("pid " + pid), "a young lock is refused, its holder shown: " + young.getMessage());
        assertTrue(deployment.unlock(stackName(), Duration.ofMinutes(5), true), "the stale lock is released on purpose, explicitly");
        DeploymentResult recovered = deploy("v2", scenario.goodRedisHost(), Duration.ofSeconds(60));
        assertEquals("v2", get("/version").body());
        assertNotNull(recovered);
        assertFalse(recovered.previous() != null && TestImages.counter("v3").digest().equals(recovered.previous().digest()),
                "the half-deployed v3 is never taken as the rollback point: " + recovered.previous());
    }

    @Test
    @Order(10)
    void canarySecretReachedTheContainerAndNothingElse() throws Exception {
        String text = log.text();
        assertFalse(text.contains(canary), "the debug-level log has no secret value");
        assertTrue(text.contains("[DEBUG]"), "debug logging was on");
        assertNoCanaryUnder(deployerDir, "target/deployer");
        assertNoCanaryInTempFilesSince(started);
        assertTrue(containerEnv("app").contains(Scenario.CANARY_NAME + "=" + canary), "the running app received the secret");
    }

    @Test
    @Order(11)
    void theLiveRunPerformsThePlanItPrints() throws Exception {
        List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Step> performed = new java.util.concurrent.CopyOnWriteArrayList<>();
        Deployment deployment = scenario.deployment(log, scenario.goodRedisHost(), real -> (command, timeout) -> {
            commands.add(command.display());
            return real.run(command, timeout);
        });
        deployment.executor().observe(performed::add);
        Plan plan = deployment.runbook().deploy(scenario.request(TestImages.sha("v1"), Duration.ofSeconds(60), Duration.ofSeconds(3)));
        List<String> printed = plan.steps().stream().map(Step::display).toList();
        int probes = commands.size(); // the target's tool probes (e.g. which Compose), made while the plan was built

        DeploymentResult result = deployment.executor().run(plan);

        assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());
        assertEquals("v1", get("/version").body());
        assertEquals(printed, performed.stream().map(Step::display).toList(), "the live run took every printed step, in order");
        // each printed command line as it runs (a retry's note after it, "  # once more if …", is the printout's only)
        List<String> printedCommands = plan.steps().stream().filter(step -> step instanceof Step.Run)
                .map(step -> ((Step.Run) step).command().display()).toList();
        assertTrue(plan.steps().stream().filter(step -> step instanceof Step.Run)
                .allMatch(step -> step.display().startsWith(((Step.Run) step).command().display())), "the printout starts with the command");
        assertEquals(printedCommands, commands.subList(probes, commands.size()).stream()
                .filter(command -> !command.contains(" version") && !command.contains("--help"))
                .filter(command -> !command.contains(" ps ") && !command.contains("auth status")).toList(),
                "the commands run are exactly the printed ones (besides the tool probes and the reads of health checks)");
    }

    /** The environment of a running container of {@code service}, as {@code docker inspect} shows it. */
    protected List<String> containerEnv(String service) {
        return ScenarioDocker.containerEnv(stackName(), service);
    }

    protected HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(scenario.url(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(scenario.url(path)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int hits(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        Matcher matcher = Pattern.compile("\"hits\":(\\d+)").matcher(response.body());
        assertTrue(matcher.find(), response.body());
        return Integer.parseInt(matcher.group(1));
    }

    protected static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail("Timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(100); // poll interval of a bounded wait for a condition, not synchronisation by sleeping
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
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

    private void assertNoCanaryUnder(Path directory, String what) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(read(file).contains(canary), "a secret value was left in " + what + ": " + file);
            }
        }
    }

    private void assertNoCanaryInTempFilesSince(Instant since) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> leaks = new ArrayList<>();
        Files.walkFileTree(tmp, java.util.Set.of(), 4, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attributes) {
                // runc-process*: the engine's runc writes the spec of each process it execs in a container (the
                // health checks) there, the container's environment included; that is Docker's, not Deployer's
                boolean engines = file.getFileName().toString().startsWith("runc-process");
                if (!engines && attributes.isRegularFile() && attributes.lastModifiedTime().toInstant().isAfter(since) && attributes.size() < 4_000_000) {
                    try {
                        if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(canary)) {
                            leaks.add(file);
                        }
                    } catch (IOException e) {
                        // unreadable or vanished: not written by this run
                    }
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        assertTrue(leaks.isEmpty(), "a secret value was left in temp files: " + leaks);
    }
}
