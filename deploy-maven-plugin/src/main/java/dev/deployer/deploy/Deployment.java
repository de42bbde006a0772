package dev.deployer.deploy;

import dev.deployer.core.GitHubActions;
import dev.deployer.core.ImageRef;
import dev.deployer.core.Shutdown;
import dev.deployer.verify.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The deploy, rollback and unlock goals' entry: the {@link Runbook} builds the {@link Plan}, the
 * {@link PrintingExecutor} prints it for a dry run, the {@link LiveExecutor} runs it otherwise.
 */
public final class Deployment {

    private final TargetContext context;
    private final Target target;
    private final Runbook runbook;
    private final LiveExecutor live;
    private final GitHubActions github;

    public Deployment(TargetContext context, Target target, StackRenderer renderer, Sleeper sleeper, GitHubActions github,
            ImageResolver.DigestResolver digests) {
        this(context, target, renderer, sleeper, github, digests, Shutdown.jvm());
    }

    /** The same, on its own shutdown path (tests run it by hand). */
    public Deployment(TargetContext context, Target target, StackRenderer renderer, Sleeper sleeper, GitHubActions github,
            ImageResolver.DigestResolver digests, Shutdown shutdown) {
        this(context, target, renderer, sleeper, github, digests, ImageChecks.NONE, shutdown);
    }

    /** @param checks the image's signature and platforms, checked before the lock */
    public Deployment(TargetContext context, Target target, StackRenderer renderer, Sleeper sleeper, GitHubActions github,
            ImageResolver.DigestResolver digests, ImageChecks checks, Shutdown shutdown) {
        this.context = Objects.requireNonNull(context, "context");
        this.target = Objects.requireNonNull(target, "target");
        this.github = Objects.requireNonNull(github, "github");
        this.runbook = new Runbook(context, target, renderer, digests, github, checks);
        this.live = new LiveExecutor(context, target, sleeper, github, shutdown);
    }

    /** The runbook that builds the plans. */
    public Runbook runbook() {
        return runbook;
    }

    /** The executor that runs them. */
    public LiveExecutor executor() {
        return live;
    }

    /** Deploys the image of image.json, or the tag in the request. Throws {@link DeployFailedException} on failure. */
    public DeploymentResult deploy(DeployRequest request) {
        Instant started = context.clock().instant();
        return execute(runbook.deploy(request), request, started);
    }

    /** Redeploys the previous good version from the target's history (or the request's tag) through the same path. */
    public DeploymentResult rollback(DeployRequest request) {
        Instant started = context.clock().instant();
        return execute(runbook.rollback(request), request, started);
    }

    /**
     * Breaks the lock of {@code stack} on purpose (a stale one left by a killed deploy), showing its holder; refuses
     * a lock younger than {@code minimumAge} unless {@code young} (see {@link StackLock#breakLock}). Returns whether
     * there was one.
     */
    public boolean unlock(String stack, Duration minimumAge, boolean young) {
        return live.unlock(runbook.unlock(stack), minimumAge, young);
    }

    private DeploymentResult execute(Plan plan, DeployRequest request, Instant started) {
        if (request.dryRun()) {
            new PrintingExecutor(context.log()).print(plan);
            ImageRef image = plan.deploy().stack() != null ? plan.deploy().stack().image() : new ImageRef("unknown", "unknown", null);
            return new Report(target.name(), context.clock(), github, context.log()).dryRun(request, image, started);
        }
        return live.run(plan);
    }
}
