package dev.deployer.core;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An image module of a release: a module of the reactor whose image the release owner (the module with the stack
 * templates) deploys. Its {@code deployer:build} writes {@code image.json} into {@code deployerDir}; templates reach it
 * as {@code $images.<artifactId>}.
 *
 * @param artifactId  the module's artifactId: the key in {@code $images} and in the history record's {@code images}
 * @param repository  the module's image repository ({@code deployer.image}), or null when only its image.json says it
 * @param deployerDir the module's {@code target/deployer}
 */
public record ReleaseModule(String artifactId, String repository, Path deployerDir) {

    public ReleaseModule {
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(deployerDir, "deployerDir");
        repository = repository == null || repository.isBlank() ? null : repository.strip();
    }

    /** The module's image record, {@code target/deployer/image.json}. */
    public Path imageJson() {
        return deployerDir.resolve(BuiltImage.FILE);
    }
}
