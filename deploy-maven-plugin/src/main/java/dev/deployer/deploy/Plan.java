package dev.deployer.deploy;

import java.util.List;
import java.util.Objects;

/**
 * What a goal will do, in order, before anything happens: the steps of a deploy, a rollback or an unlock, built by
 * the {@link Runbook}. The {@link PrintingExecutor} prints it (the dry run); the {@link LiveExecutor} runs it.
 *
 * @param goal      {@code deploy}, {@code rollback} or {@code unlock}
 * @param stack     the stack
 * @param title     one line saying what the plan does
 * @param steps     the steps in order; the {@link Step.Unlock} step runs even when an earlier step fails
 * @param onFailure what happens when a step after the lock fails or the deploy is interrupted (the restore
 *                  branch), as lines; it depends on what runs then, so it is described rather than listed
 * @param deploy    what a deploy or rollback changes; null for an unlock
 */
public record Plan(String goal, String stack, String title, List<Step> steps, List<String> onFailure, Deploy deploy) {

    public Plan {
        Objects.requireNonNull(goal, "goal");
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(title, "title");
        steps = List.copyOf(steps);
        onFailure = List.copyOf(onFailure);
    }

    /**
     * The deploy a plan carries out.
     *
     * @param request         the request
     * @param stack           the stack as the target deploys it (image, files, services, secrets)
     * @param rollback        whether this is a {@code deployer:rollback} (recorded as such)
     * @param localProduction whether the production guard was overridden
     */
    public record Deploy(DeployRequest request, DeployPlan stack, boolean rollback, boolean localProduction) {
        public Deploy {
            Objects.requireNonNull(request, "request");
        }
    }

    /** Every line a dry run prints for the steps, in order (a step may print several lines). */
    public List<String> lines() {
        return steps.stream().flatMap(step -> step.display().lines()).toList();
    }
}
