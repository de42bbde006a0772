package dev.deployer.deploy;

import dev.deployer.core.Secret;
import java.util.List;

/**
 * A place a stack runs: Docker Compose, Docker Swarm, Planetary Quantum. A target knows how to read what runs
 * now, which commands deploy a stack (as data: building them runs nothing, a dry run prints them), how healthy
 * the services are, and where to keep the lock and the deploy history on the target itself.
 *
 * <p>The runbook ({@link Runbook}, {@link LiveExecutor}) owns everything else: rendering, secrets, lock, history, health waits with
 * backoff, HTTP checks, rollback and the summary. A target therefore stays small and has no policy of its own:
 * it never retries, never rolls back and never waits unless a {@link Step.AwaitHealthy} asks the runbook to. Building
 * steps and describing what it would read ({@link #describeCurrent}) must need no engine: a dry run does only that.
 *
 * <p>Implementations are created by {@link Targets#create(String, TargetContext)} from the name in
 * {@code deployer.target}.
 */
public interface Target {

    /** The name users select with {@code deployer.target}: {@code compose}, {@code swarm}, {@code quantum}. */
    String name();

    /**
     * Checks, before anything changes, that the target can be used: the tool is installed and speaks a known
     * command form, the engine or endpoint answers, credentials are present. Throws
     * {@link dev.deployer.core.DeployerException} naming the missing part and the fix. Read-only.
     */
    void check();

    /**
     * The target's own credentials (e.g. {@code QUANTUM_API_KEY}), to be masked in CI output before anything runs.
     * Reading them checks they are set.
     */
    default List<Secret> credentials() {
        return List.of();
    }

    /**
     * What is deployed now in {@code stack}: per service the image and digest, also of a service whose containers are
     * all stopped (such a stack exists). Empty when the stack does not exist. Read-only.
     */
    StackState current(String stack);

    /**
     * The steps that deploy {@code plan}, in order: commands to run and health gates to wait on. Builds data,
     * runs nothing. The same list is printed by a dry run and executed by a real one.
     */
    List<Step> deploy(DeployPlan plan);

    /**
     * The steps that bring back {@code plan}'s stack file (what ran before) after a failed deploy, in order. A target
     * that deploys in {@link Phases} restores them in reverse order, the last phase first; the default is
     * {@link #deploy}. Builds data, runs nothing.
     */
    default List<Step> restore(DeployPlan plan) {
        return deploy(plan);
    }

    /** The files {@link #restore} needs next to {@code plan}'s stack file; the default is {@link #files}. */
    default java.util.Map<String, String> restoreFiles(DeployPlan plan) {
        return files(plan);
    }

    /**
     * The steps that stop and remove {@code stack} (used when a first deploy fails and nothing can be restored). They
     * never remove what the stack had when this target first read it ({@link #current}, the rollback point) and never
     * volumes: a failure removes only what the failed deploy created.
     */
    List<Step> remove(String stack);

    /**
     * One look at the health of {@code services} of {@code stack} (all services when empty), as the engine sees
     * them: containers or tasks running the expected image, their health check passing. Never waits.
     */
    List<ServiceHealth> health(String stack, List<String> services);

    /** The last {@code lines} lines of a service's log, secrets not masked yet (the caller masks). Read-only. */
    String logs(String stack, String service, int lines);

    /** What {@link #current} asks the target, as the equivalent CLI command (a dry run prints it). Runs nothing. */
    String describeCurrent(String stack);

    /**
     * Files the target needs next to the stack file, relative name to content, written with the rendered files
     * (Quantum: the {@code .quantum} descriptor naming the stack file, when the render did not produce one).
     */
    default java.util.Map<String, String> files(DeployPlan plan) {
        return java.util.Map.of();
    }

    /**
     * How to read the platforms of the servers {@code plan}'s image would run on, for the {@link ArchitectureCheck}
     * made before the lock; building it contacts nothing. Empty when this target cannot tell (then no architecture
     * check is made, which the runbook says at debug level).
     */
    default java.util.Optional<NodeQuery> nodes(DeployPlan plan) {
        return java.util.Optional.empty();
    }

    /** Where the lock and the deploy history of stacks live on this target. */
    TargetStore store();
}
