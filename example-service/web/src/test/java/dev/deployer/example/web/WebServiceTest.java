package dev.deployer.example.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.deployer.example.HitCounter;
import dev.deployer.example.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The front end in-process on an ephemeral port, over real HTTP, against the real api in its own JVM (started by its
 * {@code main}, as its container runs it) and a real {@code redis-server}.
 */
class WebServiceTest {

    private static final Pattern HITS_HTML = Pattern.compile("<strong id=\"hits\">(\\d+)</strong>");
    private static final Pattern HITS_JSON = Pattern.compile("^\\{\"hits\":(\\d+),");

    private static RedisServer redis;
    private static Process api;
    private static int apiPort;
    private static Path apiLog;

    private WebService web;

    @BeforeAll
    static void startApi() throws Exception {
        redis = RedisServer.start();
        apiLog = Files.createTempFile("example-web-test-api-", ".log");
        api = startApi(apiLog);
        apiPort = Processes.awaitPort(api, apiLog);
    }

    @AfterAll
    static void stopApi() throws Exception {
        Processes.stop(api);
        if (redis != null) {
            redis.close();
        }
        Files.deleteIfExists(apiLog);
    }

    @AfterEach
    void stopWeb() {
        if (web != null) {
            web.close();
        }
    }

    @Test
    void pageShowsTheHitCountOfTheApiAndBothVersions() throws Exception {
        web = WebService.start(config(URI.create("http://127.0.0.1:" + apiPort)));

        HttpResponse<String> first = Processes.get(web.port(), "/", "text/html");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("text/html; charset=utf-8", first.headers().firstValue("Content-Type").orElse(""));
        long count = hits(HITS_HTML, first.body());
        assertEquals(count, storedHits(), "the page shows the count the api stored in Redis");
        assertTrue(first.body().contains("<code id=\"api-version\">api-7.7.7</code>"), first.body());
        assertTrue(first.body().contains("<code id=\"web-version\">web-8.8.8</code>"), first.body());

        HttpResponse<String> second = Processes.get(web.port(), "/", "text/html");
        assertEquals(count + 1, hits(HITS_HTML, second.body()), "every page view is one hit in the api");
    }

    @Test
    void answersJsonWhenAskedFor() throws Exception {
        web = WebService.start(config(URI.create("http://127.0.0.1:" + apiPort)));

        HttpResponse<String> response = Processes.get(web.port(), "/", "application/json");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        long count = hits(HITS_JSON, response.body());
        assertEquals("{\"hits\":" + count + ",\"api\":{\"url\":\"http://127.0.0.1:" + apiPort
                + "\",\"version\":\"api-7.7.7\"},\"web\":{\"version\":\"web-8.8.8\"}}", response.body());
        assertEquals(count, storedHits());
    }

    @Test
    void apiThatIsDownGivesA502NamingItsUrlAndHealthStaysUp() throws Exception {
        Path log = Files.createTempFile("example-web-test-api-down-", ".log");
        Process second = startApi(log);
        try {
            int port = Processes.awaitPort(second, log);
            web = WebService.start(config(URI.create("http://127.0.0.1:" + port)), shortRetry(port));
            assertEquals(200, Processes.get(web.port(), "/", "text/html").statusCode());

            Processes.stop(second);
            HttpResponse<String> page = Processes.get(web.port(), "/", "text/html");
            HttpResponse<String> json = Processes.get(web.port(), "/", "application/json");
            HttpResponse<String> health = Processes.get(web.port(), "/health", "*/*");

            assertEquals(502, page.statusCode(), page.body());
            assertTrue(page.body().contains("<h1>The api is unavailable</h1>"), page.body());
            assertTrue(page.body().contains("<code>http://127.0.0.1:" + port + "</code>"), page.body());
            assertTrue(page.body().contains("POST http://127.0.0.1:" + port + "/hits failed: connection refused"), page.body());
            assertEquals(502, json.statusCode(), json.body());
            assertEquals("{\"error\":\"the api is unavailable\",\"api\":\"http://127.0.0.1:" + port + "\",\"reason\":\"POST http://127.0.0.1:"
                    + port + "/hits failed: connection refused\",\"web\":{\"version\":\"web-8.8.8\"}}", json.body());
            assertEquals(200, health.statusCode(), "the front end's health does not depend on the api");
            assertEquals("{\"status\":\"UP\",\"version\":\"web-8.8.8\"}", health.body());
        } finally {
            Processes.stop(second);
            Files.deleteIfExists(log);
        }
    }

