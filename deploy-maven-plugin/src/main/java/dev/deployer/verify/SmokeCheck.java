package dev.deployer.verify;

import dev.deployer.core.Secret;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An HTTP request made after the deploy is healthy, and what its answer must look like. Declared in the POM:
 * {@code <smokeChecks><smokeCheck><method>POST</method><path>/hits</path><expectStatus>200</expectStatus>
 * <expectBodyContains>hits</expectBodyContains></smokeCheck></smokeChecks>}; a check of another service names its
 * own base URL ({@code <url>}) and request headers ({@code <headers><Host>api.example.test</Host></headers>}, and
 * {@code <secretHeaders>} whose values come only from the environment).
 *
 * @param method             HTTP method, {@code GET} by default
 * @param path               path (and query) relative to the base URL, starting with {@code /}
 * @param body               request body, may be null
 * @param expectStatus       the expected status code
 * @param expectBodyContains text the response body must contain, or null
 * @param url                the base URL (scheme, host, port) the path is resolved against, or null for the health
 *                           URL's origin
 * @param headers            request headers (name to value), e.g. {@code Host} to reach a virtual host through a proxy
 * @param secretHeaders      request headers whose values are secrets (read from the environment), printed
 *                           {@value Secret#REDACTED}
 */
public record SmokeCheck(String method, String path, String body, int expectStatus, String expectBodyContains, URI url,
        Map<String, String> headers, Map<String, Secret> secretHeaders) {

    /** Headers the HTTP client sets itself; {@code Host} is allowed (see {@link HttpVerifier}). */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "upgrade", "te", "trailer",
            "transfer-encoding");

    public SmokeCheck {
        method = method == null || method.isBlank() ? "GET" : method.strip().toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("smoke check path '" + path + "' must start with '/'");
        }
        if (expectStatus < 100 || expectStatus > 599) {
            throw new IllegalArgumentException("smoke check " + path + ": expectStatus " + expectStatus + " is not an HTTP status");
        }
        if (url != null && (url.getScheme() == null || !List.of("http", "https").contains(url.getScheme().toLowerCase(Locale.ROOT))
                || url.getHost() == null)) {
            throw new IllegalArgumentException("smoke check " + path + ": url '" + url + "' is not an http(s) URL");
        }
        if (url != null && ((url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/"))
                || url.getRawQuery() != null)) {
            throw new IllegalArgumentException("smoke check " + path + ": url '" + url + "' must name only scheme, host and port;"
                    + " the path goes into <path>");
        }
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        secretHeaders = secretHeaders == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(secretHeaders));
        List<String> names = new ArrayList<>(headers.keySet());
        names.addAll(secretHeaders.keySet());
        for (String name : names) {
            if (name == null || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("smoke check " + path + ": '" + name + "' is not a header name");
            }
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("smoke check " + path + ": header " + name + " is set by the HTTP client itself");
            }
            if (names.stream().filter(name::equalsIgnoreCase).count() > 1) {
                throw new IllegalArgumentException("smoke check " + path + ": header " + name + " is given twice");
            }
        }
        if (host(headers) != null && !host(headers).matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
            throw new IllegalArgumentException("smoke check " + path + ": Host '" + host(headers) + "' is not host[:port]");
        }
        if (secretHeaders.keySet().stream().anyMatch("host"::equalsIgnoreCase)) {
            throw new IllegalArgumentException("smoke check " + path + ": the Host header is no secret: put it into <headers>");
        }
    }

    /** A check against the health URL's origin without headers. */
    public SmokeCheck(String method, String path, String body, int expectStatus, String expectBodyContains) {
        this(method, path, body, expectStatus, expectBodyContains, null, Map.of(), Map.of());
    }

    public static SmokeCheck get(String path, int status) {
        return new SmokeCheck("GET", path, null, status, null);
    }

    /** The {@code Host} header's value, or null. */
    public String host() {
        return host(headers);
    }

    private static String host(Map<String, String> headers) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Host")).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** The origin the check is sent to: its own {@link #url}, else {@code fallback}'s (the health URL's). */
    public URI base(URI fallback) {
        return url != null ? url.resolve("/") : fallback.resolve("/");
    }

    /**
     * Whether the check can be sent when the health URL is {@code healthUrl}; a reason when not: a {@code Host} header
     * needs a plain {@code http://} base (over TLS the name the server sees is the URL's).
     */
    public String problemWith(URI healthUrl) {
        URI base = url != null ? url : healthUrl;
        if (host() != null && base != null && !"http".equalsIgnoreCase(base.getScheme())) {
            return "smoke check " + path + ": a Host header needs an http:// base URL (over https the server sees the URL's"
                    + " host name: put the domain into <url>)";
        }
        return null;
    }

    /** Masks the secret header values in {@code text} (a response body echoing a header, say). */
    public String mask(String text) {
        String masked = text;
        for (Secret secret : secretHeaders.values()) {
            masked = secret.maskIn(masked);
        }
        return masked;
    }

    @Override
    public String toString() {
        List<String> shown = new ArrayList<>();
        headers.forEach((name, value) -> shown.add(name + ": " + value));
        secretHeaders.forEach((name, value) -> shown.add(name + ": " + Secret.REDACTED));
        return method + " " + (url == null ? "" : url.resolve("/").toString().replaceFirst("/$", ""))
                + path + (shown.isEmpty() ? "" : " [" + String.join(", ", shown) + "]") + " -> " + expectStatus
                + (expectBodyContains == null ? "" : " containing '" + expectBodyContains + "'");
    }
}
