package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;
import dev.deployer.core.Log;
import dev.deployer.core.Shutdown;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** One live run of a deploy or rollback {@link Plan} by the {@link LiveExecutor}, with what it has learnt so far. */
final class PlanRun {

    private final LiveExecutor executor;
    private final Log log;
    private final Plan plan;
    private final DeployRequest request;
    private final DeployPlan stack;
    private final Instant started;
    private final Thread thread = Thread.currentThread();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final DeployHistory history;
    private volatile boolean interrupted;
    private boolean restoring;
    private boolean locked;
    private boolean changed;
    private Step.Lock lockStep;
    private RollbackPoint point;

    PlanRun(LiveExecutor executor, Plan plan, Instant started) {
        this.executor = executor;
        this.log = executor.log;
        this.plan = plan;
        this.request = plan.deploy().request();
        this.stack = plan.deploy().stack();
        this.started = started;
        this.history = new DeployHistory(executor.target.store());
    }

    DeploymentResult run() {
        Shutdown.Registration onSignal = executor.shutdown.register("stop the deploy of stack '" + stack.stack()
                + "', restore what ran, record it, release the lock", this::interrupt);
        try {
            return steps();
        } finally {
            try {
                release();
            } finally {
                finished.countDown();
                onSignal.close();
            }
        }
    }

