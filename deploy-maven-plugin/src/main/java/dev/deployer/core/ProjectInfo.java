package dev.deployer.core;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the core needs to know about the Maven project, converted once by the Maven layer so that nothing
 * downstream sees {@code MavenProject}.
 *
 * @param groupId     the project's groupId
 * @param artifactId  the project's artifactId
 * @param version     the project's version
 * @param packaging   the project's packaging ({@code jar}, {@code pom}, ...)
 * @param basedir     the project's base directory
 * @param buildDir    the build directory, usually {@code target}
 */
public record ProjectInfo(String groupId, String artifactId, String version, String packaging, Path basedir, Path buildDir) {

    public ProjectInfo {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(packaging, "packaging");
        Objects.requireNonNull(basedir, "basedir");
        Objects.requireNonNull(buildDir, "buildDir");
    }

    /** Where Deployer writes its outputs: {@code target/deployer}. */
    public Path deployerDir() {
        return buildDir.resolve("deployer");
    }
}
