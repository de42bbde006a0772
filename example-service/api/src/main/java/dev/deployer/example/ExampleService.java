package dev.deployer.example;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP service that counts hits in Redis.
 *
 * <ul>
 *   <li>{@code GET /health}: 200 {@code {"status":"UP","redis":"UP","version":"…"}} when Redis answers PING,
 *       503 with {@code "redis":"DOWN"} and the reason otherwise;</li>
 *   <li>{@code POST /hits} (or {@code GET}): adds one hit, returns {@code {"hits":N}};</li>
 *   <li>{@code GET /version}: the version string ({@code APP_VERSION}).</li>
 * </ul>
 *
 * Configuration comes only from environment variables (see {@link Config}). SIGTERM stops it gracefully:
 * requests in progress finish, then the server and the Redis pool close.
 */
public final class ExampleService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExampleService.class);
    private static final int SHUTDOWN_GRACE_SECONDS = 5;

    private final Config config;
    private final HitCounter counter;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object drained = new Object();
    private volatile boolean stopping;
    private volatile boolean redisWasUp = true;

    private ExampleService(Config config, HitCounter counter, HttpServer server, ExecutorService executor) {
        this.config = config;
        this.counter = counter;
        this.server = server;
        this.executor = executor;
    }

    /** Starts the service on {@code config.bindAddress()}:{@code config.port()} (port 0 picks a free port). */
    public static ExampleService start(Config config) throws IOException {
        HitCounter counter = new HitCounter(config);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 0);
        } catch (IOException e) {
            counter.close();
            throw new IOException("cannot listen on " + config.bindAddress() + ":" + config.port() + " ("
                    + e.getMessage() + "): set PORT to a free port and BIND_ADDRESS to an address of this host", e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        ExampleService service = new ExampleService(config, counter, server, executor);
        server.createContext("/", service::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("example-service {} listening on {}:{}, Redis at {}:{}", config.appVersion(), config.bindAddress(),
                service.port(), config.redisHost(), config.redisPort());
        return service;
    }

    /** The port the service listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/health" -> {
                    if (allowed(exchange, method, Set.of("GET", "HEAD"))) {
                        health(exchange);
                    }
                }
                case "/hits" -> {
                    if (allowed(exchange, method, Set.of("GET", "POST"))) {
                        hits(exchange, method);
                    }
                }
                case "/version" -> {
                    if (allowed(exchange, method, Set.of("GET", "HEAD"))) {
                        send(exchange, 200, "text/plain; charset=utf-8", config.appVersion());
                    }
                }
                default -> sendJson(exchange, 404, "{\"error\":\"not found\",\"path\":" + Json.string(path) + "}");
            }
        } catch (RuntimeException e) {
            LOG.error("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    HitCounter.reason(e));
        } finally {
            if (inFlight.decrementAndGet() == 0) {
                synchronized (drained) {
                    drained.notifyAll();
                }
            }
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        String version = Json.string(config.appVersion());
        if (stopping) {
            sendJson(exchange, 503, "{\"status\":\"DOWN\",\"reason\":\"stopping\",\"version\":" + version + "}");
            return;
        }
        HitCounter.Status redis = counter.ping();
        if (redis.up() != redisWasUp) {
            redisWasUp = redis.up();
            if (redis.up()) {
                LOG.info("Redis is UP again");
            } else {
                LOG.warn("Redis is DOWN: {}", redis.reason());
            }
        }
        if (redis.up()) {
            sendJson(exchange, 200, "{\"status\":\"UP\",\"redis\":\"UP\",\"version\":" + version + "}");
        } else {
            sendJson(exchange, 503, "{\"status\":\"DOWN\",\"redis\":\"DOWN\",\"reason\":" + Json.string(redis.reason())
                    + ",\"version\":" + version + "}");
        }
    }

    private void hits(HttpExchange exchange, String method) throws IOException {
        long hits;
        try {
            hits = counter.increment();
        } catch (RuntimeException e) {
            String reason = HitCounter.reason(e);
            LOG.warn("{} /hits: Redis failed: {}", method, reason);
            sendJson(exchange, 503, "{\"error\":\"Redis is unavailable\",\"reason\":" + Json.string(reason) + "}");
            return;
        }
        sendJson(exchange, 200, "{\"hits\":" + hits + "}");
    }

    private static boolean allowed(HttpExchange exchange, String method, Set<String> methods) throws IOException {
        if (methods.contains(method)) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", String.join(", ", methods.stream().sorted().toList()));
        sendJson(exchange, 405, "{\"error\":\"method not allowed\",\"method\":" + Json.string(method) + "}");
        return false;
    }

    private static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, "application/json", json);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /**
     * Stops gracefully: health turns 503 ("stopping"), requests in progress get up to
     * {@value #SHUTDOWN_GRACE_SECONDS} s to finish, then the server and the Redis pool close.
     */
    @Override
    public void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        LOG.info("Stopping example-service: waiting for {} request(s) in progress", inFlight.get());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_GRACE_SECONDS);
        synchronized (drained) {
            long left;
            while (inFlight.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(drained, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        server.stop(0);
        executor.shutdown();
        counter.close();
        LOG.info("example-service stopped");
    }

    public static void main(String[] args) {
        // Swarm and Compose give Redis a new address when its task or container is replaced, and publish its name
        // only once it runs: don't keep a stale address or a failed lookup for long (the JVM default is 30 s / 10 s).
        java.security.Security.setProperty("networkaddress.cache.ttl", "5");
        java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
        Config config;
        try {
            config = Config.fromEnvironment(System.getenv());
        } catch (Config.ConfigException e) {
            LOG.error("example-service cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        ExampleService service;
        try {
            service = start(config);
        } catch (IOException e) {
            LOG.error("example-service cannot start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "shutdown"));
    }
}
