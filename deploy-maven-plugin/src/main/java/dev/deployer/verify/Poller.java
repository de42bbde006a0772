package dev.deployer.verify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Polls a condition with {@link Backoff} until it is met, fails for good, or the timeout passes. Time comes from a
 * {@link Clock} and waiting from a {@link Sleeper}, so unit tests run on a fake clock without sleeping.
 */
public final class Poller {

    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;

    public Poller(Clock clock, Sleeper sleeper, Backoff backoff) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.backoff = backoff;
    }

    /** One look at the condition. */
    public record Attempt<T>(State state, T value, String detail) {
        public static <T> Attempt<T> done(T value, String detail) {
            return new Attempt<>(State.DONE, value, detail);
        }

        public static <T> Attempt<T> retry(T value, String detail) {
            return new Attempt<>(State.RETRY, value, detail);
        }

        public static <T> Attempt<T> failed(T value, String detail) {
            return new Attempt<>(State.FAILED, value, detail);
        }
    }

    public enum State { DONE, RETRY, FAILED, TIMED_OUT }

    /** How polling ended: the last attempt (state TIMED_OUT when the time ran out), attempts made and time taken. */
    public record Outcome<T>(State state, T value, String detail, int attempts, Duration elapsed) {
        public boolean ok() {
            return state == State.DONE;
        }
    }

    /** Polls {@code check} until DONE or FAILED, or until {@code timeout} has passed (then TIMED_OUT). */
    public <T> Outcome<T> poll(Duration timeout, Supplier<Attempt<T>> check) {
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        int attempts = 0;
        while (true) {
            Attempt<T> attempt = check.get();
            attempts++;
            Instant now = clock.instant();
            if (attempt.state() != State.RETRY) {
                return new Outcome<>(attempt.state(), attempt.value(), attempt.detail(), attempts, Duration.between(start, now));
            }
            if (!now.isBefore(deadline)) {
                return new Outcome<>(State.TIMED_OUT, attempt.value(), attempt.detail(), attempts, Duration.between(start, now));
            }
            Duration pause = backoff.pause(attempts - 1);
            Duration left = Duration.between(now, deadline);
            try {
                sleeper.sleep(pause.compareTo(left) < 0 ? pause : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome<>(State.FAILED, attempt.value(), "interrupted", attempts, Duration.between(start, clock.instant()));
            }
        }
    }
}
