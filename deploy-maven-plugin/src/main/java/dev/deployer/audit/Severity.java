package dev.deployer.audit;

import dev.deployer.core.DeployerException;
import java.util.Locale;

/** How bad a finding is. The build fails on findings at or above {@code deployer.audit.failOn}. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH;

    /** The lower-case name used in output, SARIF properties and configuration. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** The SARIF {@code level} GitHub code scanning understands. */
    public String sarifLevel() {
        return switch (this) {
            case HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }

    /** The {@code security-severity} score code scanning sorts by (CVSS-like, 0.0 to 10.0). */
    public String securitySeverity() {
        return switch (this) {
            case HIGH -> "8.0";
            case MEDIUM -> "5.0";
            case LOW -> "2.0";
            case INFO -> "0.0";
        };
    }

    /**
     * Parses a threshold such as {@code high}; {@code none} (returns null) never fails the build.
     *
     * @param value     the configured value
     * @param parameter the parameter it came from, for the error
     */
    public static Severity parseThreshold(String value, String parameter) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("none")) {
            return null;
        }
        for (Severity s : values()) {
            if (s.label().equals(v)) {
                return s;
            }
        }
        throw new DeployerException("Unknown severity '" + value + "'", parameter,
                "use one of high, medium, low, info or none (never fail)");
    }
}
