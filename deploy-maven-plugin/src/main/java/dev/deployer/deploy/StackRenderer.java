package dev.deployer.deploy;

import dev.deployer.core.ImageRef;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Renders the stack for one image, in deploy mode: secrets as {@code ${NAME}} placeholders. The Maven layer
 * adapts the render core ({@code dev.deployer.render}) to this. The runbook renders only while it holds the
 * stack's lock, so two deploys from one checkout never overwrite each other's files; a rollback from the history
 * redeploys the stack file kept there instead of rendering.
 */
public interface StackRenderer {

    /**
     * The names of the secrets the templates reference, without rendering: checked (read from the environment)
     * before anything remote happens, the lock included.
     */
    List<String> secretNames(ImageRef image);

    /**
     * The declared variables ({@code <variables>}) by name: a stack file's {@code ${NAME}} placeholder of a declared
     * variable gets this value in the deploy command's environment (placeholders of anything else than a declared
     * secret or variable are refused when rendering).
     */
    default java.util.Map<String, String> variables() {
        return java.util.Map.of();
    }

    /** Renders into {@code directory} and says which file is the stack and which secrets it references. */
    Rendered render(ImageRef image, Path directory);

    /**
     * What rendering produced.
     *
     * @param stackFile   the stack file (compose format) to deploy
     * @param files       every file written (the stack file, a {@code .quantum} descriptor, ...)
     * @param secretNames the names of the secrets the templates reference, read from the environment
     */
    record Rendered(Path stackFile, List<Path> files, List<String> secretNames) {
        public Rendered {
            Objects.requireNonNull(stackFile, "stackFile");
            files = List.copyOf(files);
            secretNames = List.copyOf(secretNames);
        }
    }
}
