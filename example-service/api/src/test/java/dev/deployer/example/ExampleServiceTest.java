package dev.deployer.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The service, in-process on an ephemeral port, against a real redis-server, over real HTTP. */
class ExampleServiceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private RedisServer redis;
    private ExampleService service;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (service != null) {
            service.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void healthIsUpWhenRedisAnswersPing() throws Exception {
        service = ExampleService.start(config(redis.password(), "1.2.3"));

        HttpResponse<String> health = get("/health");

        assertEquals(200, health.statusCode(), health.body());
        assertEquals("{\"status\":\"UP\",\"redis\":\"UP\",\"version\":\"1.2.3\"}", health.body());
        assertEquals("application/json", health.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void versionReturnsAppVersion() throws Exception {
        service = ExampleService.start(config(redis.password(), "0.1.0-abc1234"));

        HttpResponse<String> version = get("/version");

        assertEquals(200, version.statusCode());
        assertEquals("0.1.0-abc1234", version.body());
    }

    @Test
    void hitsIncrementAcrossRequestsAndPersistInRedis() throws Exception {
        service = ExampleService.start(config(redis.password(), "1"));

        assertEquals("{\"hits\":1}", send("POST", "/hits").body());
        assertEquals("{\"hits\":2}", send("POST", "/hits").body());
        assertEquals("{\"hits\":3}", get("/hits").body());
        try (Jedis other = redis.client()) {
            assertEquals("3", other.get(HitCounter.KEY), "the counter as a second Redis client sees it");
        }

        // The count lives in Redis, not in the process: a new instance goes on from it.
        service.close();
        service = ExampleService.start(config(redis.password(), "2"));
        assertEquals("{\"hits\":4}", send("POST", "/hits").body());
        try (Jedis other = redis.client()) {
            assertEquals("4", other.get(HitCounter.KEY));
        }
    }

    @Test
    void concurrentHitsAreAllCounted() throws Exception {
        service = ExampleService.start(config(redis.password(), "1"));
        int requests = 40;

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/hits"))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> bodies = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
            bodies.add(response.body());
        }

        assertEquals(requests, bodies.size(), "every request got its own count: " + bodies);
        assertTrue(bodies.contains("{\"hits\":" + requests + "}"), bodies.toString());
        try (Jedis other = redis.client()) {
            assertEquals(String.valueOf(requests), other.get(HitCounter.KEY));
        }
    }

    @Test
    void healthIsDownWhenRedisStopsAndUpAgainWhenItReturns() throws Exception {
        service = ExampleService.start(config(redis.password(), "1"));
        assertEquals(200, get("/health").statusCode());

        redis.stop();
        HttpResponse<String> down = pollUntil("/health", r -> r.statusCode() == 503);
        assertTrue(down.body().startsWith("{\"status\":\"DOWN\",\"redis\":\"DOWN\",\"reason\":\""), down.body());
        assertTrue(down.body().contains(String.valueOf(redis.port())), "the reason names the Redis address: " + down.body());
        assertEquals(503, send("POST", "/hits").statusCode(), "hits cannot count without Redis");

        redis.restart();
        HttpResponse<String> up = pollUntil("/health", r -> r.statusCode() == 200);
        assertEquals("{\"status\":\"UP\",\"redis\":\"UP\",\"version\":\"1\"}", up.body());
    }

    @Test
    void healthIsDownWhenThePasswordIsWrong() throws Exception {
        String wrong = "wrong-" + redis.password();
        service = ExampleService.start(config(wrong, "1"));

        HttpResponse<String> health = get("/health");

        assertEquals(503, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"redis\":\"DOWN\""), health.body());
        assertTrue(health.body().contains("WRONGPASS"), "the reason says the password is wrong: " + health.body());
        assertFalse(health.body().contains(wrong), "the password never appears in a response");
    }

    @Test
    void healthNeverHangsOnAnUnreachableRedis() throws Exception {
        // A port of the range nobody listens on: the service must answer 503 within its short timeouts.
        redis.stop();
        service = ExampleService.start(config(redis.password(), "1"));

        long start = System.nanoTime();
        HttpResponse<String> health = get("/health");

        assertEquals(503, health.statusCode(), health.body());
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(millis < 5_000, "health answered in " + millis + " ms");
    }

    @Test
    void unknownPathsAndMethodsAreRejected() throws Exception {
        service = ExampleService.start(config(redis.password(), "1"));

        assertEquals(404, get("/nope").statusCode());
        assertEquals(404, get("/healthz").statusCode());
        HttpResponse<String> delete = send("DELETE", "/hits");
        assertEquals(405, delete.statusCode());
        assertEquals("GET, POST", delete.headers().firstValue("Allow").orElse(""));
    }

    private Config config(String password, String version) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("BIND_ADDRESS", "127.0.0.1");
        env.put("REDIS_HOST", "127.0.0.1");
        env.put("REDIS_PORT", String.valueOf(redis.port()));
        env.put("REDIS_PASSWORD", password);
        env.put("APP_VERSION", version);
        return Config.fromEnvironment(env);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path);
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return send(service.port(), method, path);
    }

    static HttpResponse<String> send(int port, String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> pollUntil(String path, Predicate<HttpResponse<String>> condition) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = get(path);
            if (condition.test(last)) {
                return last;
            }
            Thread.onSpinWait();
        }
        return fail("GET " + path + " did not reach the expected state within " + DEADLINE + "; last answer: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    static int portFromLog(String log) {
        Matcher matcher = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(log);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }
}
