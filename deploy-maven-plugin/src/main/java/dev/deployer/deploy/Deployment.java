package dev.deployer.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.deployer.core.Ahead;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.ImageRef;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import dev.deployer.verify.Backoff;
import dev.deployer.verify.HttpVerifier;
import dev.deployer.verify.Poller;
import dev.deployer.verify.Sleeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deploy runbook, the same for every target: resolve the image, check the production guard, render, read
 * the referenced secrets, check the target, take the lock, record what runs now, run the target's steps with
 * health gates, verify (container health, HTTP health with growing backoff, smoke checks), and on any failure
 * after the stack changed roll back to the recorded version and verify that. Then write the history, the
 * summary and {@code deployment.json}, and release the lock.
 */
public final class Deployment {

    private static final int LOG_LINES = 30;

    private final TargetContext context;
    private final Target target;
    private final StackRenderer renderer;
    private final Sleeper sleeper;
    private final GitHubActions github;
    private final Log log;
    private final ImageResolver images;

    public Deployment(TargetContext context, Target target, StackRenderer renderer, Sleeper sleeper, GitHubActions github,
            ImageResolver.DigestResolver digests) {
        this.context = Objects.requireNonNull(context, "context");
        this.target = Objects.requireNonNull(target, "target");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.github = Objects.requireNonNull(github, "github");
        this.log = context.log();
        this.images = new ImageResolver(Objects.requireNonNull(digests, "digests"));
    }

    /** Deploys the image of image.json, or the tag in the request. Throws {@link DeployFailedException} on failure. */
    public DeploymentResult deploy(DeployRequest request) {
        Instant started = context.clock().instant();
        ImageRef image = images.resolve(request);
        boolean localProduction = request.guard().check(request.environment(), image.tag(), false, log);
        log.info("Deploying " + image.ref() + " to stack '" + request.stack() + "' (" + target.name() + ", " + request.environment() + ")");
        return run(request, image, renderer.secretNames(image), () -> renderer.render(image, request.renderDir()).stackFile(),
                localProduction, started, false);
    }

    /** Redeploys the previous good version from the target's history (or the request's tag) through the same path. */
    public DeploymentResult rollback(DeployRequest request) {
        Instant started = context.clock().instant();
        // the guard first: a refused production rollback reads nothing from the registry or the target
        boolean localProduction = request.guard().check(request.environment(), null, true, log);
        if (request.tag() != null && !request.tag().isBlank()) {
            ImageRef image = images.resolve(request);
            log.info("Rolling back stack '" + request.stack() + "' to " + image.ref());
            return run(request, image, renderer.secretNames(image), () -> renderer.render(image, request.renderDir()).stackFile(),
                    localProduction, started, true);
        }
        StackState now = target.current(request.stack());
        List<DeployHistory.Entry> entries = new DeployHistory(target.store()).entries(request.stack());
        String running = entries.stream().map(DeployHistory.Entry::repository).distinct()
                .map(repository -> appService(now, repository)).flatMap(Optional::stream).map(StackState.ServiceState::digest)
                .filter(Objects::nonNull).findFirst().orElse(null);
        DeployHistory.Entry previous = entries.stream().filter(DeployHistory.Entry::good)
                .filter(e -> !Objects.equals(e.digest(), running)).findFirst()
                .orElseThrow(() -> new DeployerException("The history of stack '" + request.stack() + "' on " + target.name()
                        + " has no earlier good version than the one running (" + running + ")", "deployer.tag",
                        "roll back to a named version with -Ddeployer.tag=<commit sha>"));
        ImageRef image = new ImageRef(previous.repository(), previous.tag(), previous.digest());
        log.info("Rolling back stack '" + request.stack() + "' to the previous good version " + image.ref() + " (deployed " + previous.time() + ")");
        if (previous.stackText().isEmpty()) {
            // a history that keeps no stack file (quantum without DOCKER_HOST): today's templates with that version
            return run(request, image, renderer.secretNames(image), () -> renderer.render(image, request.renderDir()).stackFile(),
                    localProduction, started, true);
        }
        return run(request, image, StackFiles.placeholders(previous.stackText()),
                () -> write(request.renderDir().resolve("stack.rollback.yml"), previous.stackText()), localProduction, started, true);
    }

