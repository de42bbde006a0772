package dev.deployer.core;

import java.util.Objects;

/**
 * A secret value with its name. It prints as {@value #REDACTED}, so it can travel through logs, exceptions
 * and commands without leaking; only {@link #reveal()} gives the value, to the one place that needs it.
 */
public final class Secret {

    public static final String REDACTED = "[REDACTED]";
    /**
     * Values (and lines of multi-line values) shorter than this are not masked, in logs or with GitHub's
     * {@code ::add-mask::}: masking a one-character secret would replace that character everywhere, and a value that
     * short is guessable anyway.
     */
    public static final int MIN_MASKED_LENGTH = 4;

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

    /**
     * Replaces every occurrence of this secret's value (and of each of its lines) in {@code text}; values and lines
     * shorter than {@value #MIN_MASKED_LENGTH} characters are left alone.
     */
    public String maskIn(String text) {
        if (text == null || value.length() < MIN_MASKED_LENGTH) {
            return text;
        }
        String masked = text.replace(value, REDACTED);
        for (String line : value.split("\\R")) {
            if (line.length() >= MIN_MASKED_LENGTH) {
                masked = masked.replace(line, REDACTED);
            }
        }
        return masked;
    }

    /** Whether {@link #maskIn} and GitHub's masking cover this value (it is at least {@value #MIN_MASKED_LENGTH} long). */
    public boolean maskable() {
        return value.length() >= MIN_MASKED_LENGTH;
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
