package dev.deployer.core;

import java.nio.file.Path;
import java.util.List;
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
 * @param buildDirs   the build directories of this project and of every module of its reactor: build outputs, never
 *                    part of a dirty tree (see {@link GitInfo#read(ProjectInfo, CommandRunner, java.util.function.Function)})
 */
public record ProjectInfo(String groupId, String artifactId, String version, String packaging, Path basedir, Path buildDir,
                          List<Path> buildDirs) {

    /** A project alone (no reactor around it): only its own build directory is output. */
    public ProjectInfo(String groupId, String artifactId, String version, String packaging, Path basedir, Path buildDir) {
        this(groupId, artifactId, version, packaging, basedir, buildDir, List.of(buildDir));
    }

    public ProjectInfo {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(packaging, "packaging");
        Objects.requireNonNull(basedir, "basedir");
        Objects.requireNonNull(buildDir, "buildDir");
        buildDirs = buildDirs.contains(buildDir) ? List.copyOf(buildDirs)
                : java.util.stream.Stream.concat(java.util.stream.Stream.of(buildDir), buildDirs.stream()).toList();
    }

    /** Where Deployer writes its outputs: {@code target/deployer}. */
    public Path deployerDir() {
        return buildDir.resolve("deployer");
    }
}