    @Test
    void apiAnsweringAnErrorGivesA502WithItsAnswer() throws Exception {
        // The api without Redis: its /hits answers 503, which the page passes on as the reason.
        Path log = Files.createTempFile("example-web-test-api-noredis-", ".log");
        int closed = freePort();
        Process noRedis = Processes.launch("dev.deployer.example.ExampleService", Map.of("PORT", "0", "BIND_ADDRESS",
                "127.0.0.1", "REDIS_HOST", "127.0.0.1", "REDIS_PORT", String.valueOf(closed), "REDIS_PASSWORD", "x"), log);
        try {
            int port = Processes.awaitPort(noRedis, log);
            web = WebService.start(config(URI.create("http://127.0.0.1:" + port)), shortRetry(port));

            HttpResponse<String> page = Processes.get(web.port(), "/", "text/html");

            assertEquals(502, page.statusCode(), page.body());
            assertTrue(page.body().contains("POST http://127.0.0.1:" + port + "/hits answered 503: {&quot;error&quot;:&quot;Redis is unavailable&quot;"),
                    page.body());
        } finally {
            Processes.stop(noRedis);
            Files.deleteIfExists(log);
        }
    }

    @Test
    void aPageWaitsForAnApiThatIsStillStarting() throws Exception {
        // The api's port is known before the api runs, as its service name is on the stack network.
        int port = freePort();
        web = WebService.start(config(URI.create("http://127.0.0.1:" + port)),
                new ApiClient(URI.create("http://127.0.0.1:" + port), Processes.DEADLINE));
        CompletableFuture<HttpResponse<String>> page = CompletableFuture.supplyAsync(() -> {
            try {
                return Processes.get(web.port(), "/", "application/json");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Path log = Files.createTempFile("example-web-test-api-late-", ".log");
        Process late = Processes.launch("dev.deployer.example.ExampleService", Map.of("PORT", String.valueOf(port),
                "BIND_ADDRESS", "127.0.0.1", "REDIS_HOST", "127.0.0.1", "REDIS_PORT", String.valueOf(redis.port()),
                "REDIS_PASSWORD", redis.password(), "APP_VERSION", "api-late"), log);
        try {
            HttpResponse<String> response = page.get(Processes.DEADLINE.toSeconds(), TimeUnit.SECONDS);

            assertEquals(200, response.statusCode(), response.body() + "\n" + Files.readString(log));
            assertTrue(response.body().contains("\"version\":\"api-late\""), response.body());
        } finally {
            Processes.stop(late);
            Files.deleteIfExists(log);
        }
    }

    @Test
    void healthNeedsNoApi() throws Exception {
        web = WebService.start(config(URI.create("http://127.0.0.1:" + freePort())));

        HttpResponse<String> health = Processes.get(web.port(), "/health", "*/*");
        HttpResponse<String> head = Processes.send(web.port(), "HEAD", "/health", "*/*");

        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"UP\",\"version\":\"web-8.8.8\"}", health.body());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void versionIsTheFrontEndsOwnAndNeedsNoApi() throws Exception {
        web = WebService.start(config(URI.create("http://127.0.0.1:" + freePort())));

        HttpResponse<String> version = Processes.get(web.port(), "/version", "*/*");

        assertEquals(200, version.statusCode());
        assertEquals("web-8.8.8", version.body());
        assertEquals(405, Processes.send(web.port(), "POST", "/version", "*/*").statusCode());
    }

    @Test
    void unknownPathIs404AndOtherMethodsAre405() throws Exception {
        web = WebService.start(config(URI.create("http://127.0.0.1:" + apiPort)));

        HttpResponse<String> missing = Processes.get(web.port(), "/nope", "*/*");
        HttpResponse<String> post = Processes.send(web.port(), "POST", "/", "*/*");

        assertEquals(404, missing.statusCode());
        assertEquals("{\"error\":\"not found\",\"path\":\"/nope\"}", missing.body());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void escapesWhatTheApiSays() throws Exception {
        assertEquals("&lt;b&gt; &amp; &quot;x&quot; &#39;", Text.html("<b> & \"x\" '"));
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", Text.json("a\"b\\c\n\u0001"));
        assertFalse(Text.html("<script>").contains("<"));
    }

    private static Process startApi(Path log) throws IOException {
        return Processes.launch("dev.deployer.example.ExampleService", Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1",
                "REDIS_HOST", "127.0.0.1", "REDIS_PORT", String.valueOf(redis.port()), "REDIS_PASSWORD", redis.password(),
                "APP_VERSION", "api-7.7.7"), log);
    }

    /** The api client with a short connect retry: a test of a down api need not wait the 5 s of production. */
    private static ApiClient shortRetry(int port) {
        return new ApiClient(URI.create("http://127.0.0.1:" + port), Duration.ofMillis(300));
    }

    private static WebConfig config(URI api) {
        return new WebConfig("127.0.0.1", 0, api, "web-8.8.8");
    }

    private static long storedHits() {
        try (Jedis client = redis.client()) {
            return Long.parseLong(client.get(HitCounter.KEY));
        }
    }

    private static long hits(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        assertTrue(matcher.find(), "no hit count in:\n" + body);
        return Long.parseLong(matcher.group(1));
    }

    /** A port on 127.0.0.1 where nothing listens (free when checked). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
