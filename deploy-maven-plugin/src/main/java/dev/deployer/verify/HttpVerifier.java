package dev.deployer.verify;

import dev.deployer.core.Log;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP side of verification: the health URL polled until it answers 2xx, then the smoke checks, each once.
 */
public final class HttpVerifier {

    private final HttpClient http;
    private final Poller poller;
    private final Log log;

    public HttpVerifier(Poller poller, Log log) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).followRedirects(HttpClient.Redirect.NEVER).build(), poller, log);
    }

    HttpVerifier(HttpClient http, Poller poller, Log log) {
        this.http = http;
        this.poller = poller;
        this.log = log;
    }

    /** Polls {@code url} with backoff until it answers 2xx or {@code timeout} passes. */
    public Poller.Outcome<Integer> awaitHealthy(URI url, Duration timeout) {
        Poller.Outcome<Integer> outcome = poller.poll(timeout, () -> {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                String detail = url + " answered " + response.statusCode();
                log.debug(detail);
                return response.statusCode() / 100 == 2 ? Poller.Attempt.done(response.statusCode(), detail)
                        : Poller.Attempt.retry(response.statusCode(), detail + ": " + abbreviate(response.body()));
            } catch (IOException e) {
                log.debug(url + ": " + e);
                return Poller.Attempt.retry(null, url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Poller.Attempt.failed(null, "interrupted");
            }
        });
        return outcome;
    }

    /**
     * Runs every smoke check once, each against its own base URL or else {@code base} (scheme, host and port of the
     * health URL), with its headers; returns the failures, secret header values masked.
     */
    public List<String> smoke(URI base, List<SmokeCheck> checks) {
        List<String> failures = new ArrayList<>();
        for (SmokeCheck check : checks) {
            try {
                HttpResponse<String> response = send(check, check.base(base));
                String answer = check.mask(abbreviate(response.body()));
                if (response.statusCode() != check.expectStatus()) {
                    failures.add(check + ": got " + response.statusCode() + " " + answer);
                } else if (check.expectBodyContains() != null && !response.body().contains(check.expectBodyContains())) {
                    failures.add(check + ": body does not contain it: " + answer);
                } else {
                    log.info("Smoke check passed: " + check);
                }
            } catch (IOException | IllegalArgumentException e) {
                failures.add(check + ": " + check.mask(String.valueOf(e)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(check + ": interrupted");
            }
        }
        return failures;
    }

    /**
     * One check's request. With a {@code Host} header (which the JDK's client never sends as given) the request goes
     * to the origin's address with the request target in absolute form naming that host ({@code GET
     * http://api.example.test/path}, {@code Host: api.example.test}), as through a forward proxy: what every HTTP/1.1
     * server and reverse proxy must accept, and what {@code curl -H 'Host: api.example.test' <origin>/path} reaches.
     */
    private HttpResponse<String> send(SmokeCheck check, URI origin) throws IOException, InterruptedException {
        HttpClient client = http;
        URI uri = origin.resolve(check.path());
        if (check.host() != null) {
            int port = origin.getPort() >= 0 ? origin.getPort() : 80;
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .proxy(java.net.ProxySelector.of(java.net.InetSocketAddress.createUnresolved(origin.getHost(), port))).build();
            uri = URI.create("http://" + check.host() + check.path());
        }
        HttpRequest.BodyPublisher body = check.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(check.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).method(check.method(), body);
        check.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Host")) {
                request.header(name, value);
            }
        });
        check.secretHeaders().forEach((name, secret) -> request.header(name, secret.reveal()));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }
}
