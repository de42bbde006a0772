package dev.deployer.verify;

import java.util.Objects;

/**
 * An HTTP request made after the deploy is healthy, and what its answer must look like. Declared in the POM:
 * {@code <smokeChecks><smokeCheck><method>POST</method><path>/hits</path><expectStatus>200</expectStatus>
 * <expectBodyContains>hits</expectBodyContains></smokeCheck></smokeChecks>}.
 *
 * @param method             HTTP method, {@code GET} by default
 * @param path               path (and query) relative to the base URL, starting with {@code /}
 * @param body               request body, may be null
 * @param expectStatus       the expected status code
 * @param expectBodyContains text the response body must contain, or null
 */
public record SmokeCheck(String method, String path, String body, int expectStatus, String expectBodyContains) {

    public SmokeCheck {
        method = method == null || method.isBlank() ? "GET" : method.strip().toUpperCase(java.util.Locale.ROOT);
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("smoke check path '" + path + "' must start with '/'");
        }
        if (expectStatus < 100 || expectStatus > 599) {
            throw new IllegalArgumentException("smoke check " + path + ": expectStatus " + expectStatus + " is not an HTTP status");
        }
    }

    public static SmokeCheck get(String path, int status) {
        return new SmokeCheck("GET", path, null, status, null);
    }

    @Override
    public String toString() {
        return method + " " + path + " -> " + expectStatus + (expectBodyContains == null ? "" : " containing '" + expectBodyContains + "'");
    }
}
