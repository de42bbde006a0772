package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.ImageRef;
import dev.deployer.core.Log;
import dev.deployer.core.Shutdown;
import dev.deployer.verify.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs a {@link Plan}: checks the target, then does each step. A failure after the stack changed, and an interruption
 * (Ctrl-C, SIGTERM: its one place on the {@link Shutdown} path) after the lock, take the restore branch in this order:
 * restore the rollback point and verify it ({@link Restore}); record {@code failed} or {@code interrupted} in the
 * history, best effort (a failing record never prevents the restore, and is said plainly); release the lock. Only then
 * does the shutdown path go on (to the ssh tunnel).
 */
public final class LiveExecutor {

    final TargetContext context;
    final Target target;
    final Sleeper sleeper;
    final Shutdown shutdown;
    final Log log;
    final HealthGate health;
    final TargetSteps steps;
    final Restore restore;
    final Report report;
    Consumer<Step> observer = step -> { };
    private StackLock lock;

    public LiveExecutor(TargetContext context, Target target, Sleeper sleeper, GitHubActions github, Shutdown shutdown) {
        this.context = context;
        this.target = target;
        this.sleeper = sleeper;
        this.shutdown = shutdown;
        this.log = context.log();
        this.health = new HealthGate(target, context.clock(), sleeper, log);
        this.steps = new TargetSteps(context, target, health);
        this.restore = new Restore(context, target, steps, health, sleeper);
        this.report = new Report(target.name(), context.clock(), github, log);
    }

    /** Hears of every step of a plan as it is performed (a test compares them with the printed plan). */
    public LiveExecutor observe(Consumer<Step> stepObserver) {
        this.observer = stepObserver;
        return this;
    }

    /** Runs a deploy or rollback plan. Throws {@link DeployFailedException} when it failed after the stack changed. */
    public DeploymentResult run(Plan plan) {
        if (plan.deploy() == null || plan.deploy().stack() == null) {
            throw new IllegalArgumentException("not a deploy plan: " + plan.title());
        }
        Instant started = context.clock().instant();
        target.check();
        return new PlanRun(this, plan, started).run();
    }

    /**
     * Runs an unlock plan: breaks the lock, showing its holder; refuses a lock younger than {@code minimumAge} unless
     * {@code young} (see {@link StackLock#breakLock}). Returns whether there was a lock to release.
     */
    public boolean unlock(Plan plan, Duration minimumAge, boolean young) {
        boolean released = false;
        for (Step step : plan.steps()) {
            observer.accept(step);
            if (step instanceof Step.ForceUnlock force) {
                released |= forceUnlock(force.stack(), minimumAge, young);
            }
        }
        return released;
    }

    /** The lock of this run: one instance, which alone may release what it took (its token). */
    synchronized StackLock lock() {
        if (lock == null) {
            lock = new StackLock(target.store(), context.clock(), sleeper, log);
        }
        return lock;
    }

    boolean forceUnlock(String stack, Duration minimumAge, boolean young) {
        if (lock().breakLock(stack, minimumAge, young).isEmpty()) {
            log.info("Stack '" + stack + "' on " + target.name() + " is not locked");
            return false;
        }
        log.info("Released. Make sure that deploy is really dead: its steps will not continue.");
        return true;
    }
}
