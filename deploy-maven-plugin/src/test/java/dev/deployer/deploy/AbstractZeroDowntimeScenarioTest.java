package dev.deployer.deploy;

import dev.deployer.deploy.fixture.RequestLoop;
import dev.deployer.deploy.fixture.Scenario;
import dev.deployer.deploy.fixture.TestImages;
import dev.deployer.testing.RecordingLog;
import dev.deployer.testing.TestInfra;
import java.io.IOException;
import java.net.URI;
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
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Zero downtime, measured, on one target: a {@link RequestLoop} (127.0.0.1, bounded in count and time) runs against the
 * Caddy proxy of the stack while Deployer deploys a new version, a broken one (refused: the previous version serves
 * throughout) and rolls back with {@code deployer:rollback}: not one request may fail, and Redis (a stateful service)
 * is not restarted by these app-only deploys (same container, same start time, the counter kept). One subclass per
 * target names the stack, port and template.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class AbstractZeroDowntimeScenarioTest {

    /** compose or swarm. */
    protected abstract String targetName();

    /** This subclass's own stack name. */
    protected abstract String stackName();

    /** The proxy's host port on 127.0.0.1. */
    protected abstract int port();

    /** The template (see Scenario): {@code compose-proxy}, {@code swarm-proxy}. */
    protected abstract String template();

    /** {@code docker ps} filters that find the Redis container of the stack. */
    protected abstract List<String> redisFilters();

    /** Called once the stack is removed: e.g. waits until its networks are gone too. */
    protected void afterRemoval() {
    }

    protected final RecordingLog log = new RecordingLog("[" + getClass().getSimpleName() + "] ");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    protected Scenario scenario;

    @BeforeAll
    void start(@TempDir Path temp) throws IOException {
        TestInfra.require();
        Path deployerDir = temp.resolve("target/deployer");
        Files.createDirectories(deployerDir);
        scenario = new Scenario(targetName(), stackName(), port(), template(), deployerDir,
                Map.of(Scenario.CANARY_NAME, "zdt-canary-" + UUID.randomUUID()));
        removeStack();
        TestImages.counter("v1");
        TestImages.counter("v2");
        TestImages.counter("v3");
    }

    @AfterAll
    void removeStack() {
        Target target = scenario.removeStack();
        await("stack " + stackName() + " removed", Duration.ofSeconds(90), () -> !target.current(stackName()).exists());
        afterRemoval();
    }

    private DeploymentResult deploy(String version, String redisHost) {
        return scenario.deployment(log, redisHost).deploy(request(version));
    }

    private DeployRequest request(String version) {
        return scenario.request(version == null ? null : TestImages.sha(version), Duration.ofSeconds(90), Duration.ofSeconds(3));
    }

    @Test
    @Order(1)
    void aNewVersionReplacesTheOldWithoutOneFailedRequestAndRedisStays() throws Exception {
        assertEquals(DeploymentResult.Outcome.DEPLOYED, deploy("v1", "redis").outcome());
        int hits = hits(post("/hits"));
        String redis = redisContainer();

        RequestLoop loop = RequestLoop.start(http, url("/version"));
        DeploymentResult result = deploy("v2", "redis");
        RequestLoop.Result requests = loop.stop();

        assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());
        log.info("deploy of v2 under load: " + requests);
        assertEquals(0, requests.failed(), "no request fails while v2 replaces v1: " + requests);
        assertTrue(requests.versions().contains("v2"), "v2 answered before the deploy returned: " + requests);
        assertEquals("v2", get("/version"));
        assertRedisKept(redis, hits);
    }

    @Test
    @Order(2)
    void aBrokenVersionIsRefusedWhileThePreviousOneServesThroughout() throws Exception {
        String redis = redisContainer();
        int hits = hits(get("/hits"));

        RequestLoop loop = RequestLoop.start(http, url("/version"));
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deploy("v3", "no-such-redis-host"));
        RequestLoop.Result requests = loop.stop();

        log.info("refused deploy of v3 under load: " + requests);
        assertTrue(failure.rolledBack(), failure.getMessage());
        assertEquals(0, requests.failed(), "no request fails while the broken v3 is refused: " + requests);
        assertEquals(Set.of("v2"), requests.versions(), "only the previous version answered, never the broken one: " + requests);
        assertEquals("v2", get("/version"));
        assertRedisKept(redis, hits);
    }

    @Test
    @Order(3)
    void aRollbackToThePreviousGoodVersionDropsNoRequest() throws Exception {
        String redis = redisContainer();
        int hits = hits(get("/hits"));

        RequestLoop loop = RequestLoop.start(http, url("/version"));
        DeploymentResult result = scenario.deployment(log, "redis").rollback(request(null));
        RequestLoop.Result requests = loop.stop();

        log.info("deployer:rollback to v1 under load: " + requests);
        assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());
        assertEquals(0, requests.failed(), "no request fails while the rollback brings v1 back: " + requests);
        assertTrue(requests.versions().contains("v1"), "v1 answered before the rollback returned: " + requests);
        assertTrue(Set.of("v1", "v2").containsAll(requests.versions()), "only v1 and v2 answered: " + requests);
        assertEquals("v1", get("/version"));
        assertRedisKept(redis, hits);
    }

    private void assertRedisKept(String redisBefore, int hitsBefore) throws Exception {
        assertEquals(redisBefore, redisContainer(), "Redis was not restarted by an app-only deploy");
        int after = hits(post("/hits"));
        assertTrue(after > hitsBefore, "the counter is kept (Redis keeps no data across a restart here): " + hitsBefore + " -> " + after);
    }

    /** The Redis container's id and start time. */
    private String redisContainer() {
        List<String> args = new ArrayList<>(List.of("ps", "-q"));
        redisFilters().forEach(filter -> args.addAll(List.of("--filter", filter)));
        String id = docker(args.toArray(String[]::new)).strip();
        assertTrue(!id.isEmpty() && !id.contains("\n"), "one Redis container runs: '" + id + "'");
        return id + " started " + docker("inspect", "-f", "{{.State.StartedAt}}", id).strip();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int hits(String body) {
        Matcher matcher = Pattern.compile("\"hits\":(\\d+)").matcher(body);
        assertTrue(matcher.find(), body);
        return Integer.parseInt(matcher.group(1));
    }

    private static int hits(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return hits(response.body());
    }

    protected static String docker(String... args) {
        try {
            String[] argv = new String[args.length + 1];
            argv[0] = "docker";
            System.arraycopy(args, 0, argv, 1, args.length);
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new AssertionError("docker " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    protected static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail("Timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            try {
                Thread.sleep(200); // poll interval of a bounded wait for a condition, not synchronisation by sleeping
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
