package dev.deployer.deploy;

import dev.deployer.core.ImageRef;
import dev.deployer.core.Log;
import dev.deployer.verify.Backoff;
import dev.deployer.verify.HttpVerifier;
import dev.deployer.verify.Poller;
import dev.deployer.verify.Sleeper;
import dev.deployer.verify.SmokeCheck;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The health gates of a deploy: the target's view of its services (polled with growing backoff up to the health
 * timeout), the wanted digest really running, the HTTP health URL and the smoke checks.
 */
final class HealthGate {

    private final Target target;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Log log;

    HealthGate(Target target, Clock clock, Sleeper sleeper, Log log) {
        this.target = target;
        this.clock = clock;
        this.sleeper = sleeper;
        this.log = log;
    }

    /** What {@link #verify} checks, as a dry run prints it. */
    static String describe(DeployRequest request, ImageRef image) {
        return describe(request, List.of(image));
    }

    /** What {@link #verify} checks for {@code plan}: every image it deploys, by digest. */
    static String describe(DeployRequest request, DeployPlan plan) {
        return describe(request, List.copyOf(plan.deployedImages()));
    }

    private static String describe(DeployRequest request, List<ImageRef> images) {
        List<String> lines = new ArrayList<>();
        lines.add("# verify: every service healthy, the app services run " + images.stream()
                .map(image -> image.digest() == null ? image.ref() : images.size() == 1 ? image.digest() : image.repository() + "@" + image.digest())
                .collect(Collectors.joining(", ")));
        if (request.healthUrl() != null) {
            lines.add("curl -fsS -o /dev/null " + request.healthUrl() + "  # until 2xx, growing backoff, up to "
                    + request.healthTimeout().toSeconds() + " s");
            URI origin = request.healthUrl().resolve("/");
            for (SmokeCheck check : request.smokeChecks()) {
                lines.add("# smoke check " + check + " (against " + origin + ")");
            }
        }
        return String.join("\n", lines);
    }

    /** Waits until {@code services} (all when empty) of {@code stack} are healthy; null when they are. */
    Failure awaitHealthy(String stack, List<String> services, Duration timeout) {
        log.info("Waiting for health: " + (services.isEmpty() ? "all services" : String.join(", ", services))
                + " (up to " + timeout.toSeconds() + " s)");
        Poller poller = new Poller(clock, sleeper, Backoff.standard());
        Poller.Outcome<List<ServiceHealth>> outcome = poller.poll(timeout, () -> {
            List<ServiceHealth> health = target.health(stack, services);
            String detail = health.stream().map(h -> h.service() + ": " + h.detail()).collect(Collectors.joining("; "));
            log.debug("Health: " + detail);
            if (health.stream().anyMatch(h -> h.status() == ServiceHealth.Status.FAILED)) {
                return Poller.Attempt.failed(health, detail);
            }
            boolean all = !health.isEmpty() && health.stream().allMatch(h -> h.status() == ServiceHealth.Status.HEALTHY);
            return all ? Poller.Attempt.done(health, detail) : Poller.Attempt.retry(health, detail);
        });
        if (outcome.ok()) {
            log.info("Healthy after " + Report.seconds(outcome.elapsed()) + ": " + outcome.detail());
            return null;
        }
        List<String> bad = outcome.value() == null ? services : outcome.value().stream()
                .filter(h -> h.status() != ServiceHealth.Status.HEALTHY).map(ServiceHealth::service).toList();
        String why = outcome.state() == Poller.State.TIMED_OUT ? "not healthy after " + timeout.toSeconds() + " s" : "failed";
        return new Failure("service(s) " + String.join(", ", bad) + " " + why + ": " + outcome.detail(), bad);
    }

    /** Container health of everything, the wanted digest really running, the HTTP health URL, then the smoke checks. */
    Failure verify(DeployPlan plan, DeployRequest request, List<SmokeCheck> smokeChecks) {
        Failure containers = awaitHealthy(plan.stack(), List.of(), request.healthTimeout());
        if (containers != null) {
            return containers;
        }
        // every image by digest: a release's every service runs exactly the digest of its module
        List<String> apps = new ArrayList<>();
        StackState now = target.current(plan.stack());
        for (ImageRef image : plan.deployedImages()) {
            for (String app : plan.services().stream().filter(s -> ImageRef.repositoryOf(s.image()).equals(image.repository()))
                    .map(StackService::name).toList()) {
                apps.add(app);
                String digest = now.service(app).map(StackState.ServiceState::digest).orElse(null);
                if (!image.digest().equals(digest)) {
                    return new Failure("service " + app + " runs " + digest + " instead of " + image.digest()
                            + " (did the orchestrator roll the update back?)", List.of(app));
                }
            }
        }
        if (request.healthUrl() == null) {
            return null;
        }
        HttpVerifier http = new HttpVerifier(new Poller(clock, sleeper, Backoff.standard()), log);
        log.info("Waiting for " + request.healthUrl() + " to answer 2xx");
        Poller.Outcome<Integer> health = http.awaitHealthy(request.healthUrl(), request.healthTimeout());
        if (!health.ok()) {
            return new Failure("health URL " + request.healthUrl() + " not healthy after " + Report.seconds(health.elapsed())
                    + ": " + health.detail(), apps);
        }
        log.info("Health URL answered " + health.value() + " after " + Report.seconds(health.elapsed()));
        List<String> failures = http.smoke(request.healthUrl(), smokeChecks);
        if (!failures.isEmpty()) {
            return new Failure("smoke check(s) failed: " + String.join("; ", failures), apps);
        }
        return null;
    }
}
