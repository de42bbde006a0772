package dev.deployer.maven;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Secret;
import dev.deployer.verify.SmokeCheck;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One {@code <smokeCheck>} of the POM: {@code <method>}, {@code <path>}, {@code <body>}, {@code <expectStatus>},
 * {@code <expectBodyContains>}, {@code <url>}, {@code <headers>}, {@code <secretHeaders>}. Only the Maven binding; the
 * core gets an immutable {@link SmokeCheck}.
 */
public class SmokeCheckConfig {

    /** HTTP method, GET by default. */
    private String method;
    /** Path (and query) relative to the base URL, starting with '/'. */
    private String path;
    /** Request body, optional. */
    private String body;
    /** Expected status code, 200 by default. */
    private int expectStatus = 200;
    /** Text the response body must contain, optional. */
    private String expectBodyContains;
    /** The base URL (scheme, host, port) of this check, e.g. another service's; default: the health URL's origin. */
    private String url;
    /** Request headers, element name = header name: {@code <headers><Host>api.example.test</Host></headers>}. */
    private Map<String, String> headers;
    /**
     * Request headers with secret values: element name = header name, text = the name of the environment variable
     * holding the whole value ({@code <secretHeaders><Authorization>SMOKE_AUTHORIZATION</Authorization></secretHeaders>}).
     */
    private Map<String, String> secretHeaders;

    /** The core check; secret header values are read from {@code env} (never from the POM) and must be set. */
    SmokeCheck toCore(int index, Function<String, String> env) {
        String where = "<smokeChecks> #" + (index + 1);
        Map<String, Secret> secrets = new LinkedHashMap<>();
        if (secretHeaders != null) {
            for (Map.Entry<String, String> header : secretHeaders.entrySet()) {
                String variable = header.getValue() == null ? "" : header.getValue().strip();
                if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new DeployerException("Smoke check #" + (index + 1) + ": <secretHeaders><" + header.getKey() + "> must name"
                            + " an environment variable, not hold a value", where,
                            "write the variable's name, e.g. <" + header.getKey() + ">SMOKE_TOKEN</" + header.getKey() + ">, and set it in the environment");
                }
                String value = env.apply(variable);
                if (value == null || value.isEmpty()) {
                    throw new DeployerException("Smoke check #" + (index + 1) + ": header " + header.getKey()
                            + " comes from the environment variable " + variable + ", which is not set; nothing was changed", where,
                            "set " + variable + " (in CI: from a secret) or remove the header");
                }
                secrets.put(header.getKey(), Secret.of(variable, value));
            }
        }
        try {
            return new SmokeCheck(method, path, body, expectStatus, expectBodyContains,
                    url == null || url.isBlank() ? null : URI.create(url.strip()), headers, secrets);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new DeployerException("Invalid smoke check #" + (index + 1) + ": " + e.getMessage(), where,
                    "give each <smokeCheck> a <path> starting with '/', an <expectStatus> between 100 and 599, an optional"
                    + " <url> with scheme, host and port only, and header names as element names");
        }
    }
}
