package dev.deployer.deploy;

import dev.deployer.core.ImageRef;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import dev.deployer.verify.Backoff;
import dev.deployer.verify.Poller;
import dev.deployer.verify.Sleeper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The restore branch of a plan: after a failure or an interruption, bring back the rollback point and verify it (or,
 * on a first deploy, remove what was started), and say exactly what runs now.
 */
final class Restore {

    private final TargetContext context;
    private final Target target;
    private final TargetSteps steps;
    private final HealthGate health;
    private final Sleeper sleeper;
    private final Log log;

    Restore(TargetContext context, Target target, TargetSteps steps, HealthGate health, Sleeper sleeper) {
        this.context = context;
        this.target = target;
        this.steps = steps;
        this.health = health;
        this.sleeper = sleeper;
        this.log = context.log();
    }

    /**
     * Restores {@code point} after {@code failed} failed with {@code what}; returns the exception to throw. Never
     * throws: when the target cannot be reached (the engine stopped, say), the exception says the restore failed and
     * what is known of what runs, so that the caller still records the failure and releases the lock.
     */
    DeployFailedException restore(DeployRequest request, DeployPlan failed, RollbackPoint point, String what) {
        try {
            return point.before().exists() ? restorePrevious(request, failed, point, what) : removeFirst(request, failed, what);
        } catch (RuntimeException e) {
            log.error("The restore failed: " + e.getMessage());
            return new DeployFailedException(what + "\nROLLBACK FAILED too: " + e.getMessage() + "\nRunning now: "
                    + describeSafely(request.stack()), "deployer.stack", "the stack needs attention by hand", false, e);
        }
    }

    private DeployFailedException removeFirst(DeployRequest request, DeployPlan failed, String what) {
        log.error(what);
        log.error("This was the first deploy of '" + request.stack() + "': there is no previous version to roll back to. Stopping it.");
        Failure removal = steps.runAll(target.remove(request.stack()), failed, request.healthTimeout());
        if (removal != null) {
            return new DeployFailedException(what + "\nIt was the first deploy of this stack, and stopping it failed too: "
                    + removal.reason() + "\nRunning now: " + describeSafely(request.stack()), "deployer.stack",
                    "the stack needs attention by hand", false, null);
        }
        return new DeployFailedException(what + "\nIt was the first deploy of this stack, so there was nothing to roll back to:"
                + " the stack was stopped and removed, NOTHING RUNS NOW.", "deployer.stack",
                "fix the cause shown above (the service's last log lines) and deploy again", false, null);
    }

