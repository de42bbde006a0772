package dev.deployer.example.web;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The api, over HTTP: {@code POST /hits} and {@code GET /version}. Short timeouts, so that a page never hangs
 * when the api is slow or gone; every failure is an {@link ApiException} whose message says what went wrong.
 *
 * <p>A connection that cannot be opened (nothing was sent: refused, or no answer to the connect) is tried again
 * every {@value #RETRY_INTERVAL_MILLIS} ms for up to {@link #DEFAULT_CONNECT_RETRY}, like the proxy's
 * {@code lb_try_duration}: while Swarm or Compose replaces the api, its name briefly points at a task that is gone,
 * and a page should wait for the new one rather than fail.
 */
final class ApiClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    static final Duration DEFAULT_CONNECT_RETRY = Duration.ofSeconds(5);
    static final long RETRY_INTERVAL_MILLIS = 100;
    private static final Pattern HITS = Pattern.compile("\"hits\"\\s*:\\s*(\\d+)");

    private final URI base;
    private final Duration connectRetry;
    private final HttpClient http;

    ApiClient(URI base) {
        this(base, DEFAULT_CONNECT_RETRY);
    }

    ApiClient(URI base, Duration connectRetry) {
        this.base = base;
        this.connectRetry = connectRetry;
        // HTTP/1.1: the api is a plain HTTP/1.1 server; no h2c upgrade attempt on every request.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    URI base() {
        return base;
    }

    /** Counts one hit in the api and returns the new count. */
    long hit() {
        String body = call("POST", "/hits");
        Matcher matcher = HITS.matcher(body);
        if (!matcher.find()) {
            throw new ApiException("POST " + base + "/hits answered 200 without a hit count: " + abbreviate(body));
        }
        return Long.parseLong(matcher.group(1));
    }

    /** The api's version ({@code GET /version}). */
    String version() {
        return call("GET", "/version").trim();
    }

    private String call(String method, String path) {
        URI uri = base.resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        long deadline = System.nanoTime() + connectRetry.toNanos();
        HttpResponse<String> response;
        while (true) {
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
                break;
            } catch (IOException e) {
                if (!notConnected(e) || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_INTERVAL_MILLIS) > deadline) {
                    throw new ApiException(method + " " + uri + " failed: " + reason(e), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(method + " " + uri + " was interrupted", e);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(RETRY_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(method + " " + uri + " was interrupted", e);
            }
        }
        if (response.statusCode() != 200) {
            throw new ApiException(method + " " + uri + " answered " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
        return response.body();
    }

    /** Whether the request never reached the api (so sending it again cannot count a hit twice). */
    static boolean notConnected(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** What went wrong in words: the JDK's exceptions often carry no message of their own. */
    static String reason(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "no connection within " + CONNECT_TIMEOUT.toMillis() + " ms";
            }
            if (t instanceof HttpTimeoutException) {
                return "no answer within " + REQUEST_TIMEOUT.toMillis() + " ms";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }

    /** The api could not be reached or gave an unexpected answer. */
    static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ApiException(String message) {
            super(message);
        }

        ApiException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
