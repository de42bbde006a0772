package dev.deployer.example.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.deployer.example.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The front end as its own JVM, started by {@code main} exactly as the container starts it, with the real api. */
class WebServiceProcessTest {

    @TempDir
    Path dir;

    private Process web;
    private Process api;
    private RedisServer redis;

    @AfterEach
    void stopAll() throws Exception {
        Processes.stop(web);
        Processes.stop(api);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void refusesToStartWithAMalformedApiUrl() throws Exception {
        Path log = dir.resolve("web.log");
        web = Processes.launch(WebService.class.getName(), Map.of("PORT", "0", "API_URL", "api:8080"), log);

        assertTrue(web.waitFor(Processes.DEADLINE.toSeconds(), TimeUnit.SECONDS), "the front end must exit, not wait");
        String output = Files.readString(log);
        assertEquals(2, web.exitValue(), output);
        assertTrue(output.contains("web cannot start: API_URL is 'api:8080', not the base URL of the api. Set API_URL to"
                + " http://HOST:PORT (no path)"), output);
        assertFalse(output.contains("listening"), output);
    }

    @Test
    void servesThePageFromTheApiThenStopsGracefullyOnSigterm() throws Exception {
        redis = RedisServer.start();
        Path apiLog = dir.resolve("api.log");
        api = Processes.launch("dev.deployer.example.ExampleService", Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1",
                "REDIS_HOST", "127.0.0.1", "REDIS_PORT", String.valueOf(redis.port()), "REDIS_PASSWORD", redis.password(),
                "APP_VERSION", "api-1"), apiLog);
        int apiPort = Processes.awaitPort(api, apiLog);
        Path log = dir.resolve("web.log");
        web = Processes.launch(WebService.class.getName(), Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1",
                "API_URL", "http://127.0.0.1:" + apiPort + "/", "APP_VERSION", "web-2"), log);
        int port = Processes.awaitPort(web, log);

        HttpResponse<String> page = Processes.get(port, "/", "application/json");
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("{\"hits\":1,\"api\":{\"url\":\"http://127.0.0.1:" + apiPort + "\",\"version\":\"api-1\"},"
                + "\"web\":{\"version\":\"web-2\"}}", page.body());
        assertEquals(200, Processes.get(port, "/health", "*/*").statusCode());

        web.destroy(); // SIGTERM, as docker stop and Swarm send it
        assertTrue(web.waitFor(Processes.DEADLINE.toSeconds(), TimeUnit.SECONDS), "the front end must stop on SIGTERM");
        String output = Files.readString(log);
        assertEquals(143, web.exitValue(), "exit status of a JVM stopped by SIGTERM\n" + output);
        assertTrue(output.contains("web web-2 listening on 127.0.0.1:" + port + ", api at http://127.0.0.1:" + apiPort), output);
        assertTrue(output.contains("Stopping web"), output);
        assertTrue(output.contains("web stopped"), output);
    }
}
