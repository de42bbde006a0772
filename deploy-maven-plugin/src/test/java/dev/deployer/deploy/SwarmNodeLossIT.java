package dev.deployer.deploy;

import dev.deployer.core.Log;
import dev.deployer.deploy.fixture.Scenario;
import dev.deployer.deploy.fixture.TestImages;
import dev.deployer.testing.PrivateEngine;
import dev.deployer.testing.PrivateEngine.Netns;
import dev.deployer.testing.RecordingLog;
import dev.deployer.testing.TcpRelay;
import dev.deployer.testing.TestInfra;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A private Swarm of three engines, each in a network namespace of its own joined by a switch (a bridge in a fourth
 * namespace): a manager (which runs Redis) and two workers (which run the app). The shared engine and its Swarm are
 * never touched. The nodes pull from the host's registry through their own NAT and a relay on their veth's host end;
 * the test reaches the app through a relay on 127.0.0.1 that tries the workers in turn (what a load balancer in front
 * of a Swarm without a routing mesh does).
 *
 * <p>The fault: mid-update to v2, as the runbook's health wait begins, the worker the new app task was given to is
 * lost (its links go down: a machine gone, not a process stopped). Whatever Swarm then does, Deployer must finish
 * within its health timeouts (deploy and restore) and say what runs, and what it says must be what answers over HTTP;
 * the lock must be released, no secret written anywhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmNodeLossIT {

    private static final String STACK = "faults1-nodes";
    private static final int PORT = 18472;
    private static final int REGISTRY_PORT = 5443;
    private static final Duration HEALTH = Duration.ofSeconds(30);
    private static final String MANAGER_ADDRESS = "10.232.100.1";

    private final String canary = "faults1-canary-" + UUID.randomUUID();
    private final RecordingLog log = new RecordingLog("[" + getClass().getSimpleName() + "] ");
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Netns> nodes = new ArrayList<>();
    private final List<PrivateEngine> engines = new ArrayList<>();
    private Scenario scenario;
    private Path deployerDir;
    private Netns lost;

    @BeforeAll
    void startSwarm(@TempDir Path temp) {
        TestInfra.require();
        TestImages.counter("v1");
        TestImages.counter("v2");
        try {
            for (int i = 1; i <= 3; i++) {
                Netns node = Netns.create("faults1n" + i, "10.232." + i);
                resources.add(node);
                nodes.add(node);
                node.registryThroughHost(REGISTRY_PORT);
                resources.add(TcpRelay.start(node.hostAddress(), REGISTRY_PORT, List.of(new InetSocketAddress("127.0.0.1", REGISTRY_PORT))));
            }
            resources.add(Netns.switchFor("faults1sw", "10.232.100", nodes));
            for (int i = 0; i < nodes.size(); i++) {
                PrivateEngine engine = PrivateEngine.inNamespace("faults1-node" + (i + 1), nodes.get(i));
                resources.add(engine);
                engines.add(engine);
            }
            engines.get(0).docker("swarm", "init", "--advertise-addr", MANAGER_ADDRESS);
            String token = engines.get(0).docker("swarm", "join-token", "-q", "worker").strip();
            for (int i = 1; i < engines.size(); i++) {
                engines.get(i).docker("swarm", "join", "--token", token, "--advertise-addr", "10.232.100." + (i + 1), MANAGER_ADDRESS + ":2377");
            }
            List<InetSocketAddress> workers = nodes.subList(1, nodes.size()).stream().map(n -> new InetSocketAddress(n.address(), PORT)).toList();
            resources.add(TcpRelay.start("127.0.0.1", PORT, workers));
        } catch (RuntimeException | Error e) {
            closeAll();
            throw e;
        }
        deployerDir = temp.resolve("target/deployer");
        scenario = new Scenario("swarm", STACK, PORT, "swarm-nodes", deployerDir,
                Map.of(Scenario.CANARY_NAME, canary, "DOCKER_HOST", engines.get(0).host()));
    }

    @AfterAll
    void closeAll() {
        // engines first (they stop their containers), then the relays, the switch and the namespaces
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        java.util.Collections.reverse(reversed);
        reversed.sort(java.util.Comparator.comparingInt(r -> r instanceof PrivateEngine ? 0 : 1));
        for (AutoCloseable resource : reversed) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("cleanup: " + e);
            }
        }
        resources.clear();
    }

    @Test
    @Order(1)
    void firstDeployServesFromAWorker() throws Exception {
        DeploymentResult result = deploy("v1", step -> { });
        assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());
        assertEquals(Optional.of("v1"), answering());
    }

    @Test
    @Order(2)
    void losingTheWorkerOfTheNewAppTaskMidUpdate() throws Exception {
        Consumer<Step> loseTheNewTasksNode = step -> {
            if (step instanceof Step.AwaitHealthy) {
                lost = nodeOf(awaitNewAppTask(TestImages.counter("v2").digest()));
                log.info("Losing " + lost.name() + ", the node given the new app task");
                lost.cut();
            }
        };
        Instant started = Instant.now();
        DeploymentResult result = null;
        DeployFailedException failure = null;
        try {
            result = deploy("v2", loseTheNewTasksNode);
        } catch (DeployFailedException e) {
            failure = e;
            log.info("The deploy failed with: " + e.getMessage());
        }
        Duration took = Duration.between(started, Instant.now());
        assertTrue(lost != null, "a node was lost");
        // the deploy's health wait, then at most the restore's (its health wait and verify), and some commands
        assertTrue(took.compareTo(HEALTH.multipliedBy(4).plusSeconds(60)) < 0, "no hang: took " + took.toSeconds() + " s");
        StackState now = scenario.target(Log.silent()).current(STACK);
        String appNow = now.service("app").map(StackState.ServiceState::digest).orElse(null);
        Optional<String> answers = answering();
        if (failure == null) {
            assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());
            assertEquals(TestImages.counter("v2").digest(), appNow, "Swarm moved the new version to the other worker");
            assertEquals(Optional.of("v2"), answers, "the new version answers, as reported");
        } else {
            String message = failure.getMessage();
            assertTrue(message.contains("Running now: "), "the failure says what runs now: " + message);
            if (failure.rolledBack()) {
                assertTrue(message.contains("Rolled back to the previous version, verified healthy. Running now: "), message);
                // one task answers, on the worker left; the one on the lost node is not counted (it was, before)
                assertTrue(message.contains("app=" + TestImages.counter("v1").ref() + " (1 running)"), message);
                assertEquals(TestImages.counter("v1").digest(), appNow);
                assertEquals(Optional.of("v1"), answers, "the previous version answers, as reported");
            } else {
                assertTrue(message.contains("ROLLBACK FAILED too"), message);
                answers.ifPresent(version -> assertEquals(TestImages.counter(version).digest(), appNow, "what answers is what runs"));
            }
        }
        assertTrue(scenario.target(Log.silent()).store().find(StackLock.name(STACK)).isEmpty(), "the lock is released");
    }

    @Test
    @Order(3)
    void theSecretReachedTheContainerAndNothingElse() throws Exception {
        assertFalse(log.text().contains(canary), "the log has no secret value");
        for (Path file : PrivateEngine.files(deployerDir)) {
            assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains(canary), "secret in " + file);
        }
        for (PrivateEngine engine : engines) {
            assertFalse(Files.readString(engine.daemonLog(), StandardCharsets.ISO_8859_1).contains(canary), "secret in the log of " + engine.name());
        }
        assertFalse(engines.get(0).docker("config", "ls", "--format", "{{.Name}} {{.Labels}}").contains(canary), "secret in a record");
    }

    private DeploymentResult deploy(String version, Consumer<Step> observer) {
        Deployment deployment = scenario.deployment(log, MANAGER_ADDRESS);
        deployment.executor().observe(observer);
        return deployment.deploy(scenario.request(TestImages.sha(version), HEALTH, Duration.ofSeconds(3)));
    }

    /** The node ID given the app's task of {@code digest} (bounded wait: the orchestrator assigns it). */
    private String awaitNewAppTask(String digest) {
        Instant deadline = Instant.now().plusSeconds(60);
        PrivateEngine manager = engines.get(0);
        while (Instant.now().isBefore(deadline)) {
            for (String task : manager.docker("service", "ps", "-q", "--no-trunc", STACK + "_app").strip().lines().toList()) {
                String[] fields = manager.docker("inspect", "--format", "{{.NodeID}} {{.Spec.ContainerSpec.Image}}", task).strip().split(" ", 2);
                if (fields.length == 2 && !fields[0].isBlank() && fields[1].endsWith(digest)) {
                    return fields[0];
                }
            }
            pause();
        }
        fail("no task of " + digest + " was assigned within 60 s");
        return null;
    }

    private Netns nodeOf(String nodeId) {
        for (int i = 0; i < engines.size(); i++) {
            if (engines.get(i).docker("info", "--format", "{{.Swarm.NodeID}}").strip().equals(nodeId)) {
                return nodes.get(i);
            }
        }
        throw new AssertionError("no node of ID " + nodeId);
    }

    /**
     * The version that answers through the workers' relay, or empty when none does. A new client each time: a pooled
     * connection would still lead to the node it was relayed to, perhaps the lost one.
     */
    private Optional<String> answering() throws InterruptedException {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(scenario.url("/version")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200); // poll interval of a bounded wait for the orchestrator, not synchronisation by sleeping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
