package dev.deployer.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service as its own JVM, started by {@code main} exactly as the container starts it. */
class ExampleServiceProcessTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Process process;
    private RedisServer redis;

    @AfterEach
    void stopAll() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void refusesToStartWithoutRedisPassword() throws Exception {
        Path log = dir.resolve("service.log");
        process = launch(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1"), log);

        assertTrue(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the service must exit, not wait");
        String output = Files.readString(log);
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("example-service cannot start: REDIS_PASSWORD is not set. Set the environment variable"
                + " REDIS_PASSWORD"), output);
        assertFalse(output.contains("listening"), output);
    }

    @Test
    void refusesToStartWithAMalformedPort() throws Exception {
        Path log = dir.resolve("service.log");
        process = launch(Map.of("PORT", "80a", "REDIS_PASSWORD", "x"), log);

        assertTrue(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the service must exit, not wait");
        String output = Files.readString(log);
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("PORT is '80a', not a port number. Set PORT to a number from 0 to 65535"), output);
    }

    @Test
    void servesThenStopsGracefullyOnSigtermWithoutLoggingThePassword() throws Exception {
        redis = RedisServer.start();
        Path log = dir.resolve("service.log");
        process = launch(Map.of("PORT", "0", "BIND_ADDRESS", "127.0.0.1", "REDIS_HOST", "127.0.0.1",
                "REDIS_PORT", String.valueOf(redis.port()), "REDIS_PASSWORD", redis.password(),
                "APP_VERSION", "9.9.9"), log);

        int port = awaitPort(log);
        HttpResponse<String> health = ExampleServiceTest.send(port, "GET", "/health");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("{\"hits\":1}", ExampleServiceTest.send(port, "POST", "/hits").body());

        process.destroy(); // SIGTERM, as docker stop and Swarm send it
        assertTrue(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the service must stop on SIGTERM");
        String output = Files.readString(log);
        assertEquals(143, process.exitValue(), "exit status of a JVM stopped by SIGTERM\n" + output);
        assertTrue(output.contains("Stopping example-service"), output);
        assertTrue(output.contains("example-service stopped"), output);
        assertFalse(output.contains(redis.password()), "the log must never contain the Redis password:\n" + output);
    }

    private Process launch(Map<String, String> env, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                ExampleService.class.getName()));
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private int awaitPort(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            int port = ExampleServiceTest.portFromLog(Files.readString(log));
            if (port > 0) {
                return port;
            }
            if (!process.isAlive()) {
                fail("the service exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
        return fail("the service did not log its port within " + DEADLINE + ":\n" + Files.readString(log));
    }
}
