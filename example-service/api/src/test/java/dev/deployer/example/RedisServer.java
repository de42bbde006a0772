package dev.deployer.example;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} for a test: on 127.0.0.1, a free port in 16379-16399, a random password, no
 * persistence. Stopped by its PID in {@link #close()}.
 * Public for the web module's tests (through api's test jar).
 */
public final class RedisServer implements AutoCloseable {

    static final int FIRST_PORT = 16379;
    static final int LAST_PORT = 16399;
    private static final Duration START_DEADLINE = Duration.ofSeconds(10);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);

    private final String password;
    private final int port;
    private final Path log;
    private Process process;

    private RedisServer(String password, int port, Path log, Process process) {
        this.password = password;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts a Redis server with a fresh random password on a free port of the range. */
    public static RedisServer start() throws IOException, InterruptedException {
        String binary = redisServerBinary();
        String password = "test-" + UUID.randomUUID();
        for (int port = FIRST_PORT; port <= LAST_PORT; port++) {
            if (!free(port)) {
                continue;
            }
            Path log = Files.createTempFile("example-redis-" + port + "-", ".log");
            Process process = launch(binary, port, password, log);
            if (awaitReady(process, port, password)) {
                return new RedisServer(password, port, log, process);
            }
            stop(process);
            // Another process took the port between the check and the start: try the next one.
        }
        throw new IllegalStateException("no free port in " + FIRST_PORT + "-" + LAST_PORT + " on 127.0.0.1 for redis-server");
    }

    /** Starts Redis again on the same port with the same password (after {@link #stop()}). */
    public void restart() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is still running");
        }
        process = launch(redisServerBinary(), port, password, log);
        if (!awaitReady(process, port, password)) {
            throw new IllegalStateException("redis-server did not restart on port " + port + ": " + Files.readString(log));
        }
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    long pid() {
        return process.pid();
    }

    /** A second, independent client (not the service's), to look at what the service stored. */
    public Jedis client() {
        return new Jedis(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().password(password).timeoutMillis(2000).build());
    }

    /** Stops the server by its PID (SIGTERM, then SIGKILL after a deadline) and waits until it is gone. */
    public void stop() throws InterruptedException {
        stop(process);
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
        Files.deleteIfExists(log);
    }

    private static Process launch(String binary, int port, String password, Path log) throws IOException {
        List<String> command = List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--requirepass", password, "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", System.getProperty("java.io.tmpdir"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static boolean awaitReady(Process process, int port, String password) throws InterruptedException {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port),
                    DefaultJedisClientConfig.builder().password(password).timeoutMillis(500).build())) {
                if ("PONG".equals(jedis.ping())) {
                    return true;
                }
            } catch (RuntimeException notYet) {
                // not listening yet (or another server holds the port: then our process exits)
            }
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
        return false;
    }

    private static void stop(Process process) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String redisServerBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail("redis-server is not installed, and these tests need a real Redis server. Install it with"
                + " `apt-get install -y redis-server` (or run .ci/setup-env.sh, which installs it), then run the tests again.");
    }
}
