package dev.deployer.image;

import dev.deployer.core.GitInfo;
import dev.deployer.core.ProjectInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code deployer:build} needs, as plain values: the Maven layer fills it from the POM, tests build
 * it directly. Checked for meaning (image names, tags, main class) by {@link ImageBuilder}, which names the
 * parameter at fault.
 *
 * @param project              the project
 * @param git                  the commit being built
 * @param environment          {@code local}, {@code qa}, {@code production}, ... (a dirty tree is refused for qa/production)
 * @param image                the target repository, e.g. {@code ghcr.io/acme/service} (no tag)
 * @param baseImage            the base: a registry image, {@code tar://path} or {@code docker://name}
 * @param mainClass            the main class, or null to infer it like Jib (jar manifest, then a scan of {@code classesDir}; see {@link MainClass})
 * @param artifactJar          the project's jar (for its manifest's {@code Main-Class}), or null
 * @param classesDir           compiled classes and processed resources ({@code target/classes})
 * @param dependencies         runtime dependency jars (release versions)
 * @param snapshotDependencies runtime dependency jars with SNAPSHOT versions (their own layer: they change often)
 * @param jvmFlags             flags for {@code java} in the entrypoint
 * @param ports                exposed ports: {@code 8080}, {@code 8080/tcp}, {@code 5353/udp}
 * @param labels               extra labels, {@code key=value}
 * @param extraTags            extra tags after the commit SHA, with tokens (see {@link Tags})
 * @param sourceUrl            the source repository URL for {@code org.opencontainers.image.source}, or null
 * @param push                 push to the registry (else a tarball, or the local engine with {@code toDocker})
 * @param toDocker             load into the local Docker engine instead of writing a tarball (only without push)
 * @param platforms            the platforms to build for ({@link Platforms#parse}); empty: the base image's
 *                             platforms when it is an index and the image is pushed, else {@value Platforms#DEFAULT}
 */
public record ImageRequest(ProjectInfo project, GitInfo git, String environment, String image, String baseImage,
                           String mainClass, Path artifactJar, Path classesDir, List<Path> dependencies,
                           List<Path> snapshotDependencies, List<String> jvmFlags, List<String> ports,
                           List<String> labels, List<String> extraTags, String sourceUrl, boolean push,
                           boolean toDocker, List<String> platforms) {

    public ImageRequest {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(git, "git");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(classesDir, "classesDir");
        dependencies = List.copyOf(dependencies);
        snapshotDependencies = List.copyOf(snapshotDependencies);
        jvmFlags = List.copyOf(jvmFlags);
        ports = List.copyOf(ports);
        labels = List.copyOf(labels);
        extraTags = List.copyOf(extraTags);
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
    }

    /** A request for the default platforms. */
    public ImageRequest(ProjectInfo project, GitInfo git, String environment, String image, String baseImage,
                        String mainClass, Path artifactJar, Path classesDir, List<Path> dependencies,
                        List<Path> snapshotDependencies, List<String> jvmFlags, List<String> ports,
                        List<String> labels, List<String> extraTags, String sourceUrl, boolean push,
                        boolean toDocker) {
        this(project, git, environment, image, baseImage, mainClass, artifactJar, classesDir, dependencies,
                snapshotDependencies, jvmFlags, ports, labels, extraTags, sourceUrl, push, toDocker, List.of());
    }

    /** This request for other platforms. */
    public ImageRequest withPlatforms(List<String> platforms) {
        return new ImageRequest(project, git, environment, image, baseImage, mainClass, artifactJar, classesDir,
                dependencies, snapshotDependencies, jvmFlags, ports, labels, extraTags, sourceUrl, push, toDocker,
                platforms);
    }

    /** Where the tarball goes when the image is neither pushed nor loaded: {@code target/deployer/image.tar}. */
    public Path tarball() {
        return project.deployerDir().resolve("image.tar");
    }
}
