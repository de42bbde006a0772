package dev.deployer.init;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code deployer:init} needs to know about the service, as plain values.
 *
 * @param basedir            the service's directory (where {@code pom.xml} and {@code src/} are)
 * @param repositoryRoot     the git repository's root ({@code .github/workflows} goes there); the basedir when none
 * @param artifactId         the service's artifactId
 * @param inheritsParent     true when the POM inherits {@code deploy-parent-pom} (the snippet is then shorter)
 * @param springBoot         a Spring Boot service: Spring's environment names, {@code /actuator/health}
 * @param redis              add Redis to the templates (and the {@code REDIS_PASSWORD} secret)
 * @param apply              insert the snippet into {@code pom.xml} instead of printing it
 * @param image              the image repository for {@code deployer.image}
 * @param baseImage          the base image for {@code deployer.baseImage}
 * @param port               the port the service listens on in its container
 * @param healthPath         the service's health path, e.g. {@code /actuator/health}
 * @param javaVersion        the Java version for the workflows
 * @param pluginVersion      this plugin's version (the snippet pins it)
 * @param workflowRepository the GitHub repository of Deployer's reusable workflow ({@code owner/repo})
 * @param workflowSha        the commit of that repository the callers pin, or null when unknown
 */
public record InitRequest(Path basedir, Path repositoryRoot, String artifactId, boolean inheritsParent, boolean springBoot,
                          boolean redis, boolean apply, String image, String baseImage, int port, String healthPath,
                          String javaVersion, String pluginVersion, String workflowRepository, String workflowSha) {

    public InitRequest {
        Objects.requireNonNull(basedir, "basedir");
        Objects.requireNonNull(repositoryRoot, "repositoryRoot");
        Objects.requireNonNull(artifactId, "artifactId");
    }
}
