package dev.deployer.deploy;

import dev.deployer.core.ImageRef;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders the stack for one image, in deploy mode (secrets as {@code ${NAME}} placeholders), in memory: a pure
 * function of the templates, the image, the variables and the secret mode. The runbook renders while it builds the
 * plan (so a dry run prints the exact commands and writes nothing); the plan's {@link Step.WriteFiles} step writes
 * the files under the stack's lock. The Maven layer adapts the render core ({@code dev.deployer.render}) to this.
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

    /** Renders every file for {@code image}; writes nothing. */
    Rendered render(ImageRef image);

    /**
     * Renders every file of a release: {@code image} as {@code $image}, {@code images} (by module artifactId) as
     * {@code $images}; writes nothing. A renderer that knows no {@code $images} renders {@code image} alone.
     */
    default Rendered render(ImageRef image, Map<String, ImageRef> images) {
        return render(image);
    }

    /** The secrets the templates reference when rendered for the release of {@code images}. */
    default List<String> secretNames(ImageRef image, Map<String, ImageRef> images) {
        return secretNames(image);
    }

    /**
     * What rendering produced.
     *
     * @param stackFile   the stack file to deploy (compose format), relative to the render directory
     * @param files       every file, relative name to content (the stack file, a {@code .quantum} descriptor, ...)
     * @param secretNames the names of the secrets the templates reference, read from the environment
     */
    record Rendered(String stackFile, Map<String, String> files, List<String> secretNames) {
        public Rendered {
            Objects.requireNonNull(stackFile, "stackFile");
            files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
            secretNames = List.copyOf(secretNames);
            if (!files.containsKey(stackFile)) {
                throw new IllegalArgumentException("the rendered files " + files.keySet() + " hold no " + stackFile);
            }
        }

        /** The stack file's text. */
        public String stackText() {
            return files.get(stackFile);
        }
    }
}
