package dev.deployer.deploy;

import dev.deployer.core.CommandRunner;
import dev.deployer.core.Log;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a {@link Target} gets to work with: a way to run commands, a log, the environment (e.g.
 * {@code DOCKER_HOST}, {@code QUANTUM_*}; never {@code System.getenv} directly, so tests can set it), a clock and the
 * target options the build was given (e.g. {@code deployer.quantumCli}).
 *
 * @param runner  runs commands (a real process runner, or a recording one in unit tests)
 * @param log     the log
 * @param env     the environment variables
 * @param clock   the clock
 * @param options target options by their {@code deployer.*} property name; an option that is not set is absent
 */
public record TargetContext(CommandRunner runner, Log log, Function<String, String> env, Clock clock,
                            Map<String, String> options) {

    public TargetContext {
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(clock, "clock");
        options = Map.copyOf(options);
    }

    /** A context without target options. */
    public TargetContext(CommandRunner runner, Log log, Function<String, String> env, Clock clock) {
        this(runner, log, env, clock, Map.of());
    }

    /** An environment variable, or null. */
    public String env(String name) {
        return env.apply(name);
    }

    /** A target option ({@code deployer.quantumCli}, …), or null when it is not set. */
    public String option(String name) {
        return options.get(name);
    }

    /** The same context with other commands and environment (e.g. through an ssh tunnel); the options stay. */
    public TargetContext with(CommandRunner runner, Function<String, String> env) {
        return new TargetContext(runner, log, env, clock, options);
    }
}
