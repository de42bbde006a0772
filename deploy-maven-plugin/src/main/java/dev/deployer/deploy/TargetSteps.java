package dev.deployer.deploy;

import dev.deployer.core.CommandRunner;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Runs a target's own steps (commands and health gates) and shows a failing service's last log lines, secrets masked. */
final class TargetSteps {

    private static final int LOG_LINES = 30;

    private final TargetContext context;
    private final Target target;
    private final HealthGate health;
    private final Log log;

    TargetSteps(TargetContext context, Target target, HealthGate health) {
        this.context = context;
        this.target = target;
        this.health = health;
        this.log = context.log();
    }

    /** Runs one step; null when it succeeded. {@code performed} hears of every command and gate before it runs. */
    Failure run(Step step, DeployPlan plan, Duration healthTimeout, Consumer<Step> performed) {
        performed.accept(step);
        if (step instanceof Step.Run run) {
            log.info(run.description());
            CommandRunner.Result result = context.runner().run(run.command(), run.timeout());
            if (!result.succeeded() && run.retryWhen() != null && result.tail(20).contains(run.retryWhen())) {
                log.warn("'" + run.command().display() + "' failed with '" + run.retryWhen() + "': running it once more");
                result = context.runner().run(run.command(), run.timeout());
            }
            if (!result.succeeded()) {
                String output = run.command().mask(result.tail(20));
                log.error("'" + run.command().display() + "' failed" + (result.exitCode() < 0 ? " (timed out)"
                        : " with exit code " + result.exitCode()) + ":");
                output.lines().forEach(line -> log.error("  " + line));
                return new Failure("'" + run.description() + "' failed: " + lastLine(output), plan.serviceNames());
            }
        } else if (step instanceof Step.Call call) {
            log.debug(call.description());
            try {
                call.action().run();
            } catch (dev.deployer.core.DeployerException e) {
                log.error(e.getMessage());
                return new Failure("'" + call.description() + "' failed: " + e.getMessage(),
                        call.services().isEmpty() ? plan.serviceNames() : call.services());
            }
        } else if (step instanceof Step.Note note) {
            log.info(note.display().replaceFirst("^# ", ""));
        } else if (step instanceof Step.AwaitHealthy await) {
            return health.awaitHealthy(plan.stack(), await.services(), healthTimeout);
        }
        return null;
    }

    /** Runs {@code steps} in order up to the first failure; null when all succeeded. */
    Failure runAll(List<Step> steps, DeployPlan plan, Duration healthTimeout) {
        for (Step step : steps) {
            Failure failure = run(step, plan, healthTimeout, s -> { });
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    /** The last log lines of {@code services}, secrets masked; a service whose logs cannot be read is named. */
    void printLogs(String stack, List<String> services, List<Secret> secrets) {
        for (String service : services) {
            try {
                String text = target.logs(stack, service, LOG_LINES);
                for (Secret secret : secrets) {
                    text = secret.maskIn(text);
                }
                log.error("Last " + LOG_LINES + " log lines of " + service + ":");
                text.lines().forEach(line -> log.error("  " + service + " | " + line));
            } catch (RuntimeException e) {
                log.warn("Cannot read the logs of " + service + ": " + e.getMessage());
            }
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }
}
