package dev.deployer.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.ImageRef;
import dev.deployer.core.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The end of a deploy that did not fail: the summary lines, {@code deployment.json}, the CI job summary and outputs. */
final class Report {

    private final String target;
    private final Clock clock;
    private final GitHubActions github;
    private final Log log;

    Report(String target, Clock clock, GitHubActions github, Log log) {
        this.target = target;
        this.clock = clock;
        this.github = github;
        this.log = log;
    }

    /** Reports {@code outcome} and writes {@code json}; returns the result. */
    DeploymentResult finish(DeploymentResult.Outcome outcome, DeployRequest request, ImageRef image, ImageRef previous,
            Instant started, boolean localProduction, Path json) {
        return finish(outcome, request, image, Map.of(), previous, started, localProduction, json);
    }

    /** {@link #finish} of a release: {@code images} (module artifactId to image) are listed and written too. */
    DeploymentResult finish(DeploymentResult.Outcome outcome, DeployRequest request, ImageRef image, Map<String, ImageRef> images,
            ImageRef previous, Instant started, boolean localProduction, Path json) {
        Duration took = Duration.between(started, clock.instant());
        String rollbackCommand = previous == null || "unknown".equals(previous.tag()) ? null
                : "./mvnw deployer:rollback" + ("local".equals(request.environment()) ? "" : " -P" + request.environment())
                        + " -Ddeployer.tag=" + previous.tag();
        DeploymentResult result = new DeploymentResult(outcome, target, request.stack(), request.environment(), image,
                previous, url(request), started, took, rollbackCommand);
        List<String> lines = new ArrayList<>();
        lines.add((outcome == DeploymentResult.Outcome.UNCHANGED ? "Unchanged, verified healthy: " : "Deployed and verified: ")
                + (images.isEmpty() ? image.ref() : "the release " + image.tag() + " (" + images.size() + " images)"));
        if (!images.isEmpty()) {
            lines.add("  images:   " + String.join(", ", ReleaseImageResolver.recorded(images).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        lines.add("  stack:    " + request.stack() + " (target " + target + ", environment " + request.environment() + ")");
        lines.add("  url:      " + (result.url() == null ? "-" : result.url()));
        lines.add("  time:     " + seconds(took) + " (started " + started + ")");
        lines.add("  previous: " + (previous == null ? "none (first deploy)" : previous.ref()));
        lines.add("  rollback: " + (rollbackCommand == null ? "-" : rollbackCommand));
        if (localProduction) {
            lines.add("  WARNING:  production guard overridden (deployer.allowLocalProduction), recorded in the history");
        }
        lines.forEach(log::info);
        write(json, result, localProduction, images);
        github.summary("### Deployed `" + request.stack() + "` (" + request.environment() + ")\n\n| | |\n|---|---|\n"
                + "| image | `" + image.ref() + "` |\n| outcome | " + outcome + " |\n| target | " + target + " |\n"
                + "| url | " + (result.url() == null ? "-" : result.url()) + " |\n| time | " + seconds(took) + " |\n"
                + "| previous | " + (previous == null ? "-" : "`" + previous.ref() + "`") + " |\n"
                + "| rollback | " + (rollbackCommand == null ? "-" : "`" + rollbackCommand + "`") + " |\n");
        github.output("image", image.repository() + ":" + image.tag());
        github.output("digest", image.digest());
        if (!images.isEmpty()) {
            github.output("digests", String.join(" ", ReleaseImageResolver.recorded(images).values()));
        }
        if (result.url() != null) {
            github.output("url", result.url());
        }
        return result;
    }

    /** The result of a dry run: nothing ran, nothing is written. */
    DeploymentResult dryRun(DeployRequest request, ImageRef image, Instant started) {
        return new DeploymentResult(DeploymentResult.Outcome.DRY_RUN, target, request.stack(), request.environment(),
                image, null, url(request), started, Duration.between(started, clock.instant()), null);
    }

    private static void write(Path file, DeploymentResult result, boolean localProduction, Map<String, ImageRef> images) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("outcome", result.outcome().name().toLowerCase());
        json.put("target", result.target());
        json.put("stack", result.stack());
        json.put("environment", result.environment());
        json.put("image", result.image().repository());
        json.put("tag", result.image().tag());
        json.put("digest", result.image().digest());
        if (!images.isEmpty()) {
            json.put("images", ReleaseImageResolver.recorded(images));
        }
        json.put("url", result.url());
        json.put("started", result.started().toString());
        json.put("durationMillis", result.duration().toMillis());
        json.put("previous", result.previous() == null ? null : Map.of("image", result.previous().repository(),
                "tag", result.previous().tag(), "digest", result.previous().digest()));
        json.put("rollbackCommand", result.rollbackCommand());
        json.put("localProduction", localProduction);
        try {
            Files.createDirectories(file.getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new DeployerException("Deployed, but cannot write " + file + ": " + e.getMessage(), file.toString(),
                    "check that the build directory is writable; the deploy itself is done and recorded");
        }
    }

    private static String url(DeployRequest request) {
        return request.healthUrl() == null ? null : request.healthUrl().resolve("/").toString();
    }

    static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
