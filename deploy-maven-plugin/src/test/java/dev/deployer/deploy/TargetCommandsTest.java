package dev.deployer.deploy;

import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.ImageRef;
import dev.deployer.core.Secret;
import dev.deployer.testing.RecordingLog;
import dev.deployer.platform.compose.ComposeTarget;
import dev.deployer.platform.swarm.SwarmTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exact commands the compose and swarm targets build (nothing runs but the tools' version/help probes, scripted). */
class TargetCommandsTest {

    private static final ImageRef IMAGE = new ImageRef("127.0.0.1:5443/tdeploy/app", "abc",
            "sha256:" + "a".repeat(64));

    private final List<String> ran = new ArrayList<>();

    private TargetContext context(Function<Command, CommandRunner.Result> answers) {
        CommandRunner runner = (command, timeout) -> {
            ran.add(command.display());
            return answers.apply(command);
        };
        return new TargetContext(runner, new RecordingLog(""), name -> "PATH".equals(name) ? System.getenv("PATH") : null, Clock.systemUTC());
    }

    private DeployPlan plan(Path dir) throws Exception {
        return plan(dir, """
                services:
                  app: {image: "127.0.0.1:5443/tdeploy/app:abc@sha256:%s", depends_on: [redis], environment: {P: "${REDIS_PASSWORD}"}}
                  redis: {image: "redis:7"}
                  proxy: {image: "proxy:1", depends_on: [app]}
                """.formatted("a".repeat(64)));
    }

    /** A stack of one phase: nothing depends on anything, no group label. */
    private DeployPlan onePhase(Path dir) throws Exception {
        return plan(dir, """
                services:
                  app: {image: "127.0.0.1:5443/tdeploy/app:abc@sha256:%s", environment: {P: "${REDIS_PASSWORD}"}}
                  redis: {image: "redis:7"}
                """.formatted("a".repeat(64)));
    }

    private DeployPlan plan(Path dir, String text) throws Exception {
        Path file = dir.resolve("stack.yml");
        Files.writeString(file, text);
        return new DeployPlan("tdep-unit", "qa", IMAGE, dir, file, StackFiles.services(Files.readString(file), "stack.yml"),
                List.of(Secret.of("REDIS_PASSWORD", "hunter2-secret")), Duration.ofMinutes(5));
    }

    @Test
    void composeV1DeploysInHealthGatedGroupsWithSecretsOnlyInTheEnvironment(@TempDir Path dir) throws Exception {
        ComposeTarget compose = new ComposeTarget(context(c -> new CommandRunner.Result(
                c.argv().equals(List.of("docker-compose", "version")) ? 0 : 1, "")));
        List<String> steps = compose.deploy(plan(dir)).stream().map(Step::display).toList();
        String prefix = "(cd " + dir + " && REDIS_PASSWORD=[REDACTED] docker-compose -p tdep-unit -f stack.yml ";
        assertEquals(List.of(
                "# no service has the label dev.deployer.proxy (no proxy in front): each service is replaced in place (stopped,"
                        + " then started), health-gated",
                "docker pull --quiet 127.0.0.1:5443/tdeploy/app:abc@sha256:" + "a".repeat(64),
                "docker pull --quiet redis:7",
                "docker pull --quiet proxy:1",
                prefix + "up -d --no-deps redis)",
                "# wait until healthy: redis",
                prefix + "up -d --no-deps app)",
                "# wait until healthy: app",
                prefix + "up -d --no-deps --remove-orphans proxy)",
                "# wait until healthy: proxy"), steps);
        assertEquals(List.of("docker compose version"), ran, "v2 is asked first; v1 is found on the PATH without starting it");
    }

    @Test
    void composeRestoresGroupByGroupInReverseOrderRemovingOrphansLast(@TempDir Path dir) throws Exception {
        ComposeTarget compose = new ComposeTarget(context(c -> new CommandRunner.Result(
                c.argv().equals(List.of("docker-compose", "version")) ? 0 : 1, "")));
        String prefix = "(cd " + dir + " && REDIS_PASSWORD=[REDACTED] docker-compose -p tdep-unit -f stack.yml ";
        assertEquals(List.of(
                "# no service has the label dev.deployer.proxy (no proxy in front): each service is replaced in place"
                        + " (stopped, then started), health-gated",
                prefix + "up -d --no-deps proxy)",
                "# wait until healthy: proxy",
                prefix + "up -d --no-deps app)",
                "# wait until healthy: app",
                prefix + "up -d --no-deps --remove-orphans redis)",
                "# wait until healthy: redis"), compose.restore(plan(dir)).stream().map(Step::display)
                .filter(line -> !line.startsWith("docker pull")).toList());
        assertEquals(compose.deploy(onePhase(dir)).stream().map(Step::display).toList(),
                compose.restore(onePhase(dir)).stream().map(Step::display).toList(), "one group restores as it deploys");
    }

    @Test
    void composeServiceBehindTheProxyIsDeployedBlueGreenAroundItsHealthGate(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stack.yml");
        Files.writeString(file, """
                services:
                  app: {image: "127.0.0.1:5443/tdeploy/app:abc@sha256:%s", depends_on: [redis], labels: {dev.deployer.proxy: proxy},
                        stop_grace_period: 15s}
                  redis: {image: "redis:7"}
                  proxy: {image: "proxy:1", depends_on: [app]}
                """.formatted("a".repeat(64)));
        DeployPlan plan = new DeployPlan("tdep-unit", "qa", IMAGE, dir, file, StackFiles.services(Files.readString(file), "stack.yml"),
                List.of(), Duration.ofMinutes(5));
        ComposeTarget compose = new ComposeTarget(context(c -> new CommandRunner.Result(
                c.argv().equals(List.of("docker-compose", "version")) ? 0 : 1, "")));

        List<Step> steps = compose.deploy(plan);

        String prefix = "(cd " + dir + " && docker-compose -p tdep-unit -f stack.yml ";
        assertEquals("# blue/green behind a proxy: app (proxy 'proxy'); replaced in place (never two at once), health-gated: redis, proxy",
                steps.get(0).display());
        List<String> lines = steps.subList(4, steps.size()).stream().flatMap(step -> step.display().lines()).toList();
        assertEquals(List.of(
                prefix + "up -d --no-deps redis)",
                "# wait until healthy: redis",
                "# app: blue/green behind the proxy 'proxy' (label dev.deployer.proxy): when it runs and app has healthy containers, else"
                        + " replaced in place",
                "docker exec <running proxy container> wget -qO- http://127.0.0.1:2019/config/  # what the proxy routes to app",
                "docker rm -f <app containers the proxy is not pinned to, started after the pinned ones>  # only when a failed"
                        + " deploy left it pinned",
                "docker stop --time 15 <app containers the proxy is not pinned to, older than the pinned ones> && docker rm <them>"
                        + "  # only when an interrupted switch-over left them draining",
                prefix + "config --hash=app)  # unchanged: the old containers keep serving",
                "DEPLOYER_PROXY_CONFIG=<its config, app's upstreams pinned to the running containers> docker exec -e DEPLOYER_PROXY_CONFIG"
                        + " <running proxy container> sh -c 'wget -qO- --header \"Content-Type: application/json\" --post-data"
                        + " \"$DEPLOYER_PROXY_CONFIG\" http://127.0.0.1:2019/load'",
                prefix + "up -d --no-deps --no-recreate --scale 'app=<running + 1>' app)",
                "# wait until healthy: app",
                "DEPLOYER_PROXY_CONFIG=<its config, app's upstreams pinned to the new containers> docker exec -e DEPLOYER_PROXY_CONFIG"
                        + " <running proxy container> sh -c 'wget -qO- --header \"Content-Type: application/json\" --post-data"
                        + " \"$DEPLOYER_PROXY_CONFIG\" http://127.0.0.1:2019/load'",
                "docker stop --time 15 <the old app containers>  # SIGTERM: they finish the requests in flight, then stop; killed"
                        + " after stop_grace_period",
                "docker rm <the old app containers>",
                "DEPLOYER_PROXY_CONFIG=<its config, app's upstreams back to app:<port>> docker exec -e DEPLOYER_PROXY_CONFIG"
                        + " <running proxy container> sh -c 'wget -qO- --header \"Content-Type: application/json\" --post-data"
                        + " \"$DEPLOYER_PROXY_CONFIG\" http://127.0.0.1:2019/load'",
                prefix + "up -d --no-deps --remove-orphans proxy)",
                "# wait until healthy: proxy"), lines);
        assertEquals(List.of("app"), ((Step.Call) steps.get(6)).services(), "a failed blue/green shows the app's logs");
    }

    @Test
    void composeV2IsPreferredWhenInstalled(@TempDir Path dir) throws Exception {
        ComposeTarget compose = new ComposeTarget(context(c -> new CommandRunner.Result(0, "Docker Compose version v2.29")));
        Step.Run first = (Step.Run) compose.deploy(plan(dir)).get(4);
        assertEquals(List.of("docker", "compose", "-p", "tdep-unit", "-f", "stack.yml", "up", "-d", "--no-deps", "redis"), first.command().argv());
        assertEquals(Map.of(), first.command().env());
        assertEquals("hunter2-secret", first.command().secretEnv().get(0).reveal(), "the value reaches the process environment");
    }

    @Test
    void swarmUsesRegistryAuthPruneAndWaitsWhenTheClientCan(@TempDir Path dir) throws Exception {
        SwarmTarget swarm = new SwarmTarget(context(c -> new CommandRunner.Result(0, "  -d, --detach   Exit immediately\n      --prune")));
        DeployPlan plan = onePhase(dir);
        assertEquals(Map.of(), swarm.files(plan), "one phase: the stack file alone, as always");
        assertEquals(swarm.deploy(plan).stream().map(Step::display).toList(), swarm.restore(plan).stream().map(Step::display).toList(),
                "one phase restores as it deploys");
        List<String> steps = swarm.deploy(plan).stream().map(Step::display).toList();
        assertEquals(List.of("(cd " + dir + " && REDIS_PASSWORD=[REDACTED] docker stack deploy --with-registry-auth --prune --detach=true -c stack.yml tdep-unit)"
                        + "  # once more if it fails with 'update out of sequence'",
                "# wait until healthy: all services"), steps);
    }

    @Test
    void swarmDeploysOnceMoreWhenSwarmRefusesTheUpdateAsOutOfSequenceButNotOnAnyOtherFailure(@TempDir Path dir) throws Exception {
        String outOfSequence = "failed to update service tdep-unit_app: Error response from daemon: rpc error: code = Unknown"
                + " desc = update out of sequence";
        List<CommandRunner.Result> deployAnswers = new ArrayList<>(List.of(new CommandRunner.Result(1, outOfSequence),
                new CommandRunner.Result(0, "Updating service tdep-unit_app"), new CommandRunner.Result(1, "no such image")));
        TargetContext context = context(c -> c.argv().contains("--help")
                ? new CommandRunner.Result(0, "  -d, --detach   Exit immediately\n      --prune") : deployAnswers.remove(0));
        SwarmTarget swarm = new SwarmTarget(context);
        DeployPlan plan = onePhase(dir);
        TargetSteps steps = new TargetSteps(context, swarm, new HealthGate(swarm, Clock.systemUTC(), d -> { }, context.log()));
        Step deploy = swarm.deploy(plan).get(0);

        assertEquals(null, steps.run(deploy, plan, Duration.ofSeconds(5), s -> { }), "the second run succeeded");
        assertEquals(2, ran.stream().filter(c -> c.contains("-c stack.yml")).count(), ran.toString());
        assertTrue(((RecordingLog) context.log()).lines().stream().anyMatch(l -> l.contains("failed with 'update out of sequence': running it once more")));

        Failure other = steps.run(deploy, plan, Duration.ofSeconds(5), s -> { });
        assertTrue(other != null && other.reason().contains("no such image"), String.valueOf(other));
        assertEquals(3, ran.stream().filter(c -> c.contains("-c stack.yml")).count(), "any other failure is not run again: " + ran);
    }

    @Test
    void swarmOnAnOlderClientWithoutDetachStillWaitsThroughTheHealthGate(@TempDir Path dir) throws Exception {
        SwarmTarget swarm = new SwarmTarget(context(c -> new CommandRunner.Result(0, "Usage: docker stack deploy [OPTIONS] STACK")));
        Step.Run run = (Step.Run) swarm.deploy(onePhase(dir)).get(0);
        assertEquals(List.of("docker", "stack", "deploy", "--with-registry-auth", "--prune", "-c", "stack.yml", "tdep-unit"), run.command().argv());
    }

    @Test
    void swarmDeploysPhaseByPhaseEachCumulativeFileHealthGatedAndPrunesOnlyWithTheWholeFile(@TempDir Path dir) throws Exception {
        SwarmTarget swarm = new SwarmTarget(context(c -> new CommandRunner.Result(0, "  -d, --detach   Exit immediately\n      --prune")));
        DeployPlan plan = plan(dir);
        String prefix = "(cd " + dir + " && REDIS_PASSWORD=[REDACTED] docker stack deploy --with-registry-auth ";
        String again = "  # once more if it fails with 'update out of sequence'";
        assertEquals(List.of(
                prefix + "--detach=true -c stack.phase-1.yml tdep-unit)" + again,
                "# wait until healthy: redis",
                prefix + "--detach=true -c stack.phase-2.yml tdep-unit)" + again,
                "# wait until healthy: app",
                prefix + "--prune --detach=true -c stack.yml tdep-unit)" + again,
                "# wait until healthy: all services"), swarm.deploy(plan).stream().map(Step::display).toList());
        Map<String, String> files = swarm.files(plan);
        assertEquals(List.of("stack.phase-1.yml", "stack.phase-2.yml"), List.copyOf(files.keySet()));
        assertEquals(List.of("redis"), StackFiles.services(files.get("stack.phase-1.yml"), "1").stream().map(StackService::name).toList());
        assertEquals(List.of("app", "redis"), StackFiles.services(files.get("stack.phase-2.yml"), "2").stream().map(StackService::name).toList());
        assertEquals(List.of("REDIS_PASSWORD"), StackFiles.placeholders(files.get("stack.phase-2.yml")), "placeholders stay placeholders");
    }

    @Test
    void swarmRestoresPhaseByPhaseInReverseOrderThePreviousFilesServicesAlone(@TempDir Path dir) throws Exception {
        SwarmTarget swarm = new SwarmTarget(context(c -> new CommandRunner.Result(0, "Usage: docker stack deploy [OPTIONS] STACK")));
        DeployPlan plan = plan(dir);
        assertEquals(List.of(
                "Restoring phase 3/3 of stack tdep-unit: proxy",
                "# wait until healthy: proxy",
                "Restoring phase 2/3 of stack tdep-unit: app",
                "# wait until healthy: app",
                "Restoring phase 1/3 of stack tdep-unit: redis",
                "# wait until healthy: all services"), swarm.restore(plan).stream()
                .map(step -> step instanceof Step.Run run ? run.description() : step.display()).toList());
        assertEquals(List.of("docker", "stack", "deploy", "--with-registry-auth", "-c", "stack.phase-3.yml", "tdep-unit"),
                ((Step.Run) swarm.restore(plan).get(0)).command().argv(), "no --prune before the whole file");
        assertEquals(List.of("docker", "stack", "deploy", "--with-registry-auth", "--prune", "-c", "stack.yml", "tdep-unit"),
                ((Step.Run) swarm.restore(plan).get(4)).command().argv(), "the whole previous file last, pruning what the failed deploy added");
        Map<String, String> files = swarm.restoreFiles(plan);
        assertEquals(List.of("stack.phase-2.yml", "stack.phase-3.yml"), List.copyOf(files.keySet()));
        assertEquals(List.of("proxy"), StackFiles.services(files.get("stack.phase-3.yml"), "3").stream().map(StackService::name).toList());
        assertFalse(files.get("stack.phase-3.yml").contains("depends_on"), "a dependency on a service left out is dropped");
        assertEquals(List.of("app"), StackFiles.services(files.get("stack.phase-2.yml"), "2").stream().map(StackService::name).toList());
    }
}
