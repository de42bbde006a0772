package dev.deployer.platform.quantum;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import dev.deployer.deploy.DeployHistory;
import dev.deployer.deploy.StackLock;
import dev.deployer.deploy.StackState;
import dev.deployer.deploy.TargetContext;
import dev.deployer.testing.RecordingLog;
import dev.deployer.verify.FakeClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Docker's own task JSON as {@code quantum-cli ps --output json} is assumed to print it, and the lock and history
 * of a Quantum stack without {@code DOCKER_HOST}, read from it. Lines are what {@code docker stack ps --no-trunc
 * --format '{{json .}}'} printed for a real stack (engine 20.10), with the app updated v1 → v2 and v3 failing.
 */
class QuantumStackRecordsTest {

    private static final String V1 = "127.0.0.1:5443/tdeploy/counter:" + "1".repeat(40) + "@sha256:" + "a".repeat(64);
    private static final String V2 = "127.0.0.1:5443/tdeploy/counter:" + "2".repeat(40) + "@sha256:" + "b".repeat(64);
    private static final String V3 = "127.0.0.1:5443/tdeploy/counter:" + "3".repeat(40) + "@sha256:" + "c".repeat(64);
    private static final String REDIS = "127.0.0.1:5443/deployer/redis:7@sha256:" + "d".repeat(64);

    static String task(String id, String name, String image, String desired, String current, String error) {
        return "{\"CurrentState\":\"" + current + "\",\"DesiredState\":\"" + desired + "\",\"Error\":\"" + error + "\",\"ID\":\"" + id
                + "\",\"Image\":\"" + image + "\",\"Name\":\"" + name + "\",\"Node\":\"vm\",\"Ports\":\"\"}";
    }

    /** ps --all: Docker lists the newest task of a replica first. */
    static final String ALL = String.join("\n",
            task("t6", "shop_app.1", V2, "Running", "Running 2 minutes ago", ""),
            task("t5", "shop_app.1", V3, "Shutdown", "Failed 3 minutes ago", "task: non-zero exit (1)"),
            task("t4", "shop_app.1", V3, "Shutdown", "Shutdown 3 minutes ago", ""),
            task("t3", "shop_app.1", V2, "Shutdown", "Shutdown 3 minutes ago", ""),
            task("t2", "shop_app.1", V1, "Shutdown", "Shutdown 10 minutes ago", ""),
            task("t1", "shop_redis.1", REDIS, "Running", "Running 12 minutes ago", "")) + "\n";

    static final String RUNNING = String.join("\n",
            task("t6", "shop_app.1", V2, "Running", "Running 2 minutes ago", ""),
            task("t1", "shop_redis.1", REDIS, "Running", "Running 12 minutes ago", "")) + "\n";

    private final FakeClock clock = new FakeClock();
    private final RecordingLog log = new RecordingLog("");

    private static ScriptedRunner runner() {
        return ScriptedRunner.v2()
                .answer("ps --stack shop --all --output json", 0, ALL)
                .answer("ps --stack shop --output json", 0, RUNNING);
    }