    /** The shutdown path's part: stop the steps, then wait until the restore, the record and the unlock are done. */
    private void interrupt() {
        synchronized (this) {
            interrupted = true;
            if (!restoring) {
                thread.interrupt();
            }
        }
        log.warn("Interrupted: stopping the deploy of stack '" + stack.stack() + "'"
                + (changed ? ", restoring what ran before, then releasing the lock" : ""));
        try {
            Duration budget = request.healthTimeout().multipliedBy(2).plus(stack.timeout());
            finished.await(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private DeploymentResult steps() {
        DeploymentResult result = null;
        for (Step step : plan.steps()) {
            try {
                if (interrupted) {
                    throw DeployerException.of("Interrupted", null);
                }
                result = step(step, result);
            } catch (DeployFailedException e) {
                throw e;
            } catch (RuntimeException e) {
                if (!changed) {
                    throw e; // nothing changed yet (interrupted or not): the lock is released, nothing to restore
                }
                throw fail(new Failure(String.valueOf(e.getMessage()), List.of()));
            }
            if (result != null && result.outcome() == DeploymentResult.Outcome.UNCHANGED) {
                return result;
            }
        }
        return result;
    }

    private DeploymentResult step(Step step, DeploymentResult result) {
        executor.observer.accept(step);
        ImageRef image = stack.image();
        if (step instanceof Step.ForceUnlock force) {
            executor.forceUnlock(force.stack(), request.lockTimeout(), false);
        } else if (step instanceof Step.Lock lock) {
            lockStep = lock;
            executor.lock().acquire(lock.stack(), lock.owner(), lock.timeout());
            locked = true;
        } else if (step instanceof Step.Snapshot snapshot) {
            snapshot(snapshot.stack());
        } else if (step instanceof Step.WriteFiles write) {
            RenderedFiles.replace(write.directory(), write.files());
        } else if (step instanceof Step.SkipIfUnchanged) {
            if (point.unchanged(image, stack.stackText())) {
                return unchanged(image);
            }
        } else if (step instanceof Step.Run run) {
            changed = true;
            check(executor.steps.run(run, stack, request.healthTimeout(), s -> { }));
        } else if (step instanceof Step.AwaitHealthy await) {
            check(executor.steps.run(await, stack, request.healthTimeout(), s -> { }));
        } else if (step instanceof Step.Verify verify) {
            check(executor.health.verify(stack, request, verify.smokeChecks()));
        } else if (step instanceof Step.Record record) {
            String failed = record(record.status());
            if (failed != null) {
                log.warn(failed);
            }
        } else if (step instanceof Step.Report done) {
            return executor.report.finish(DeploymentResult.Outcome.DEPLOYED, request, image, stack.images(), point.previous(), started,
                    plan.deploy().localProduction(), done.deploymentJson());
        } else if (step instanceof Step.Unlock) {
            release();
        } else if (step instanceof Step.ResolveDigest resolved) {
            log.debug("Resolved " + resolved.repository() + ":" + resolved.tag() + " to " + image.digest() + " while planning");
        } else if (step instanceof Step.Check check) {
            log.debug("Checking " + check.description() + " before the lock");
            check.check().run();
        } else if (step instanceof Step.Note note) {
            log.debug(note.display());
        }
        return result;
    }

    private void snapshot(String name) {
        StackState before = executor.target.current(name);
        point = RollbackPoint.of(before, history.entries(name), stack.image().repository());
        if (!before.exists()) {
            log.info("Stack '" + name + "' does not exist yet: this is its first deploy");
            return;
        }
        log.info("Running now (the rollback point): " + before.services().stream().map(s -> s.name() + "=" + s.image())
                .collect(Collectors.joining(", ")));
        if (!point.verified()) {
            log.warn("What runs now was never verified (a deploy was killed or interrupted half-way): the rollback point is"
                    + " the newest good version in the history, " + point.previous().ref());
        }
    }

    private DeploymentResult unchanged(ImageRef image) {
        log.info("Digest " + image.digest() + " already runs with the same stack file: nothing to deploy, verifying health");
        Failure failure = executor.health.verify(stack, request, List.of());
        if (failure != null) {
            executor.steps.printLogs(stack.stack(), failure.services(), stack.secrets());
            throw new DeployFailedException("Stack '" + stack.stack() + "' already runs " + image.ref()
                    + " but is not healthy: " + failure.reason() + "\nNothing was changed.", "deployer.healthUrl",
                    "look at the service's logs above; redeploying the same digest changes nothing", false, null);
        }
        return executor.report.finish(DeploymentResult.Outcome.UNCHANGED, request, image, stack.images(), point.previousGood(image), started,
                plan.deploy().localProduction(), request.deployerDir().resolve("deployment.json"));
    }

    private void check(Failure failure) {
        if (failure != null) {
            throw fail(failure);
        }
    }

    /** The restore branch: restore first, then record (best effort); the lock is released by {@link #run}. */
    private DeployFailedException fail(Failure failure) {
        synchronized (this) {
            restoring = true;
        }
        Thread.interrupted(); // an interruption stopped the steps; the restore's own commands must run
        String status = interrupted ? "interrupted" : "failed";
        String what = "Deploy of " + (stack.images().isEmpty() ? stack.image().ref() : "the release " + stack.image().tag()
                + " (" + String.join(", ", ReleaseImageResolver.recorded(stack.images()).values()) + ")") + " to stack '" + stack.stack() + "' "
                + (interrupted ? "was interrupted (Ctrl-C or SIGTERM)" : "failed: " + failure.reason());
        if (!interrupted) {
            executor.steps.printLogs(stack.stack(), failure.services(), stack.secrets());
        }
        DeployFailedException restored = executor.restore.restore(request, stack, point, what);
        String notRecorded = record(status);
        if (notRecorded == null) {
            return restored;
        }
        log.warn(notRecorded);
        return new DeployFailedException(restored.problem() + "\n" + notRecorded, restored.location(), restored.fix(),
                restored.rolledBack(), restored.getCause());
    }

    /** Adds a history entry; a failure to is returned as a message, never thrown (it must not stop a restore). */
    private String record(String status) {
        try {
            ImageRef image = stack.image();
            history.record(stack.stack(), new DeployHistory.Entry(executor.context.clock().instant(), status, image.repository(),
                    image.tag(), image.digest(), lockStep.owner().get(StackLock.OWNER_LABEL),
                    lockStep.owner().get(StackLock.RUN_LABEL), plan.deploy().localProduction(), stack.stackText(),
                    ReleaseImageResolver.recorded(stack.images())));
            return null;
        } catch (RuntimeException e) {
            return "The history of stack '" + stack.stack() + "' could not record this '" + status + "' deploy: "
                    + e.getMessage() + ". What runs is as said above; a later rollback goes by the last version the history"
                    + " records as good.";
        }
    }

    private void release() {
        if (!locked) {
            return;
        }
        locked = false;
        try {
            executor.lock().release(stack.stack());
        } catch (RuntimeException e) {
            log.error("Could not release the deploy lock of '" + stack.stack() + "': " + e.getMessage()
                    + "; release it with ./mvnw deployer:unlock -Ddeployer.stack=" + stack.stack());
        }
    }
}
