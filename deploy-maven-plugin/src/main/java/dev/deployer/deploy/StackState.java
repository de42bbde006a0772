package dev.deployer.deploy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What runs in a stack now, read from the target before anything changes: the rollback point.
 *
 * @param stack    the stack name
 * @param services the services found (empty when the stack does not exist)
 */
public record StackState(String stack, List<ServiceState> services) {

    public StackState {
        Objects.requireNonNull(stack, "stack");
        services = List.copyOf(services);
    }

    public static StackState empty(String stack) {
        return new StackState(stack, List.of());
    }

    public boolean exists() {
        return !services.isEmpty();
    }

    public Optional<ServiceState> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * One service as it runs.
     *
     * @param name    the service name
     * @param image   the image reference in the service definition, e.g. {@code repo:tag@sha256:…}
     * @param digest  the content digest of the running image ({@code sha256:…}), or null when unknown
     * @param running how many containers / tasks run
     */
    public record ServiceState(String name, String image, String digest, int running) {
        public ServiceState {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(image, "image");
        }
    }
}
