package dev.deployer.deploy;

import java.util.Objects;

/**
 * The health of one service at one moment, as its target sees it.
 *
 * @param service the service name
 * @param status  where it stands
 * @param detail  a short human explanation ("1/1 running, healthy", "exited with code 1", "health check failing")
 */
public record ServiceHealth(String service, Status status, String detail) {

    public ServiceHealth {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    public enum Status {
        /** Not there yet, or starting, or its health check has not passed yet: keep waiting. */
        STARTING,
        /** Running the expected version and healthy (or running, when it has no health check). */
        HEALTHY,
        /** Failed for good (exited, unhealthy, rolled back by the orchestrator): stop waiting. */
        FAILED
    }
}
