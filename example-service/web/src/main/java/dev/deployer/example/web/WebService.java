package dev.deployer.example.web;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The front end of the example release: a small HTTP server (JDK only) that calls the api over the stack network.
 *
 * <ul>
 *   <li>{@code GET /}: counts a visit in the api ({@code POST /hits}), asks its version ({@code GET /version}) and
 *       answers a page with both and the front end's own version (HTML; JSON with {@code Accept: application/json});
 *       {@code 502} with a page naming the api's URL and the reason when the api is unreachable or fails;</li>
 *   <li>{@code GET /health}: {@code 200 {"status":"UP","version":"…"}}: the front end itself, not the api (a down api
 *       must not make Swarm or Compose replace a good front end); {@code 503} while it stops;</li>
 *   <li>{@code GET /version}: the front end's own version ({@code APP_VERSION}, plain text), as the api answers its
 *       own: what the zero-downtime benchmark asks through the proxy.</li>
 * </ul>
 *
 * Configuration comes only from environment variables (see {@link WebConfig}). SIGTERM stops it gracefully.
 */
public final class WebService implements AutoCloseable {

    private static final int SHUTDOWN_GRACE_SECONDS = 5;

    private final WebConfig config;
    private final ApiClient api;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object drained = new Object();
    private volatile boolean stopping;

    private WebService(WebConfig config, ApiClient api, HttpServer server, ExecutorService executor) {
        this.config = config;
        this.api = api;
        this.server = server;
        this.executor = executor;
    }

    /** Starts the front end on {@code config.bindAddress()}:{@code config.port()} (port 0 picks a free port). */
    public static WebService start(WebConfig config) throws IOException {
        return start(config, new ApiClient(config.apiUrl()));
    }

    static WebService start(WebConfig config, ApiClient api) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 0);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + config.bindAddress() + ":" + config.port() + " ("
                    + e.getMessage() + "): set PORT to a free port and BIND_ADDRESS to an address of this host", e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        WebService service = new WebService(config, api, server, executor);
        server.createContext("/", service::handle);
        server.setExecutor(executor);
        server.start();
        Log.info("web " + config.appVersion() + " listening on " + config.bindAddress() + ":" + service.port()
                + ", api at " + config.apiUrl());
        return service;
    }

    /** The port the front end listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/" -> {
                    if (allowed(exchange, method)) {
                        home(exchange);
                    }
                }
                case "/health" -> {
                    if (allowed(exchange, method)) {
                        health(exchange);
                    }
                }
                case "/version" -> {
                    if (allowed(exchange, method)) {
                        send(exchange, 200, "text/plain; charset=utf-8", config.appVersion());
                    }
                }
                default -> send(exchange, 404, "application/json", "{\"error\":\"not found\",\"path\":" + Text.json(path) + "}");
            }
        } catch (RuntimeException e) {
            Log.error(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " failed: " + e);
        } finally {
            if (inFlight.decrementAndGet() == 0) {
                synchronized (drained) {
                    drained.notifyAll();
                }
            }
        }
    }

    private void home(HttpExchange exchange) throws IOException {
        boolean json = wantsJson(exchange);
        long hits;
        String apiVersion;
        try {
            hits = api.hit();
            apiVersion = api.version();
        } catch (ApiClient.ApiException e) {
            Log.warn("GET /: the api is unavailable: " + e.getMessage());
            if (json) {
                send(exchange, 502, "application/json", "{\"error\":\"the api is unavailable\",\"api\":"
                        + Text.json(api.base().toString()) + ",\"reason\":" + Text.json(e.getMessage())
                        + ",\"web\":{\"version\":" + Text.json(config.appVersion()) + "}}");
            } else {
                send(exchange, 502, "text/html; charset=utf-8", page("The api is unavailable",
                        "<p>The front end could not reach the api at <code>" + Text.html(api.base().toString())
                                + "</code>:</p>\n<p><code>" + Text.html(e.getMessage()) + "</code></p>"));
            }
            return;
        }
        if (json) {
            send(exchange, 200, "application/json", "{\"hits\":" + hits + ",\"api\":{\"url\":"
                    + Text.json(api.base().toString()) + ",\"version\":" + Text.json(apiVersion) + "},\"web\":{\"version\":"
                    + Text.json(config.appVersion()) + "}}");
        } else {
            send(exchange, 200, "text/html; charset=utf-8", page("Deployer example",
                    "<p>Visits counted by the api: <strong id=\"hits\">" + hits + "</strong></p>\n"
                            + "<ul>\n<li>api version <code id=\"api-version\">" + Text.html(apiVersion) + "</code></li>\n"
                            + "<li>web version <code id=\"web-version\">" + Text.html(config.appVersion())
                            + "</code></li>\n</ul>"));
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        String version = Text.json(config.appVersion());
        if (stopping) {
            send(exchange, 503, "application/json", "{\"status\":\"DOWN\",\"reason\":\"stopping\",\"version\":" + version + "}");
        } else {
            send(exchange, 200, "application/json", "{\"status\":\"UP\",\"version\":" + version + "}");
        }
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" + Text.html(title)
                + "</title></head>\n<body>\n<h1>" + Text.html(title) + "</h1>\n" + body + "\n</body>\n</html>\n";
    }

    private static boolean wantsJson(HttpExchange exchange) {
        List<String> accept = exchange.getRequestHeaders().get("Accept");
        return accept != null && accept.stream().anyMatch(value -> value.toLowerCase(Locale.ROOT).contains("application/json"));
    }

    private static boolean allowed(HttpExchange exchange, String method) throws IOException {
        if (Set.of("GET", "HEAD").contains(method)) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "application/json", "{\"error\":\"method not allowed\",\"method\":" + Text.json(method) + "}");
        return false;
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
     * {@value #SHUTDOWN_GRACE_SECONDS} s to finish, then the server closes.
     */
    @Override
    public void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        Log.info("Stopping web: waiting for " + inFlight.get() + " request(s) in progress");
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
        Log.info("web stopped");
    }

    public static void main(String[] args) {
        // Swarm and Compose give the api a new address when its task or container is replaced: don't keep a stale
        // address or a failed lookup for long (the JVM default is 30 s / 10 s); the api client retries a connection
        // that cannot be opened within that time.
        java.security.Security.setProperty("networkaddress.cache.ttl", "1");
        java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
        WebConfig config;
        try {
            config = WebConfig.fromEnvironment(System.getenv());
        } catch (WebConfig.ConfigException e) {
            Log.error("web cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        WebService service;
        try {
            service = start(config);
        } catch (IOException e) {
            Log.error("web cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "shutdown"));
    }
}
