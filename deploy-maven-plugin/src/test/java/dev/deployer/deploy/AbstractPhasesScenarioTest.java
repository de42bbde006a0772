package dev.deployer.deploy;

import dev.deployer.deploy.fixture.EngineTimeline;
import dev.deployer.deploy.fixture.Scenario;
import dev.deployer.deploy.fixture.TestImages;
import dev.deployer.guard.ProductionGuard;
import dev.deployer.testing.RecordingLog;
import dev.deployer.testing.TestInfra;
import dev.deployer.verify.SmokeCheck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Ordered phases end to end on a Swarm-based target: a stack of Redis (data), the counter app as {@code api}
 * ({@code depends_on: [redis]}) and as {@code web} (label {@code frontend}), see {@code Templates.swarmPhases}. The
 * first deploy must start each phase only once the one before is healthy, which the engine's own events prove; its
 * smoke checks go to both services, each at its own base URL (the web's with a {@code Host} header). Then a version
 * whose web (the last phase) is unhealthy must leave both services on the previous version, serving. One stack for
 * both cases (the second needs the first's deploy as its previous version).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class AbstractPhasesScenarioTest {

    private static final String GOOD_REDIS = "127.0.0.1";

    /** {@code swarm} or {@code quantum}. */
    protected abstract String targetName();

    /** This subclass's own stack name, with "phases" in it. */
    protected abstract String stackName();

    /** The api's port on 127.0.0.1; Redis uses port + 1, the web port + 2. */
    protected abstract int hostPort();

    /** Extra environment for the target (the quantum-cli stand-in's settings). */
    protected Map<String, String> targetEnvironment() {
        return Map.of();
    }

    protected final RecordingLog log = new RecordingLog("[" + getClass().getSimpleName() + "] ");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    protected Scenario scenario;
    private Path deployerDir;

    @BeforeAll
    void startScenario(@TempDir Path temp) throws Exception {
        TestInfra.require();
        deployerDir = temp.resolve("target/deployer");
        Files.createDirectories(deployerDir);
        Map<String, String> env = new HashMap<>(targetEnvironment());
        env.put(Scenario.CANARY_NAME, "tdep-phases-canary-" + UUID.randomUUID());
        scenario = new Scenario(targetName(), stackName(), hostPort(), "swarm-phases", deployerDir, env);
        removeStack();
        TestImages.counter("v1");
        TestImages.counter("v3");
    }

    @AfterAll
    void removeStack() {
        Target target = scenario.removeStack();
        Instant deadline = Instant.now().plusSeconds(90);
        while (target.current(stackName()).exists()) {
            if (Instant.now().isAfter(deadline)) {
                fail("stack " + stackName() + " not removed after 90 s");
            }
            try {
                Thread.sleep(200); // poll interval of a bounded wait for a condition, not synchronisation by sleeping
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private URI api(String path) {
        return URI.create("http://127.0.0.1:" + hostPort() + path);
    }

    private URI web(String path) {
        return URI.create("http://127.0.0.1:" + (hostPort() + 2) + path);
    }

    /** Deploys {@code version}; the smoke checks reach the api and the web at their own base URLs, the web's with a Host header. */
    private DeploymentResult deploy(String version, String webRedisHost) {
        List<SmokeCheck> checks = List.of(
                new SmokeCheck("POST", "/hits", null, 200, "hits", api("/"), Map.of(), Map.of()),
                new SmokeCheck("GET", "/version", null, 200, version, web("/"), Map.of("Host", "web.phases.test"), Map.of()));
        DeployRequest request = new DeployRequest(targetName(), stackName(), "qa", deployerDir, TestImages.REPOSITORY,
                TestImages.sha(version), api("/health"), Duration.ofSeconds(90), checks, Duration.ofSeconds(3), false, false,
                ProductionGuard.none());
        return scenario.deployment(log, webRedisHost).deploy(request);
    }

    @Test
    @Order(1)
    void eachPhaseStartsOnlyOnceThePhaseBeforeIsHealthyAndTheSmokeChecksReachBothServices() throws Exception {
        EngineTimeline.Recording recording = EngineTimeline.record(stackName());
        DeploymentResult result;
        EngineTimeline engine;
        try {
            result = deploy("v1", GOOD_REDIS);
        } finally {
            engine = recording.stop();
        }
        assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());

        log.info("engine timeline of the first deploy:" + engine);
        assertTrue(engine.healthy("redis").isBefore(engine.started("api")), "api started after Redis was healthy:" + engine);
        assertTrue(engine.healthy("api").isBefore(engine.started("web")), "web started after the api was healthy:" + engine);

        assertEquals("v1", get(api("/version")).body());
        assertEquals("v1", get(web("/version")).body());
        assertTrue(log.text().contains("Smoke check passed: POST http://127.0.0.1:" + hostPort() + "/hits -> 200"), log.text());
        assertTrue(log.text().contains("Smoke check passed: GET http://127.0.0.1:" + (hostPort() + 2)
                + "/version [Host: web.phases.test] -> 200 containing 'v1'"), log.text());
    }

    @Test
    @Order(2)
    void anUnhealthyLastPhaseRestoresEveryServiceThatChangedToThePreviousVersion() throws Exception {
        String v1 = TestImages.counter("v1").digest();
        String v3 = TestImages.counter("v3").digest();

        EngineTimeline.Recording recording = EngineTimeline.record(stackName());
        DeployFailedException failure;
        EngineTimeline engine;
        try {
            failure = assertThrows(DeployFailedException.class, () -> deploy("v3", "no-such-redis-host"));
        } finally {
            engine = recording.stop();
        }

        assertTrue(failure.rolledBack(), failure.getMessage());
        log.info("engine timeline of the failed deploy and its restore:" + engine);
        Instant apiV3 = engine.first("api", "health_status: healthy", v3).orElseThrow(() -> new AssertionError(
                "the api (phase 2) ran v3 healthy before the web failed:" + engine)).time();
        Instant webV3 = engine.first("web", "start", v3).orElseThrow(() -> new AssertionError("web v3 was started:" + engine)).time();
        assertTrue(apiV3.isBefore(webV3), "the web's phase began after the api's was healthy:" + engine);
        Instant webBack = engine.events().stream().filter(e -> e.service().equals("web") && e.status().equals("health_status: healthy")
                && e.image().contains(v1) && e.time().isAfter(webV3)).findFirst().orElseThrow(() -> new AssertionError(
                "the web ran v1 healthy again:" + engine)).time();
        Instant apiBack = engine.events().stream().filter(e -> e.service().equals("api") && e.status().equals("start")
                && e.image().contains(v1) && e.time().isAfter(webV3)).findFirst().orElseThrow(() -> new AssertionError(
                "the api was put back on v1 after the web failed:" + engine)).time();
        assertTrue(webBack.isBefore(apiBack), "reverse phase order: the web (phase 3) was healthy on v1 before the api (phase 2)"
                + " was restored:" + engine);

        StackState now = scenario.target(log).current(stackName());
        assertEquals(v1, now.service("api").orElseThrow().digest(), "api back on the previous version");
        assertEquals(v1, now.service("web").orElseThrow().digest(), "web back on the previous version");
        assertEquals("v1", get(api("/version")).body());
        assertEquals("v1", get(web("/version")).body());
        assertEquals(200, get(api("/health")).statusCode());
        assertEquals(200, get(web("/health")).statusCode());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
