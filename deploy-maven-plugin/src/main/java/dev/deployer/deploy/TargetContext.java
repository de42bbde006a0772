package dev.deployer.deploy;

import dev.deployer.core.CommandRunner;
import dev.deployer.core.Log;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a {@link Target} gets to work with: a way to run commands, a log, the environment (e.g.
 * {@code DOCKER_HOST}, {@code QUANTUM_*}; never {@code System.getenv} directly, so tests can set it) and a clock.
 *
 * @param runner runs commands (a real process runner, or a recording one in unit tests)
 * @param log    the log
 * @param env    the environment variables
 * @param clock  the clock
 */
public record TargetContext(CommandRunner runner, Log log, Function<String, String> env, Clock clock) {

    public TargetContext {
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(clock, "clock");
    }

    /** An environment variable, or null. */
    public String env(String name) {
        return env.apply(name);
    }
}
