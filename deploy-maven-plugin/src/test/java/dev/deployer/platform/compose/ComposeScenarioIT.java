package dev.deployer.platform.compose;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.deployer.core.Log;
import dev.deployer.deploy.AbstractTargetScenarioTest;
import dev.deployer.deploy.DeployFailedException;
import dev.deployer.deploy.StackState;
import dev.deployer.deploy.Step;
import dev.deployer.testing.TestInfra;
import dev.deployer.platform.DockerEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deploy scenarios on Docker Compose (docker-compose v1 here, v2 where installed; lock and history as labelled
 * volumes), then, on the stack the scenarios left: a stack whose containers are all stopped exists (its next deploy
 * is not a first deploy), and a failed deploy rolls it back instead of removing it, its data service included; the
 * removal after a failed first deploy never touches a container that was there before; and the lock and the history
 * survive container and system prunes during a deploy.
 */
class ComposeScenarioIT extends AbstractTargetScenarioTest {

    @Override
    protected String targetName() {
        return "compose";
    }

    @Override
    protected String stackName() {
        return "tdep-compose";
    }

    @Override
    protected int hostPort() {
        return 18000;
    }

    @Override
    protected String template() {
        return "compose";
    }

    private Map<String, String> containerIds() throws IOException {
        try (DockerClient docker = DockerEngine.connect(System::getenv)) {
            return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(ComposeTarget.PROJECT_LABEL, stackName()))
                    .exec().stream().collect(Collectors.toMap(Container::getId, c -> c.getLabels().get(ComposeTarget.SERVICE_LABEL)));
        }
    }

    @Test
    @Order(30)
    void aStackWhoseContainersAreAllStoppedExistsAndAFailedDeployRollsItBackKeepingItsDataService() throws Exception {
        Map<String, String> before = containerIds();
        assertTrue(before.containsValue("redis") && before.containsValue("app"), "the scenarios left the stack deployed: " + before);
        List<String> stop = new java.util.ArrayList<>(List.of("stop"));
        stop.addAll(before.keySet());
        docker(stop.toArray(String[]::new));

        StackState stopped = scenario.target(log).current(stackName());
        assertTrue(stopped.exists(), "a stack of stopped containers exists: " + stopped);
        assertEquals(0, stopped.service("redis").orElseThrow().running());

        DeployFailedException failure = org.junit.jupiter.api.Assertions.assertThrows(DeployFailedException.class,
                () -> deploy("v3", "no-such-redis-host", Duration.ofSeconds(12)));
        assertFalse(failure.getMessage().contains("first deploy") || failure.getMessage().contains("NOTHING RUNS NOW"),
                "not taken for a first deploy: " + failure.getMessage());
        String redis = before.entrySet().stream().filter(e -> e.getValue().equals("redis")).findFirst().orElseThrow().getKey();
        assertTrue(containerIds().containsKey(redis), "the data service's container was not removed");
        assertTrue(scenario.target(log).current(stackName()).exists());
    }

    @Test
    @Order(31)
    void removalAfterAFailedFirstDeployLeavesContainersThatWereThereBefore() throws Exception {
        String project = stackName() + "-first";
        String data = stackName() + "-first-db";
        String created = stackName() + "-first-app";
        try {
            docker("create", "--name", data, "--label", ComposeTarget.PROJECT_LABEL + "=" + project,
                    "--label", ComposeTarget.SERVICE_LABEL + "=db", TestInfra.redisImage());
            ComposeTarget target = new ComposeTarget(scenario.context(Log.silent()));
            assertTrue(target.current(project).exists(), "a stopped data service makes the stack exist");
            // what a deploy would create after that first read
            docker("create", "--name", created, "--label", ComposeTarget.PROJECT_LABEL + "=" + project,
                    "--label", ComposeTarget.SERVICE_LABEL + "=app", TestInfra.redisImage());
            List<String> removed = target.remove(project).stream().filter(Step.Run.class::isInstance)
                    .map(step -> String.join(" ", ((Step.Run) step).command().argv())).toList();
            String dataId = docker("inspect", "--format", "{{.Id}}", data).strip();
            String createdId = docker("inspect", "--format", "{{.Id}}", created).strip();
            assertTrue(removed.stream().anyMatch(argv -> argv.contains(createdId)), "what this run created is removed: " + removed);
            assertFalse(removed.stream().anyMatch(argv -> argv.contains(dataId)), "what was there before is not: " + removed);
            assertTrue(removed.stream().noneMatch(argv -> argv.contains(" -v")), "volumes are never removed: " + removed);
        } finally {
            docker("rm", "--force", data, created);
        }
    }

    /**
     * {@code docker container prune} and {@code docker system prune} while a deploy holds the lock: the lock and
     * the history stay (named volumes), so a second deploy still waits for the lock. The engine is shared, so the
     * prunes carry {@code --filter label=dev.deployer.stack=tdep-compose}: the engine's deletion rules applied to
     * this stack's records only (the records Compose kept until 0.1, stopped containers, carry that label and were
     * deleted by exactly these commands).
     */
    @Test
    @Order(32)
    void theLockAndTheHistorySurviveContainerPruneAndSystemPruneDuringADeploy() throws Exception {
        dev.deployer.deploy.TargetStore store = scenario.target(log).store();
        int history = new dev.deployer.deploy.DeployHistory(store).entries(stackName()).size();
        assertTrue(history > 0, "the scenarios left a history");
        String serving = get("/version").body();
        java.util.concurrent.CompletableFuture<Throwable> first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                deploy("v3", "no-such-redis-host", Duration.ofSeconds(12));
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        awaitCondition("the first deploy holds the lock", Duration.ofSeconds(60),
                () -> store.find(dev.deployer.deploy.StackLock.name(stackName())).isPresent() || first.isDone());
        assertFalse(first.isDone(), "the first deploy still runs");
        String filter = "label=" + dev.deployer.deploy.StackLock.STACK_LABEL + "=" + stackName();
        docker("container", "prune", "--force", "--filter", filter);
        docker("system", "prune", "--force", "--filter", filter);
        assertTrue(store.find(dev.deployer.deploy.StackLock.name(stackName())).isPresent(), "the lock survived both prunes");
        dev.deployer.core.DeployerException locked = org.junit.jupiter.api.Assertions.assertThrows(dev.deployer.core.DeployerException.class,
                () -> deploy("v1", scenario.goodRedisHost(), Duration.ofSeconds(3)));
        assertTrue(locked.getMessage().contains("locked by another deploy"), locked.getMessage());
        assertTrue(first.get() instanceof DeployFailedException, "the first (unhealthy) deploy failed by itself and rolled back");
        assertTrue(store.find(dev.deployer.deploy.StackLock.name(stackName())).isEmpty(), "its holder released the lock");
        assertEquals(Math.min(history + 1, dev.deployer.deploy.DeployHistory.KEEP), new dev.deployer.deploy.DeployHistory(store).entries(stackName()).size(),
                "the history survived, with the failed deploy's entry added");
        assertEquals(serving, get("/version").body(), "what served before the failed deploy serves again");
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", argv) + ": " + output);
        return output;
    }
}
