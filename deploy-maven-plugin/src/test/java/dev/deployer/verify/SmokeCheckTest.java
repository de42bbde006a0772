package dev.deployer.verify;

import com.sun.net.httpserver.HttpServer;
import dev.deployer.core.Secret;
import dev.deployer.testing.RecordingLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke checks across services: each against its own base URL, with its headers (a Host header through a proxy, a
 * secret one printed redacted), against two in-process HTTP servers on the loopback interface (no Docker, no network).
 */
class SmokeCheckTest {

    private static final String TOKEN = "Bearer smoke-canary-4711";

    /** What a server saw: method, request URI as sent, Host header, Authorization header. */
    private record Seen(String server, String method, String uri, String host, String authorization) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private HttpServer proxy;
    private HttpServer api;
    private final FakeClock clock = new FakeClock();
    private final RecordingLog log = new RecordingLog("");
    private final HttpVerifier verifier = new HttpVerifier(new Poller(clock, clock.sleeper(), Backoff.standard()), log);

    @BeforeEach
    void start() throws IOException {
        proxy = server("proxy");
        api = server("api");
    }

    @AfterEach
    void stop() {
        proxy.stop(0);
        api.stop(0);
    }

    /** Answers 200 "<server> saw <host>" for Host api.example.test or web.example.test, 404 otherwise; /echo echoes Authorization. */
    private HttpServer server(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(new Seen(name, exchange.getRequestMethod(), exchange.getRequestURI().toString(), host, authorization));
            String path = exchange.getRequestURI().getPath();
            boolean known = host != null && (host.startsWith("api.example.test") || host.startsWith("web.example.test")
                    || host.startsWith("127.0.0.1"));
            byte[] body = (path.equals("/echo") ? "you sent " + authorization : name + " saw " + host).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(known ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static URI origin(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void eachCheckGoesToItsOwnBaseUrlWithItsHostHeaderThroughTheProxy() {
        SmokeCheck web = new SmokeCheck("GET", "/", null, 200, "proxy saw web.example.test", null,
                Map.of("Host", "web.example.test"), Map.of());
        SmokeCheck viaProxy = new SmokeCheck("GET", "/items?x=1", null, 200, "proxy saw api.example.test", null,
                Map.of("Host", "api.example.test"), Map.of());
        SmokeCheck direct = new SmokeCheck("POST", "/hits", "{}", 200, "api saw 127.0.0.1", origin(api), Map.of("X-Trace", "t1"), Map.of());
        List<String> failures = verifier.smoke(origin(proxy).resolve("/health"), List.of(web, viaProxy, direct));
        assertEquals(List.of(), failures);
        assertEquals(new Seen("proxy", "GET", "http://web.example.test/", "web.example.test", null), seen.get(0));
        assertEquals("api.example.test", seen.get(1).host());
        assertTrue(seen.get(1).uri().endsWith("/items?x=1"), seen.get(1).uri());
        assertEquals("api", seen.get(2).server());
        assertEquals("POST", seen.get(2).method());
        assertEquals("/hits", seen.get(2).uri());
        assertEquals(3, log.lines().stream().filter(line -> line.contains("Smoke check passed")).count(), log.text());
    }

    @Test
    void aWrongHostIsAFailureNamingTheCheck() {
        SmokeCheck check = new SmokeCheck("GET", "/", null, 200, null, origin(proxy), Map.of("Host", "other.example.test"), Map.of());
        List<String> failures = verifier.smoke(origin(api), List.of(check));
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).startsWith("GET http://127.0.0.1:" + proxy.getAddress().getPort() + "/ [Host: other.example.test]"
                + " -> 200: got 404 proxy saw other.example.test"), failures.get(0));
    }

    @Test
    void aSecretHeaderReachesTheServerAndIsNeverPrinted() {
        SmokeCheck check = new SmokeCheck("GET", "/echo", null, 200, "nothing like this", origin(api), Map.of(),
                Map.of("Authorization", Secret.of("SMOKE_AUTHORIZATION", TOKEN)));
        List<String> failures = verifier.smoke(origin(proxy), List.of(check));
        assertEquals(TOKEN, seen.get(0).authorization(), "the value reaches the request");
        assertEquals(1, failures.size());
        assertFalse(failures.get(0).contains("smoke-canary-4711"), failures.get(0));
        assertTrue(failures.get(0).contains("[Authorization: [REDACTED]]") && failures.get(0).contains("you sent [REDACTED]"), failures.get(0));
        assertFalse(check.toString().contains("canary"));
    }

    @Test
    void invalidChecksAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> new SmokeCheck("GET", "/", null, 200, null,
                URI.create("http://127.0.0.1:8080/api"), Map.of(), Map.of()), "a base URL with a path");
        assertThrows(IllegalArgumentException.class, () -> new SmokeCheck("GET", "/", null, 200, null,
                URI.create("ftp://x"), Map.of(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new SmokeCheck("GET", "/", null, 200, null, null,
                Map.of("Content-Length", "3"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new SmokeCheck("GET", "/", null, 200, null, null,
                Map.of("Bad Header", "x"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new SmokeCheck("GET", "/", null, 200, null, null,
                Map.of("Host", "a/b"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new SmokeCheck("GET", "/", null, 200, null, null,
                Map.of("x-a", "1"), Map.of("X-A", Secret.of("A", "1234"))), "a header given twice");
        SmokeCheck host = new SmokeCheck("GET", "/", null, 200, null, null, Map.of("Host", "api.example.test"), Map.of());
        assertTrue(host.problemWith(URI.create("https://example.test/health")).contains("needs an http:// base URL"));
        assertNull(host.problemWith(URI.create("http://127.0.0.1:8080/health")));
        assertEquals("GET / [Host: api.example.test] -> 200", host.toString());
    }
}