    private QuantumTarget target(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of("QUANTUM_API_KEY", "qk-test", "QUANTUM_ENDPOINT", "qa-cluster"));
        all.putAll(env);
        return new QuantumTarget(new TargetContext(runner(), log, all::get, clock), "quantum-cli");
    }

    @Test
    void theArchitectureCheckReadsTheSwarmNodesOnlyWithDockerHost() {
        String stack = "services:\n  app:\n    image: " + V1 + "\n    deploy:\n      placement:\n        constraints:"
                + " [node.labels.arch==arm]\n";
        java.nio.file.Path dir = java.nio.file.Path.of("target/deployer/production");
        dev.deployer.deploy.DeployPlan plan = new dev.deployer.deploy.DeployPlan("shop", "production",
                dev.deployer.core.ImageRef.parse(V1), dir, dir.resolve("stack.yml"),
                dev.deployer.deploy.StackFiles.services(stack, "stack.yml"), List.of(), Duration.ofMinutes(1), stack);

        assertTrue(target(Map.of()).nodes(plan).isEmpty(), "quantum-cli reports no node platforms");
        dev.deployer.deploy.NodeQuery query = target(Map.of("DOCKER_HOST", "tcp://127.0.0.1:1")).nodes(plan).orElseThrow();
        assertEquals("service app's nodes", query.where());
        assertTrue(query.display().endsWith("# app: the ready, active nodes matching node.labels.arch==arm"), query.display());
    }

    @Test
    void dockersTaskJsonLinesAreRead() {
        List<QuantumTask> tasks = QuantumTask.parse(ALL, "quantum-cli ps", "shop");
        assertEquals(6, tasks.size());
        QuantumTask app = tasks.get(0);
        assertEquals("app", app.service());
        assertEquals(V2, app.image());
        assertEquals("sha256:" + "b".repeat(64), app.digest());
        assertTrue(app.wanted() && app.running(), "Running / Running 2 minutes ago: " + app);
        assertEquals(Duration.ofMinutes(2), app.stateAge());
        assertEquals("failed", tasks.get(1).state());
        assertTrue(tasks.get(1).ended());
        assertEquals("task: non-zero exit (1)", tasks.get(1).error());
        assertEquals("redis", tasks.get(5).service());
    }

    @Test
    void whatRunsNowIsReadFromDockersTaskJson() {
        StackState now = target(Map.of()).current("shop");
        assertEquals(V2, now.service("app").orElseThrow().image());
        assertEquals(1, now.service("app").orElseThrow().running());
        assertEquals("sha256:" + "d".repeat(64), now.service("redis").orElseThrow().digest());
    }

    @Test
    void noOutputIsNoTaskAndGarbageIsAnError() {
        assertEquals(List.of(), QuantumTask.parse("", "quantum-cli ps", "shop"));
        assertEquals(List.of(), QuantumTask.parse("\n", "quantum-cli ps", "shop"));
        DeployerException garbage = assertThrows(DeployerException.class, () -> QuantumTask.parse("<html>502 Bad Gateway</html>", "quantum-cli ps", "shop"));
        assertTrue(garbage.getMessage().contains("printed no JSON"), garbage.getMessage());
        assertThrows(DeployerException.class, () -> QuantumTask.parse("{\"ID\": \"x\", ", "quantum-cli ps", "shop"));
    }

    @Test
    void theEarlierAssumedShapesAreStillRead() {
        String array = "[{\"service\": \"app\", \"image\": \"" + V1 + "\", \"desiredState\": \"running\", \"state\": \"running\","
                + " \"createdAt\": \"2026-11-22T07:05:31.6Z\"}]";
        QuantumTask task = QuantumTask.parse("Warning: something\n" + array, "quantum-cli ps", "shop").get(0);
        assertEquals("app", task.service());
        assertTrue(task.running());
        assertNull(task.stateAge());
        assertEquals("app", QuantumTask.parse("{\"tasks\": " + array + "}", "ps", null).get(0).service());
    }

    @Test
    void taskNamesAndDockersHumanDurations() {
        assertEquals("app", QuantumTask.serviceOfTaskName("shop_app.1", "shop"));
        assertEquals("app", QuantumTask.serviceOfTaskName("shop_app.kz8w2ntcyu2t1k0x1z0pudpru", "shop"));
        assertEquals("my_app", QuantumTask.serviceOfTaskName("shop_my_app.2", "shop"));
        assertEquals("app", QuantumTask.serviceOfTaskName(" \\_ shop_app.1", "shop"));
        assertEquals(Duration.ZERO, QuantumTask.age("Less than a second ago"));
        assertEquals(Duration.ofHours(1), QuantumTask.age("About an hour ago"));
        assertEquals(Duration.ofDays(14), QuantumTask.age("2 weeks ago"));
        assertNull(QuantumTask.age(""));
    }

    @Test
    void withoutDockerHostTheHistoryIsTheStacksOwnTaskHistory() {
        QuantumTarget target = target(Map.of());
        assertTrue(target.store() instanceof QuantumStackStore, "no DOCKER_HOST: the stack itself keeps the records");
        List<DeployHistory.Entry> entries = new DeployHistory(target.store()).entries("shop");
        assertEquals(List.of("2".repeat(40), "3".repeat(40), "1".repeat(40)), entries.stream().map(DeployHistory.Entry::tag).toList(),
                "newest first, only commit-SHA tags (not redis:7): " + entries);
        assertEquals(List.of(true, false, true), entries.stream().map(DeployHistory.Entry::good).toList(),
                "running and replaced versions are good, one whose task failed is not");
        assertEquals("127.0.0.1:5443/tdeploy/counter", entries.get(2).repository());
        assertEquals("sha256:" + "a".repeat(64), entries.get(2).digest());
        assertEquals(clock.instant().minus(Duration.ofMinutes(10)).minusMillis(4), entries.get(2).time());
        assertEquals("", entries.get(2).stackText(), "the stack file of an earlier version is not kept");
    }

    @Test
    void withDockerHostTheRecordsAreSwarmConfigsOnThatEngine() {
        assertFalse(target(Map.of("DOCKER_HOST", "unix:///tmp/lockst-none.sock")).store() instanceof QuantumStackStore);
    }

    @Test
    void withoutDockerHostTheLockIsTheWorkflowsConcurrencyGroupAndSaysSo() {
        QuantumTarget target = target(Map.of("GITHUB_ACTIONS", "true", "GITHUB_WORKFLOW", "deploy"));
        StackLock lock = new StackLock(target.store(), clock, clock.sleeper(), log);
        lock.acquire("shop", Map.of(StackLock.OWNER_LABEL, "ci@runner pid 1"), Duration.ofSeconds(1));
        assertTrue(log.text().contains("DOCKER_HOST is not set") && log.text().contains("the lock is the GitHub workflow's concurrency group"
                + " with cancel-in-progress: false (workflow 'deploy')"), log.text());
        assertFalse(log.text().contains("Outside GitHub Actions"), log.text());
        DeployerException held = assertThrows(DeployerException.class, () -> new StackLock(target.store(), clock, clock.sleeper(), log)
                .acquire("shop", Map.of(StackLock.OWNER_LABEL, "other"), Duration.ofSeconds(1)));
        assertTrue(held.getMessage().contains("ci@runner pid 1"), "a second deploy in the same process waits: " + held.getMessage());
        assertTrue(lock.release("shop"));
        assertFalse(log.text().contains("already gone"), log.text());
    }

    @Test
    void withoutDockerHostAndOutsideGitHubActionsTheDeployWarnsThatNothingLocks() {
        QuantumTarget target = target(Map.of());
        new StackLock(target.store(), clock, clock.sleeper(), log).acquire("shop", Map.of(StackLock.OWNER_LABEL, "me"), Duration.ofSeconds(1));
        assertTrue(log.text().contains("[WARN] Outside GitHub Actions nothing stops another deploy of stack 'shop'"), log.text());
    }

    @Test
    void recordingADeployWithoutDockerHostWritesNothingAndRunsNoCommand() {
        ScriptedRunner runner = runner();
        QuantumStackStore store = new QuantumStackStore(new QuantumCli("quantum-cli", QuantumSettings.fromEnvironment(
                Map.of("QUANTUM_API_KEY", "qk-test", "QUANTUM_ENDPOINT", "qa-cluster")::get, Log.silent()), runner, Log.silent()),
                new ConcurrentHashMap<>(), name -> null, clock, Log.silent());
        assertTrue(store.create("deployer-history-shop-1", Map.of(StackLock.KIND_LABEL, "history", StackLock.STACK_LABEL, "shop"), "x"));
        assertEquals(List.of(), runner.words());
    }
}