    private DeployFailedException restorePrevious(DeployRequest request, DeployPlan failed, RollbackPoint point, String what) {
        StackState before = point.before();
        ImageRef previous = point.previous();
        String restoreText = point.entry() != null && !point.entry().stackText().isEmpty() ? point.entry().stackText()
                : withImages(failed.stackText(), before);
        log.error(what);
        log.warn("Rolling back to " + (point.verified() ? "what ran before: " : "the newest good version (what ran was never"
                + " verified): ") + (point.entry() != null && !point.entry().images().isEmpty()
                ? "the release of " + point.entry().tag() + " (" + String.join(", ", point.entry().imageRefs()) + ")"
                : previous != null ? previous.ref()
                : before.services().stream().map(StackState.ServiceState::image).collect(Collectors.joining(", "))));
        try {
            if (point.entry() != null && point.entry().stackText().isEmpty() && orchestratorRestored(request, before)) {
                // a history that keeps no stack files (Quantum without DOCKER_HOST), and the orchestrator already put
                // back what ran (Swarm's update_config failure_action: rollback): redeploying the new file with the old
                // images would bring the failing configuration back, so only verify
                log.warn("The orchestrator already rolled back to what ran before; verifying it");
                DeployPlan restored = new DeployPlan(failed.stack(), failed.environment(), previous != null ? previous
                        : failed.image(), failed.directory(), failed.stackFile(), failed.services(), failed.secrets(),
                        failed.timeout(), failed.stackText());
                Failure again = previous != null ? health.verify(restored, request, List.of())
                        : health.awaitHealthy(request.stack(), List.of(), request.healthTimeout());
                return outcome(request, what, again, failed.secrets());
            }
            Path file = failed.directory().resolve(failed.stackFile().getFileName() + ".rollback.yml");
            List<Secret> secrets = EnvironmentSecrets.read(context::env, StackFiles.placeholders(restoreText), file.toString());
            ImageRef image = previous != null ? previous : failed.image();
            // a release restores every service: its recorded images are each verified by digest
            DeployPlan plan = failed.restoring(image, file, StackFiles.services(restoreText, file.toString()), secrets,
                    restoreText, point.entry() == null ? Map.of() : ReleaseImageResolver.of(point.entry()));
            RenderedFiles.add(file.getParent(), Map.of(file.getFileName().toString(), restoreText));
            RenderedFiles.add(file.getParent(), target.restoreFiles(plan));
            Failure again = steps.runAll(target.restore(plan), plan, request.healthTimeout());
            if (again == null && previous != null) {
                again = health.verify(plan, request, List.of());
            } else if (again == null) {
                again = health.awaitHealthy(request.stack(), List.of(), request.healthTimeout());
            }
            return outcome(request, what, again, secrets);
        } catch (RuntimeException e) {
            // a DeployerException, or the engine's client failing (the engine stopped answering)
            return new DeployFailedException(what + "\nROLLBACK FAILED too: " + e.getMessage() + "\nRunning now: "
                    + describeSafely(request.stack()), "deployer.stack", "the stack needs attention by hand", false, e);
        }
    }

    private DeployFailedException outcome(DeployRequest request, String what, Failure again, List<Secret> secrets) {
        String runningNow = describeSafely(request.stack());
        if (again != null) {
            steps.printLogs(request.stack(), again.services(), secrets);
            return new DeployFailedException(what + "\nROLLBACK FAILED too: " + again.reason() + "\nRunning now: " + runningNow,
                    "deployer.stack", "the stack needs attention by hand: look at the logs above", false, null);
        }
        log.warn("Rolled back and verified healthy: " + runningNow);
        return new DeployFailedException(what + "\nRolled back to the previous version, verified healthy. Running now: " + runningNow,
                "deployer.healthUrl", "fix the cause shown above (the failing service's last log lines) and deploy again", true, null);
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

    private String describeSafely(String stack) {
        try {
            return describe(target.current(stack));
        } catch (RuntimeException e) {
            return "unknown (" + target.name() + " did not answer: " + e.getMessage() + ")";
        }
    }

    /** The new stack file with every service that ran before set back to the image it ran (no history to restore from). */
    @SuppressWarnings("unchecked")
    static String withImages(String stackText, StackState before) {
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(stackText);
        Map<String, Object> services = (Map<String, Object>) root.get("services");
        services.keySet().removeIf(name -> before.service(name).isEmpty());
        services.forEach((name, service) -> {
            Map<String, Object> definition = (Map<String, Object>) service;
            definition.put("image", before.service(name).orElseThrow().image());
            // what did not run before is not restored: nothing may wait for it (list or map form of depends_on)
            // (SnakeYAML loads mutable lists and maps)
            Object dependsOn = definition.get("depends_on");
            java.util.Collection<?> dependencies = dependsOn instanceof Map<?, ?> map ? map.keySet()
                    : dependsOn instanceof List<?> list ? list : new java.util.ArrayList<>();
            dependencies.removeIf(dependency -> !services.containsKey(String.valueOf(dependency)));
            if (dependsOn != null && dependencies.isEmpty()) {
                definition.remove("depends_on");
            }
        });
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(root);
    }

    static String describe(StackState state) {
        return state.exists() ? state.services().stream().map(s -> s.name() + "=" + s.image() + " (" + s.running() + " running)")
                .collect(Collectors.joining(", ")) : "nothing (the stack does not exist)";
    }
}
