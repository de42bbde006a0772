package dev.deployer.deploy;

import java.util.List;
import java.util.Objects;

/**
 * A service of a rendered stack file, as far as deploying needs it.
 *
 * @param name        the service name
 * @param image       its {@code image:} value
 * @param dependsOn   the services it depends on ({@code depends_on}, list or map form)
 * @param group       the explicit deploy group from the label {@code dev.deployer.group}, or -1 when not set
 * @param healthCheck whether the service (or its image) declares a health check in the file
 */
public record StackService(String name, String image, List<String> dependsOn, int group, boolean healthCheck) {

    public StackService {
        Objects.requireNonNull(name, "name");
        dependsOn = List.copyOf(dependsOn);
    }
}
