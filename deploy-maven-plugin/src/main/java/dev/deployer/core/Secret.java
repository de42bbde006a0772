package dev.deployer.core;

import java.util.Objects;

/**
 * A secret value with its name. It prints as {@value #REDACTED}, so it can travel through logs, exceptions
 * and commands without leaking; only {@link #reveal()} gives the value, to the one place that needs it.
 */
public final class Secret {

    public static final String REDACTED = "[REDACTED]";

    private final String name;
    private final String value;

    private Secret(String name, String value) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String name, String value) {
        return new Secret(name, value);
    }

    public String name() {
        return name;
    }

    /** The real value. Call only where it is handed to the process or API that needs it. */
    public String reveal() {
        return value;
    }

    /** Replaces every occurrence of this secret's value (and of each of its lines) in {@code text}. */
    public String maskIn(String text) {
        if (text == null || value.isEmpty()) {
            return text;
        }
        String masked = text.replace(value, REDACTED);
        for (String line : value.split("\\R")) {
            if (line.length() >= 4) {
                masked = masked.replace(line, REDACTED);
            }
        }
        return masked;
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
