package dev.deployer.maven;

import dev.deployer.audit.WorkflowAudit;
import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.Log;
import dev.deployer.core.ProcessRunner;
import dev.deployer.init.Init;
import dev.deployer.init.InitRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.Plugin;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Prepares an existing service for Deployer, like {@code kamal init}: writes the Compose and Swarm templates
 * ({@code src/main/deploy/}: the app, the proxy, Redis with {@code -Ddeployer.init.redis=true}), the callers of
 * Deployer's reusable workflow ({@code .github/workflows/}), and prints the POM snippet (or inserts it with
 * {@code -Ddeployer.init.apply=true}, changing nothing else in the POM). Never overwrites a file. Reference: the plugin site, page init-mojo.html.
 *
 * @since 0.1.0
 */
@Mojo(name = "init", threadSafe = true)
public class InitMojo extends AbstractDeployerMojo {

    /**
     * Add Redis to the templates (and {@code REDIS_PASSWORD} to the secrets).
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.init.redis", defaultValue = "false")
    boolean redis;

    /**
     * Insert the POM snippet into {@code pom.xml} (text insertion: the rest of the file stays as it is) instead of
     * printing it.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.init.apply", defaultValue = "false")
    boolean apply;

    /**
     * The image repository for {@code deployer.image}. Default: {@code ghcr.io/<owner>/<repo>/<module directory>}
     * from the GitHub remote {@code origin} (what the reusable workflow pushes to), else
     * {@code registry.example.com/<artifactId>}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.init.image")
    String image;

    /**
     * The base image for {@code deployer.baseImage}. Default: {@code eclipse-temurin:<java.version>-jre}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.init.baseImage")
    String baseImage;

    /**
     * The port the service listens on in its container.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.init.port", defaultValue = "8080")
    int port;

    /**
     * The service's health path, checked inside the containers. Default: {@code /actuator/health} for a Spring Boot
     * service, else {@code /health}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.init.healthPath")
    String healthPath;

    /**
     * The GitHub repository whose reusable workflow ({@code .github/workflows/deployer.yml}) the callers use.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.init.workflowRepository", defaultValue = "deployer-org/deployer")
    String workflowRepository;

    /**
     * The commit of {@code deployer.init.workflowRepository} the callers pin (a tag can be moved). Default: the
     * commit this plugin was built from.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.init.workflowSha")
    String workflowSha;

    /** The plugin's version, pinned by the snippet. */
    @Parameter(defaultValue = "${plugin.version}", readonly = true)
    String pluginVersion;

    @Override
    protected void run() {
        Path basedir = project.getBasedir().toPath().toAbsolutePath().normalize();
        Path gitRoot = WorkflowAudit.gitRoot(basedir);
        Path root = gitRoot == null ? basedir : gitRoot;
        boolean springBoot = springBoot(project);
        String javaVersion = Stream.of("java.version", "maven.compiler.release")
                .map(name -> project.getProperties().getProperty(name)).filter(v -> v != null && !v.isBlank())
                .findFirst().orElse("17");
        String chosenImage = image != null && !image.isBlank() ? image
                : Init.defaultImage(origin(basedir), basedir.getFileName().toString(), project.getArtifactId());
        String sha = workflowSha != null && !workflowSha.isBlank() ? workflowSha.strip() : builtFrom();
        new Init(log()).run(new InitRequest(basedir, root, project.getArtifactId(), inheritsParent(project), springBoot,
                redis, apply, chosenImage,
                baseImage != null && !baseImage.isBlank() ? baseImage : "eclipse-temurin:" + javaVersion + "-jre",
                port, healthPath != null && !healthPath.isBlank() ? healthPath : springBoot ? "/actuator/health" : "/health",
                javaVersion, pluginVersion, workflowRepository, sha));
    }

    private static boolean inheritsParent(MavenProject project) {
        for (MavenProject parent = project.getParent(); parent != null; parent = parent.getParent()) {
            if ("dev.deployer".equals(parent.getGroupId()) && "deploy-parent-pom".equals(parent.getArtifactId())) {
                return true;
            }
        }
        return false;
    }

    private static boolean springBoot(MavenProject project) {
        for (MavenProject parent = project.getParent(); parent != null; parent = parent.getParent()) {
            if ("org.springframework.boot".equals(parent.getGroupId())) {
                return true;
            }
        }
        return project.getDependencies().stream().map(Dependency::getGroupId).anyMatch("org.springframework.boot"::equals)
                || project.getBuildPlugins().stream().map(Plugin::getGroupId).anyMatch("org.springframework.boot"::equals);
    }

    /** The URL of the remote {@code origin}, or null. */
    private static String origin(Path basedir) {
        try {
            CommandRunner.Result result = new ProcessRunner(Log.silent())
                    .run(Command.of("git", "remote", "get-url", "origin").in(basedir), Duration.ofSeconds(10));
            return result.succeeded() ? result.output().strip() : null;
        } catch (RuntimeException e) {
            return null; // no git: the image is to be chosen by hand
        }
    }

    /** The commit this plugin was built from (recorded at build time), or null. */
    private static String builtFrom() {
        try (InputStream in = InitMojo.class.getResourceAsStream("/dev/deployer/init/source-commit")) {
            String sha = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return sha.matches("[0-9a-f]{40}") ? sha : null;
        } catch (IOException e) {
            return null;
        }
    }
}
