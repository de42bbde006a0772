package dev.deployer.core;

import java.util.Objects;

/**
 * A failure the user can act on: what went wrong, where (file and line, or the parameter), and the fix.
 *
 * <p>Every error the core raises on purpose is one of these; the Maven layer turns it into a build
 * failure that shows the three parts. Messages never contain secret values.
 */
public class DeployerException extends RuntimeException {

    private final String problem;
    private final String location;
    private final String fix;

    public DeployerException(String problem, String location, String fix) {
        this(problem, location, fix, null);
    }

    public DeployerException(String problem, String location, String fix, Throwable cause) {
        super(compose(problem, location, fix), cause);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.location = location;
        this.fix = fix;
    }

    /** An error with no particular location. */
    public static DeployerException of(String problem, String fix) {
        return new DeployerException(problem, null, fix);
    }

    public String problem() {
        return problem;
    }

    /** Where the problem is: {@code file:line:column}, a POM parameter such as {@code deployer.image}, or null. */
    public String location() {
        return location;
    }

    /** What to do about it, or null when there is nothing more to say than the problem. */
    public String fix() {
        return fix;
    }

    private static String compose(String problem, String location, String fix) {
        StringBuilder text = new StringBuilder();
        if (location != null && !location.isBlank()) {
            text.append(location).append(": ");
        }
        text.append(problem);
        if (fix != null && !fix.isBlank()) {
            text.append("\n  Fix: ").append(fix);
        }
        return text.toString();
    }
}
