package dev.deployer.render;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file a render wrote.
 *
 * @param file      where it was written, e.g. {@code target/deployer/production/stack.yml} (absolute)
 * @param name      its path relative to the output directory, with {@code /}, e.g. {@code stack.yml}
 * @param template  the template it came from, relative to the project ({@code src/main/deploy/stack.yml.vm}),
 *                  or null for files Deployer generates itself (the {@code .quantum} descriptor)
 * @param content   what was written (secrets as {@code [REDACTED]} or {@code ${NAME}} placeholders, never values)
 */
public record RenderedFile(Path file, String name, String template, String content) {

    public RenderedFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
    }

    /** Whether this is a YAML file ({@code .yml} / {@code .yaml}), checked after rendering. */
    public boolean yaml() {
        return name.endsWith(".yml") || name.endsWith(".yaml");
    }

    /**
     * Whether a Compose file with top-level {@code services:} is a Swarm/Quantum stack: every file except those whose
     * name starts with {@code docker-compose} (those are plain Compose files).
     */
    public boolean swarmStack() {
        String fileName = name.substring(name.lastIndexOf('/') + 1);
        return !fileName.startsWith("docker-compose");
    }
}
