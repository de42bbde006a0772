package dev.deployer.platform.swarm;

import dev.deployer.core.Log;
import dev.deployer.deploy.DeployFailedException;
import dev.deployer.deploy.DeploymentResult;
import dev.deployer.deploy.Step;
import dev.deployer.deploy.Target;
import dev.deployer.testing.RecordingLog;
import dev.deployer.deploy.fixture.Scenario;
import dev.deployer.deploy.fixture.TestImages;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Zero downtime on Swarm, measured: a request loop (127.0.0.1, bounded in count and time) runs against the Caddy
 * proxy while Deployer deploys a new version (start-first behind the proxy) and a broken one (refused, Swarm and
 * the runbook roll back): not one request may fail, and Redis (a stateful service) is not restarted by these
 * app-only deploys (same container, same start time, the counter kept). Own stack {@code zdt-swarm}, port 18510.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZeroDowntimeSwarmIT {

    private static final String STACK = "zdt-swarm";
    private static final int PORT = 18510;
    private static final int MAX_REQUESTS = 50_000;
    private static final Duration MAX_LOOP = Duration.ofSeconds(180);

    private final RecordingLog log = new RecordingLog("[ZeroDowntimeSwarmIT] ");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Scenario scenario;

    @BeforeAll
    void start(@TempDir Path temp) throws IOException {
        TestInfra.require();
        Path deployerDir = temp.resolve("target/deployer");
        Files.createDirectories(deployerDir);
        scenario = new Scenario("swarm", STACK, PORT, "swarm-proxy", deployerDir,
                Map.of(Scenario.CANARY_NAME, "zdt-canary-" + UUID.randomUUID()));
        removeStack();
        TestImages.counter("v1");
        TestImages.counter("v2");
        TestImages.counter("v3");
    }

    @AfterAll
    void removeStack() {
        Log quiet = Log.silent();
        Target target = scenario.target(quiet);
        for (Step step : target.remove(STACK)) {
            if (step instanceof Step.Run run) {
                scenario.context(quiet).runner().run(run.command(), run.timeout());
            }
        }
        target.store().list(dev.deployer.deploy.StackLock.STACK_LABEL, STACK).forEach(record -> target.store().remove(record.name()));
        // the same stack name can be deployed again only once its network is gone
        await("stack " + STACK + " and its network removed", Duration.ofSeconds(90),
                () -> !target.current(STACK).exists() && docker("network", "ls", "-q", "--filter", "name=" + STACK + "_").isBlank());
    }

    private DeploymentResult deploy(String version, String redisHost) {
        return scenario.deployment(log, redisHost).deploy(scenario.request(TestImages.sha(version), Duration.ofSeconds(60), Duration.ofSeconds(3)));
    }

    @Test
    @Order(1)
    void aNewVersionRollsStartFirstWithoutOneFailedRequestAndRedisStays() throws Exception {
        assertEquals(DeploymentResult.Outcome.DEPLOYED, deploy("v1", "redis").outcome());
        int hits = hits(post("/hits"));
        String redis = redisContainer();

        Loop loop = Loop.start(http, URI.create("http://127.0.0.1:" + PORT + "/version"));
        DeploymentResult result = deploy("v2", "redis");
        Loop.Result requests = loop.stop();

        assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());
        log.info("deploy of v2 under load: " + requests);
        assertEquals(0, requests.failed(), "no request fails while v2 replaces v1: " + requests);
        assertTrue(requests.versions().contains("v2"), "v2 answered before the deploy returned: " + requests);
        assertEquals("v2", get("/version"));
        assertEquals(redis, redisContainer(), "Redis was not restarted by an app-only deploy");
        int after = hits(post("/hits"));
        assertTrue(after > hits, "the counter is kept (Redis keeps no data across a restart here): " + hits + " -> " + after);
    }

    @Test
    @Order(2)
    void aBrokenVersionIsRefusedWhileThePreviousOneServesThroughout() throws Exception {
        String redis = redisContainer();
        int hits = hits(get("/hits", true));

        Loop loop = Loop.start(http, URI.create("http://127.0.0.1:" + PORT + "/version"));
        DeployFailedException failure = assertThrows(DeployFailedException.class, () -> deploy("v3", "no-such-redis-host"));
        Loop.Result requests = loop.stop();

        log.info("refused deploy of v3 under load: " + requests);
        assertTrue(failure.rolledBack(), failure.getMessage());
        assertEquals(0, requests.failed(), "no request fails while the broken v3 is refused: " + requests);
        assertEquals(Set.of("v2"), requests.versions(), "only the previous version answered: " + requests);
        assertEquals("v2", get("/version"));
        assertEquals(redis, redisContainer(), "Redis was not restarted");
        int after = hits(post("/hits"));
        assertTrue(after > hits, "the counter is kept (Redis keeps no data across a restart here): " + hits + " -> " + after);
    }

    /** The Redis task's container id and start time. */
    private String redisContainer() {
        String id = docker("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + STACK + "_redis").strip();
        assertTrue(!id.isEmpty() && !id.contains("\n"), "one Redis container runs: '" + id + "'");
        return id + " started " + docker("inspect", "-f", "{{.State.StartedAt}}", id).strip();
    }

    private String get(String path) throws Exception {
        return get(path, false).body();
    }

    private HttpResponse<String> get(String path, boolean unused) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int hits(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        Matcher matcher = Pattern.compile("\"hits\":(\\d+)").matcher(response.body());
        assertTrue(matcher.find(), response.body());
        return Integer.parseInt(matcher.group(1));
    }

    private static String docker(String... args) {
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

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
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

    /** A request loop against the proxy: one request after the other, bounded in count and time. */
    private static final class Loop {
        record Result(int requests, int failed, Set<String> versions, String firstFailure, long longestGapMillis) {
        }

        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger requests = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final Set<String> versions = new ConcurrentSkipListSet<>();
        private volatile String firstFailure = "";
        private volatile long longestGap;
        private CompletableFuture<Void> running;

        static Loop start(HttpClient http, URI uri) {
            Loop loop = new Loop();
            loop.running = CompletableFuture.runAsync(() -> loop.run(http, uri));
            return loop;
        }

        private void run(HttpClient http, URI uri) {
            Instant end = Instant.now().plus(MAX_LOOP);
            long lastOk = System.nanoTime();
            while (!stop.get() && requests.get() < MAX_REQUESTS && Instant.now().isBefore(end)) {
                requests.incrementAndGet();
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        versions.add(response.body().strip());
                        long now = System.nanoTime();
                        longestGap = Math.max(longestGap, (now - lastOk) / 1_000_000);
                        lastOk = now;
                    } else {
                        failure(response.statusCode() + " " + response.body());
                    }
                } catch (IOException e) {
                    failure(e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void failure(String what) {
            if (failed.getAndIncrement() == 0) {
                firstFailure = what;
            }
        }

        Result stop() {
            stop.set(true);
            running.join();
            return new Result(requests.get(), failed.get(), new TreeSet<>(versions), firstFailure, longestGap);
        }
    }
}