    /**
     * Breaks the lock of {@code stack} on purpose (a stale one left by a killed deploy), showing its holder; refuses
     * a lock younger than {@code minimumAge} unless {@code young} (see {@link StackLock#breakLock}). Returns whether
     * there was one.
     */
    public boolean unlock(String stack, Duration minimumAge, boolean young) {
        StackLock lock = new StackLock(target.store(), context.clock(), sleeper, log);
        if (lock.breakLock(stack, minimumAge, young).isEmpty()) {
            log.info("Stack '" + stack + "' is not locked");
            return false;
        }
        return true;
    }

    /**
     * The common path of deploy and rollback. Secrets are read (and a missing one fails) before anything remote
     * happens; the stack file is produced only under the lock (or for a dry run), so that two deploys from one
     * checkout never overwrite each other's rendered files.
     */
    private DeploymentResult run(DeployRequest request, ImageRef image, List<String> secretNames, Supplier<Path> produceStack,
            boolean localProduction, Instant started, boolean rollback) {
        List<Secret> secrets = secrets(secretNames, request.renderDir());
        secrets.forEach(github::mask);
        target.credentials().forEach(github::mask);
        target.check();
        if (request.dryRun()) {
            DeployPlan plan = plan(request, image, produceStack.get(), secrets);
            return dryRun(request, plan, target.deploy(plan), started);
        }
        StackLock lock = new StackLock(target.store(), context.clock(), sleeper, log);
        if (request.forceUnlock()) {
            unlock(request.stack(), request.lockTimeout(), false);
        }
        Map<String, String> owner = StackLock.owner(context.env(), image.ref());
        lock.acquire(request.stack(), owner, request.lockTimeout());
        Thread releaseOnExit = new Thread(() -> lock.release(request.stack()), "deployer-release-lock");
        Runtime.getRuntime().addShutdownHook(releaseOnExit);
        try {
            // the rollback point (what runs now, the history) is read from the target while the stack file is rendered
            Ahead<StackState> before = Ahead.start("reading what runs in stack '" + request.stack() + "'",
                    () -> target.current(request.stack()));
            Ahead<List<DeployHistory.Entry>> entries = Ahead.start("reading the history of stack '" + request.stack() + "'",
                    () -> new DeployHistory(target.store()).entries(request.stack()));
            DeployPlan plan = plan(request, image, produceStack.get(), secrets);
            return locked(request, plan, owner, localProduction, started, rollback, plan.stackText(), before.get(), entries.get());
        } finally {
            lock.release(request.stack());
            try {
                Runtime.getRuntime().removeShutdownHook(releaseOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private DeployPlan plan(DeployRequest request, ImageRef image, Path stackFile, List<Secret> secrets) {
        String stackText = read(stackFile);
        List<String> names = secrets.stream().map(Secret::name).toList();
        List<String> more = StackFiles.placeholders(stackText).stream().filter(n -> !names.contains(n)).toList();
        List<Secret> all = new ArrayList<>(secrets);
        all.addAll(secrets(more, stackFile));
        return new DeployPlan(request.stack(), request.environment(), image, stackFile.getParent(), stackFile,
                StackFiles.services(stackText, stackFile.toString()), all, request.healthTimeout().plus(Duration.ofMinutes(5)));
    }

    private DeploymentResult locked(DeployRequest request, DeployPlan plan, Map<String, String> owner,
            boolean localProduction, Instant started, boolean rollback, String stackText, StackState before,
            List<DeployHistory.Entry> entries) {
        ImageRef image = plan.image();
        DeployHistory history = new DeployHistory(target.store());
        Optional<StackState.ServiceState> appBefore = appService(before, image.repository());
        DeployHistory.Entry rollbackPoint = appBefore.flatMap(app -> entries.stream().filter(DeployHistory.Entry::good)
                .filter(e -> Objects.equals(e.digest(), app.digest())).findFirst()).orElse(null);
        ImageRef previous = appBefore.filter(app -> app.digest() != null)
                .map(app -> new ImageRef(image.repository(), rollbackPoint != null ? rollbackPoint.tag() : "unknown", app.digest()))
                .orElse(null);
        if (before.exists()) {
            log.info("Running now (the rollback point): " + before.services().stream()
                    .map(s -> s.name() + "=" + s.image()).collect(Collectors.joining(", ")));
        } else {
            log.info("Stack '" + request.stack() + "' does not exist yet: this is its first deploy");
        }
        if (previous != null && image.digest().equals(previous.digest()) && rollbackPoint != null
                && rollbackPoint.stackText().equals(stackText)) {
            log.info("Digest " + image.digest() + " already runs with the same stack file: nothing to deploy, verifying health");
            Failure failure = verify(request, plan, List.of());
            if (failure != null) {
                printLogs(request.stack(), failure.services(), plan.secrets());
                throw new DeployFailedException("Stack '" + request.stack() + "' already runs " + image.ref()
                        + " but is not healthy: " + failure.reason() + "\nNothing was changed.", "deployer.healthUrl",
                        "look at the service's logs above; redeploying the same digest changes nothing", false, null);
            }
            return finish(DeploymentResult.Outcome.UNCHANGED, request, image, previousGood(entries, image), started, localProduction);
        }
        Failure failure = execute(request, plan, target.deploy(plan));
        if (failure == null) {
            failure = verify(request, plan, request.smokeChecks());
        }
        if (failure != null) {
            printLogs(request.stack(), failure.services(), plan.secrets());
            history.record(request.stack(), entry("failed", image, owner, localProduction, stackText));
            throw restore(request, plan, before, rollbackPoint, previous, failure);
        }
        history.record(request.stack(), entry(rollback ? "rollback" : "deployed", image, owner, localProduction, stackText));
        return finish(DeploymentResult.Outcome.DEPLOYED, request, image, previous, started, localProduction);
    }

    private static ImageRef previousGood(List<DeployHistory.Entry> entries, ImageRef current) {
        return entries.stream().filter(DeployHistory.Entry::good).filter(e -> !e.digest().equals(current.digest())).findFirst()
                .map(e -> new ImageRef(e.repository(), e.tag(), e.digest())).orElse(null);
    }

    private DeployHistory.Entry entry(String status, ImageRef image, Map<String, String> owner, boolean localProduction, String stackText) {
        return new DeployHistory.Entry(context.clock().instant(), status, image.repository(), image.tag(), image.digest(),
                owner.get(StackLock.OWNER_LABEL), owner.get(StackLock.RUN_LABEL), localProduction, stackText);
    }

    /** Why a deploy failed, and which services to show logs of. */
    private record Failure(String reason, List<String> services) {
    }

    private Failure execute(DeployRequest request, DeployPlan plan, List<Step> steps) {
        for (Step step : steps) {
            if (step instanceof Step.Run run) {
                log.info(run.description());
                CommandRunner.Result result = context.runner().run(run.command(), run.timeout());
                if (!result.succeeded()) {
                    String output = run.command().mask(result.tail(20));
                    log.error("'" + run.command().display() + "' failed" + (result.exitCode() < 0 ? " (timed out)" : " with exit code " + result.exitCode()) + ":");
                    output.lines().forEach(line -> log.error("  " + line));
                    return new Failure("'" + run.description() + "' failed: " + lastLine(output), plan.serviceNames());
                }
            } else if (step instanceof Step.AwaitHealthy await) {
                Failure failure = awaitHealthy(request, await.services());
                if (failure != null) {
                    return failure;
                }
            }
        }
        return null;
    }

    private Failure awaitHealthy(DeployRequest request, List<String> services) {
        log.info("Waiting for health: " + (services.isEmpty() ? "all services" : String.join(", ", services))
                + " (up to " + request.healthTimeout().toSeconds() + " s)");
        Poller poller = new Poller(context.clock(), sleeper, Backoff.standard());
        Poller.Outcome<List<ServiceHealth>> outcome = poller.poll(request.healthTimeout(), () -> {
            List<ServiceHealth> health = target.health(request.stack(), services);
            String detail = health.stream().map(h -> h.service() + ": " + h.detail()).collect(Collectors.joining("; "));
            log.debug("Health: " + detail);
            if (health.stream().anyMatch(h -> h.status() == ServiceHealth.Status.FAILED)) {
                return Poller.Attempt.failed(health, detail);
            }
            boolean all = !health.isEmpty() && health.stream().allMatch(h -> h.status() == ServiceHealth.Status.HEALTHY);
            return all ? Poller.Attempt.done(health, detail) : Poller.Attempt.retry(health, detail);
        });
        if (outcome.ok()) {
            log.info("Healthy after " + seconds(outcome.elapsed()) + ": " + outcome.detail());
            return null;
        }
        List<String> bad = outcome.value() == null ? services : outcome.value().stream()
                .filter(h -> h.status() != ServiceHealth.Status.HEALTHY).map(ServiceHealth::service).toList();
        String why = outcome.state() == Poller.State.TIMED_OUT ? "not healthy after " + request.healthTimeout().toSeconds() + " s" : "failed";
        return new Failure("service(s) " + String.join(", ", bad) + " " + why + ": " + outcome.detail(), bad);
    }

    /** Container health of everything, the wanted digest really running, the HTTP health URL, then the smoke checks. */
    private Failure verify(DeployRequest request, DeployPlan plan, List<dev.deployer.verify.SmokeCheck> smokeChecks) {
        Failure containers = awaitHealthy(request, List.of());
        if (containers != null) {
            return containers;
        }
        List<String> apps = appServices(plan);
        StackState now = target.current(request.stack());
        for (String app : apps) {
            String digest = now.service(app).map(StackState.ServiceState::digest).orElse(null);
            if (!plan.image().digest().equals(digest)) {
                return new Failure("service " + app + " runs " + digest + " instead of " + plan.image().digest()
                        + " (did the orchestrator roll the update back?)", List.of(app));
            }
        }
        if (request.healthUrl() == null) {
            return null;
        }
        HttpVerifier http = new HttpVerifier(new Poller(context.clock(), sleeper, Backoff.standard()), log);
        log.info("Waiting for " + request.healthUrl() + " to answer 2xx");
        Poller.Outcome<Integer> health = http.awaitHealthy(request.healthUrl(), request.healthTimeout());
        if (!health.ok()) {
            return new Failure("health URL " + request.healthUrl() + " not healthy after " + seconds(health.elapsed()) + ": " + health.detail(), apps);
        }
        log.info("Health URL answered " + health.value() + " after " + seconds(health.elapsed()));
        List<String> failures = http.smoke(request.healthUrl(), smokeChecks);
        if (!failures.isEmpty()) {
            return new Failure("smoke check(s) failed: " + String.join("; ", failures), apps);
        }
        return null;
    }

    private List<String> appServices(DeployPlan plan) {
        List<String> apps = plan.services().stream()
                .filter(s -> ImageRef.repositoryOf(s.image()).equals(plan.image().repository()))
                .map(StackService::name).toList();
        return apps;
    }

    private static Optional<StackState.ServiceState> appService(StackState state, String repository) {
        return state.services().stream().filter(s -> ImageRef.repositoryOf(s.image()).equals(repository)).findFirst();
    }

    /** After a failure: bring back what ran before and verify it, or say clearly why not. Returns the exception to throw. */
    private DeployFailedException restore(DeployRequest request, DeployPlan failed, StackState before,
            DeployHistory.Entry rollbackPoint, ImageRef previous, Failure failure) {
        String what = "Deploy of " + failed.image().ref() + " to stack '" + request.stack() + "' failed: " + failure.reason();
        if (!before.exists()) {
            log.error(what);
            log.error("This was the first deploy of '" + request.stack() + "': there is no previous version to roll back to. Stopping it.");
            execute(request, failed, target.remove(request.stack()));
            return new DeployFailedException(what + "\nIt was the first deploy of this stack, so there was nothing to roll back to:"
                    + " the stack was stopped and removed, NOTHING RUNS NOW.", "deployer.stack",
                    "fix the cause shown above (the service's last log lines) and deploy again", false, null);
        }
        String restoreText = rollbackPoint != null && !rollbackPoint.stackText().isEmpty() ? rollbackPoint.stackText()
                : withImages(read(failed.stackFile()), before);
        log.error(what);
        log.warn("Rolling back to what ran before: " + (previous != null ? previous.ref()
                : before.services().stream().map(StackState.ServiceState::image).collect(Collectors.joining(", "))));
        try {
            ImageRef image = previous != null ? previous : failed.image();
            Failure again;
            List<Secret> secrets;
            if ((rollbackPoint == null || rollbackPoint.stackText().isEmpty()) && orchestratorRestored(request, before)) {
                // no stack file of what ran is on record, and the orchestrator already put it back (Swarm's update_config
                // failure_action: rollback restores each service's previous spec): redeploying the new file with the old
                // images would bring the failing configuration back, so only verify
                log.warn("The orchestrator already rolled back to what ran before; verifying it");
                secrets = failed.secrets();
                DeployPlan plan = new DeployPlan(failed.stack(), failed.environment(), image, failed.directory(), failed.stackFile(),
                        failed.services(), secrets, failed.timeout());
                again = previous != null ? verify(request, plan, List.of()) : awaitHealthy(request, List.of());
            } else {
                Path file = write(failed.directory().resolve(failed.stackFile().getFileName() + ".rollback.yml"), restoreText);
                secrets = secrets(StackFiles.placeholders(restoreText), file);
                DeployPlan plan = new DeployPlan(failed.stack(), failed.environment(), image, failed.directory(), file,
                        StackFiles.services(restoreText, file.toString()), secrets, failed.timeout());
                again = execute(request, plan, target.deploy(plan));
                if (again == null && previous != null) {
                    again = verify(request, plan, List.of());
                } else if (again == null) {
                    again = awaitHealthy(request, List.of());
                }
            }
            String runningNow = describe(target.current(request.stack()));
            if (again != null) {
                printLogs(request.stack(), again.services(), secrets);
                return new DeployFailedException(what + "\nROLLBACK FAILED too: " + again.reason() + "\nRunning now: " + runningNow,
                        "deployer.stack", "the stack needs attention by hand: look at the logs above", false, null);
            }
            log.warn("Rolled back and verified healthy: " + runningNow);
            return new DeployFailedException(what + "\nRolled back to the previous version, verified healthy. Running now: " + runningNow,
                    "deployer.healthUrl", "fix the cause shown above (the failing service's last log lines) and deploy again", true, null);
        } catch (DeployerException e) {
            return new DeployFailedException(what + "\nROLLBACK FAILED too: " + e.getMessage() + "\nRunning now: "
                    + describe(target.current(request.stack())), "deployer.stack", "the stack needs attention by hand", false, e);
        }
    }

    /**
     * Without a stack file of what ran, whether the orchestrator puts it back by itself (Swarm's update_config
     * failure_action: rollback, which quantum-cli's --wait may report while it is still under way): waits up to the
     * health timeout for the stack to run exactly the versions of {@code before} again.
     */
    private boolean orchestratorRestored(DeployRequest request, StackState before) {
        log.info("No stack file of the previous version on record: waiting up to " + request.healthTimeout().toSeconds()
                + " s for the orchestrator's own rollback to bring back " + describe(before));
        Poller poller = new Poller(context.clock(), sleeper, Backoff.standard());
        return poller.poll(request.healthTimeout(), () -> sameVersions(target.current(request.stack()), before)
                ? Poller.Attempt.done(true, "restored") : Poller.Attempt.retry(false, "not yet")).ok();
    }

    /** Whether {@code now} runs exactly the services of {@code before}, each with the digest it ran. */
    private static boolean sameVersions(StackState now, StackState before) {
        return now.services().size() == before.services().size() && before.services().stream().allMatch(was -> was.digest() != null
                && now.service(was.name()).map(StackState.ServiceState::digest).filter(was.digest()::equals).isPresent());
    }

    /** The new stack file with every service that ran before set back to the image it ran (no history to restore from). */
    @SuppressWarnings("unchecked")
    private static String withImages(String stackText, StackState before) {
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(stackText);
        Map<String, Object> services = (Map<String, Object>) root.get("services");
        services.keySet().removeIf(name -> before.service(name).isEmpty());
        services.forEach((name, service) -> ((Map<String, Object>) service).put("image", before.service(name).orElseThrow().image()));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(root);
    }

    private static String describe(StackState state) {
        return state.exists() ? state.services().stream().map(s -> s.name() + "=" + s.image() + " (" + s.running() + " running)")
                .collect(Collectors.joining(", ")) : "nothing (the stack does not exist)";
    }

    private void printLogs(String stack, List<String> services, List<Secret> secrets) {
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

    private List<Secret> secrets(List<String> names, Path origin) {
        List<Secret> secrets = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            String value = context.env(name);
            if (value == null || value.isEmpty()) {
                missing.add(name);
            } else {
                secrets.add(Secret.of(name, value));
            }
        }
        if (!missing.isEmpty()) {
            throw new DeployerException("The stack references secret(s) " + missing + " but the environment does not set them",
                    origin.toString(), "export " + missing.get(0) + "=... before deploying (in GitHub Actions: env: " + missing.get(0)
                            + ": ${{ secrets." + missing.get(0) + " }}); nothing was changed");
        }
        return secrets;
    }

    private DeploymentResult dryRun(DeployRequest request, DeployPlan plan, List<Step> steps, Instant started) {
        log.info("Dry run: these are the steps a deploy of " + plan.image().ref() + " would take; nothing is changed.");
        log.info("  # take the lock " + StackLock.name(plan.stack()) + " on the " + target.name() + " target");
        log.info("  # record what runs now in stack " + plan.stack() + " (the rollback point)");
        for (Step step : steps) {
            log.info("  " + step.display());
        }
        if (request.healthUrl() != null) {
            log.info("  # wait until GET " + request.healthUrl() + " answers 2xx (up to " + request.healthTimeout().toSeconds() + " s)");
            request.smokeChecks().forEach(check -> log.info("  # smoke check " + check));
        }
        log.info("  # on failure: roll back to the recorded version and verify it");
        log.info("  # record the deploy in the stack's history, release the lock");
        return new DeploymentResult(DeploymentResult.Outcome.DRY_RUN, target.name(), plan.stack(), plan.environment(), plan.image(),
                null, url(request), started, Duration.between(started, context.clock().instant()), null);
    }

    private DeploymentResult finish(DeploymentResult.Outcome outcome, DeployRequest request, ImageRef image, ImageRef previous,
            Instant started, boolean localProduction) {
        Duration took = Duration.between(started, context.clock().instant());
        String rollbackCommand = previous == null || "unknown".equals(previous.tag()) ? null
                : "./mvnw deployer:rollback" + ("local".equals(request.environment()) ? "" : " -P" + request.environment())
                        + " -Ddeployer.tag=" + previous.tag();
        DeploymentResult result = new DeploymentResult(outcome, target.name(), request.stack(), request.environment(), image,
                previous, url(request), started, took, rollbackCommand);
        List<String> lines = new ArrayList<>();
        lines.add((outcome == DeploymentResult.Outcome.UNCHANGED ? "Unchanged, verified healthy: " : "Deployed and verified: ") + image.ref());
        lines.add("  stack:    " + request.stack() + " (target " + target.name() + ", environment " + request.environment() + ")");
        lines.add("  url:      " + (result.url() == null ? "-" : result.url()));
        lines.add("  time:     " + seconds(took) + " (started " + started + ")");
        lines.add("  previous: " + (previous == null ? "none (first deploy)" : previous.ref()));
        lines.add("  rollback: " + (rollbackCommand == null ? "-" : rollbackCommand));
        if (localProduction) {
            lines.add("  WARNING:  production guard overridden (deployer.allowLocalProduction), recorded in the history");
        }
        lines.forEach(log::info);
        writeDeploymentJson(request, result, localProduction);
        github.summary("### Deployed `" + request.stack() + "` (" + request.environment() + ")\n\n| | |\n|---|---|\n"
                + "| image | `" + image.ref() + "` |\n| outcome | " + outcome + " |\n| target | " + target.name() + " |\n"
                + "| url | " + (result.url() == null ? "-" : result.url()) + " |\n| time | " + seconds(took) + " |\n"
                + "| previous | " + (previous == null ? "-" : "`" + previous.ref() + "`") + " |\n"
                + "| rollback | " + (rollbackCommand == null ? "-" : "`" + rollbackCommand + "`") + " |\n");
        github.output("image", image.repository() + ":" + image.tag());
        github.output("digest", image.digest());
        if (result.url() != null) {
            github.output("url", result.url());
        }
        return result;
    }

    private void writeDeploymentJson(DeployRequest request, DeploymentResult result, boolean localProduction) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("outcome", result.outcome().name().toLowerCase());
        json.put("target", result.target());
        json.put("stack", result.stack());
        json.put("environment", result.environment());
        json.put("image", result.image().repository());
        json.put("tag", result.image().tag());
        json.put("digest", result.image().digest());
        json.put("url", result.url());
        json.put("started", result.started().toString());
        json.put("durationMillis", result.duration().toMillis());
        json.put("previous", result.previous() == null ? null : Map.of("image", result.previous().repository(),
                "tag", result.previous().tag(), "digest", result.previous().digest()));
        json.put("rollbackCommand", result.rollbackCommand());
        json.put("localProduction", localProduction);
        try {
            Files.createDirectories(request.deployerDir());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(request.deployerDir().resolve("deployment.json").toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String url(DeployRequest request) {
        if (request.healthUrl() == null) {
            return null;
        }
        URI health = request.healthUrl();
        return health.resolve("/").toString();
    }

    private static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
