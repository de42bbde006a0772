package dev.deployer.verify;

import java.time.Duration;
import java.util.Objects;

/**
 * Growing pauses between polls: {@code initial}, then times {@code factor}, capped at {@code max}.
 *
 * @param initial the first pause
 * @param factor  how much each pause grows (at least 1)
 * @param max     the longest pause
 */
public record Backoff(Duration initial, double factor, Duration max) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (factor < 1) {
            throw new IllegalArgumentException("backoff factor must be >= 1: " + factor);
        }
    }

    /**
     * 100 ms, growing by a fifth each time, at most 2 s. A look costs milliseconds (an engine API call or an HTTP
     * request), and the pause is the most a health gate can lag behind "healthy": 0.3 s around the first second,
     * 0.6 s around the third (250 ms growing by half, the earlier standard, lagged up to 0.6 s and 1.3 s).
     */
    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(100), 1.2, Duration.ofSeconds(2));
    }

    /** The pause after {@code attempt} (0-based) failed attempts. */
    public Duration pause(int attempt) {
        double millis = initial.toMillis() * Math.pow(factor, attempt);
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }
}
