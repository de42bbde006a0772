package dev.deployer.deploy;

import dev.deployer.core.Command;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One step of a deploy, as data: either a {@link Run command to run} or a {@link AwaitHealthy health gate}.
 * A dry run prints {@link #display()} for every step; a real run executes them in order.
 */
public sealed interface Step permits Step.Run, Step.AwaitHealthy {

    /** What a dry run prints for this step (secrets as {@code [REDACTED]}). */
    String display();

    /**
     * Runs a command; a non-zero exit code fails the deploy (and rolls back when the stack changed).
     *
     * @param description what the step does, for the log ("Deploying group 1: redis")
     * @param command     the command; secrets only in its secret environment
     * @param timeout     how long it may take
     */
    record Run(String description, Command command, Duration timeout) implements Step {
        public Run {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(timeout, "timeout");
        }

        @Override
        public String display() {
            return command.display();
        }
    }

    /**
     * Waits until the target reports these services healthy ({@link Target#health}), polling with growing backoff
     * up to the deploy's health timeout; a service that fails or does not get healthy fails the deploy.
     *
     * @param services the services to wait for; empty = every service of the stack
     */
    record AwaitHealthy(List<String> services) implements Step {
        public AwaitHealthy {
            services = List.copyOf(services);
        }

        @Override
        public String display() {
            return "# wait until healthy: " + (services.isEmpty() ? "all services" : String.join(", ", services));
        }
    }

    static Run run(String description, Command command, Duration timeout) {
        return new Run(description, command, timeout);
    }

    static AwaitHealthy awaitHealthy(List<String> services) {
        return new AwaitHealthy(services);
    }
}
