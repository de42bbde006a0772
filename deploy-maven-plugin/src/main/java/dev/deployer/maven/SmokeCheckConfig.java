package dev.deployer.maven;

import dev.deployer.core.DeployerException;
import dev.deployer.verify.SmokeCheck;

/**
 * One {@code <smokeCheck>} of the POM: {@code <method>}, {@code <path>}, {@code <body>}, {@code <expectStatus>},
 * {@code <expectBodyContains>}. Only the Maven binding; the core gets an immutable {@link SmokeCheck}.
 */
public class SmokeCheckConfig {

    /** HTTP method, GET by default. */
    private String method;
    /** Path (and query) relative to the health URL's origin, starting with '/'. */
    private String path;
    /** Request body, optional. */
    private String body;
    /** Expected status code, 200 by default. */
    private int expectStatus = 200;
    /** Text the response body must contain, optional. */
    private String expectBodyContains;

    SmokeCheck toCore(int index) {
        try {
            return new SmokeCheck(method, path, body, expectStatus, expectBodyContains);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new DeployerException("Invalid smoke check #" + (index + 1) + ": " + e.getMessage(), "<smokeChecks>",
                    "give each <smokeCheck> a <path> starting with '/' and an <expectStatus> between 100 and 599");
        }
    }
}
