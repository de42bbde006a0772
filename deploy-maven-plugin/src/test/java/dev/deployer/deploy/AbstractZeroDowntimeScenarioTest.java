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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
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
 * is not restarted by these app-only deploys (same container, same start time, the counter kept). Each time a slow
 * request ({@code GET /slow}, held in the app until the test releases it) is in flight on the serving version when the
 * deploy starts: it finishes with 200 from that version, also when the deploy retires it (the old container gets
 * SIGTERM and finishes its request in flight while the deploy waits). One subclass per target names the stack, port
 * and template.
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

    /** {@code docker ps} filters that find the app containers of the stack (old and new). */
    protected abstract List<String> appFilters();

    /**
     * Whether the rollback test also holds a request that outlasts {@code stop_grace_period} (10 s): the old container
     * is killed and that request cut. It costs the grace period, so one target proves it.
     */
    protected boolean outlastingRequestIsCut() {
        return false;
    }

    /** Checks the deploy's log lines: the new version started beside the old one (not replaced in place). */
    protected void assertReplacedBeside(List<String> lines) {
    }

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

    protected DeploymentResult deploy(String version, String redisHost) {
        return scenario.deployment(log, redisHost).deploy(request(version));
    }

    protected DeployRequest request(String version) {
        return scenario.request(version == null ? null : TestImages.sha(version), Duration.ofSeconds(90), Duration.ofSeconds(3));
    }

    @Test
    @Order(1)
    void aNewVersionReplacesTheOldWithoutOneFailedRequestAndRedisStays() throws Exception {
        // v1 runs (already, when a test before this one left it running)
        assertTrue(Set.of(DeploymentResult.Outcome.DEPLOYED, DeploymentResult.Outcome.UNCHANGED).contains(deploy("v1", "redis").outcome()));
        int hits = hits(post("/hits"));
        String redis = redisContainer();

        RequestLoop loop = RequestLoop.start(http, url("/version"));
        int from = log.lines().size();
        Held<DeploymentResult> held = whileHeld(() -> deploy("v2", "redis"), false);
        RequestLoop.Result requests = loop.stop();

        DeploymentResult result = held.result();
        assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());
        assertReplacedBeside(log.lines().subList(from, log.lines().size()));
        assertTrue(held.drained(), "v1 got SIGTERM with the slow request in flight, and the deploy waited for it");
        assertEquals(200, held.slow().statusCode(), held.slow().body());
        assertEquals("v1", held.slow().body(), "the request in flight when v2 took over finished on v1");
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
        Held<DeploymentResult> held = whileHeld(() -> deploy("v3", "no-such-redis-host"), false);
        RequestLoop.Result requests = loop.stop();
        DeployFailedException failure = assertThrows(DeployFailedException.class, held::result);
        assertEquals(200, held.slow().statusCode(), held.slow().body());
        assertEquals("v2", held.slow().body(), "the request in flight while v3 was refused finished on v2");

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
        Held<DeploymentResult> held = whileHeld(() -> scenario.deployment(log, "redis").rollback(request(null)), outlastingRequestIsCut());
        RequestLoop.Result requests = loop.stop();
        DeploymentResult result = held.result();
        assertTrue(held.drained(), "v2 got SIGTERM with the slow request in flight, and the rollback waited for it");
        assertEquals(200, held.slow().statusCode(), held.slow().body());
        assertEquals("v2", held.slow().body(), "the request in flight when v1 took over finished on v2");
        if (held.outlasting() != null) {
            // killed after stop_grace_period: the proxy answers 502 (a POST is not sent again)
            assertEquals(502, held.outlasting().statusCode(), "a request outlasting stop_grace_period is cut: " + held.outlasting().body());
        }

        log.info("deployer:rollback to v1 under load: " + requests);
        assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());
        assertEquals(0, requests.failed(), "no request fails while the rollback brings v1 back: " + requests);
        assertTrue(requests.versions().contains("v1"), "v1 answered before the rollback returned: " + requests);
        assertTrue(Set.of("v1", "v2").containsAll(requests.versions()), "only v1 and v2 answered: " + requests);
        assertEquals("v1", get("/version"));
        assertRedisKept(redis, hits);
    }

    /**
     * What {@link #whileHeld} saw.
     *
     * @param outcome    what the action returned or threw
     * @param drained    whether the container holding the slow request got SIGTERM (it printed {@code stopping:})
     *                   while the request was held, before the action returned
     * @param slow       the slow request's answer
     * @param outlasting the answer of a second slow request on the same container, never released (null without one)
     */
    protected record Held<T>(CompletableFuture<T> outcome, boolean drained, HttpResponse<String> slow, HttpResponse<String> outlasting) {

        /** What the action returned; what it threw is thrown. */
        public T result() throws Exception {
            try {
                return outcome.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    /**
     * Runs {@code action} (a deploy) while a slow request is in flight on the serving app container: the request is
     * sent first and the action starts once the app printed that the request reached it; the request is released
     * (a file in the container) as soon as that container got SIGTERM — the action must not have returned by then:
     * the old container drains while the deploy waits — or, if it never does, once the action returned. With
     * {@code outlasting}, a second slow request (a POST) on the same container is never released: it outlasts
     * stop_grace_period.
     */
    protected <T> Held<T> whileHeld(Supplier<T> action, boolean outlasting) throws Exception {
        String id = "drain-" + UUID.randomUUID();
        CompletableFuture<HttpResponse<String>> slow = slow(id);
        String container = reached(id, slow);
        CompletableFuture<HttpResponse<String>> never = null;
        if (outlasting) {
            never = slowPost(id + "-outlasting");
            assertEquals(container, reached(id + "-outlasting", never), "both slow requests are in flight on the same container");
        }
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Thread deploy = new Thread(() -> {
            try {
                outcome.complete(action.get());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        }, "deploy-" + id);
        deploy.start();
        await("the deploy returned or " + container + " got SIGTERM", Duration.ofMinutes(4),
                () -> outcome.isDone() || logs(container).contains(" stopping: "));
        boolean returned = outcome.isDone();
        boolean drained = !returned && logs(container).contains(" stopping: ");
        if (drained) {
            // the engine waits for the container to exit (at most stop_grace_period): the deploy cannot have returned
            log.info("slow request " + id + " in flight on " + container + ", which got SIGTERM; releasing it");
        }
        if (logs(container).isEmpty()) {
            log.info("the container " + container + " holding slow request " + id + " is gone: nothing to release");
        } else {
            docker("exec", container, "sh", "-c", "echo > /tmp/release-" + id);
        }
        HttpResponse<String> response = slow.get(120, TimeUnit.SECONDS);
        HttpResponse<String> cut = never == null ? null : never.get(120, TimeUnit.SECONDS);
        try {
            outcome.get(5, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            // the caller sees it through Held.result()
        }
        return new Held<>(outcome, drained, response, cut);
    }

    /** Sends {@code GET /slow} through the proxy: held in the app until released, at most 60 s. */
    private CompletableFuture<HttpResponse<String>> slow(String id) {
        return http.sendAsync(HttpRequest.newBuilder(url("/slow?ms=60000&id=" + id)).timeout(Duration.ofSeconds(150)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The same as a POST: not idempotent, so neither Caddy nor Go's HTTP transport under it sends it again when the
     * connection breaks (a GET on a reused connection is sent once more, to whichever container then answers).
     */
    private CompletableFuture<HttpResponse<String>> slowPost(String id) {
        return http.sendAsync(HttpRequest.newBuilder(url("/slow?ms=60000&id=" + id)).timeout(Duration.ofSeconds(150))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The app container the slow request {@code id} reached (it printed so). */
    private String reached(String id, CompletableFuture<HttpResponse<String>> slow) {
        String[] holder = new String[1];
        await("the slow request " + id + " reached an app container", Duration.ofSeconds(60), () -> {
            holder[0] = appContainers().stream().filter(c -> logs(c).contains("slow request " + id + " started")).findFirst().orElse(null);
            return holder[0] != null || slow.isDone();
        });
        assertTrue(holder[0] != null, "the slow request " + id + " reached no app container: "
                + (slow.isDone() ? slow.join().statusCode() + " " + slow.join().body() : ""));
        return holder[0];
    }

    private List<String> appContainers() {
        List<String> args = new ArrayList<>(List.of("ps", "-q"));
        appFilters().forEach(filter -> args.addAll(List.of("--filter", filter)));
        return docker(args.toArray(String[]::new)).lines().filter(line -> !line.isBlank()).toList();
    }

    /** The container's output so far; empty once it is gone (removed, or dead and being removed). */
    private static String logs(String container) {
        try {
            return docker("logs", container);
        } catch (AssertionError e) {
            if (String.valueOf(e.getMessage()).contains("dead or marked for removal") || String.valueOf(e.getMessage()).contains("No such container")) {
                return "";
            }
            throw e;
        }
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

    protected String get(String path) throws Exception {
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
