package dev.deployer.platform.compose;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.deployer.deploy.ServiceHealth;
import java.util.List;

/** A Compose service's health from the states of its containers (as the engine's inspect reports them). */
final class ComposeHealth {

    private ComposeHealth() {
    }

    /**
     * The worst of the containers: one restarting, exited or unhealthy fails the service; one created but not
     * started or whose health check has not passed yet is still starting.
     */
    static ServiceHealth of(String service, List<InspectContainerResponse.ContainerState> states) {
        if (states.isEmpty()) {
            return new ServiceHealth(service, ServiceHealth.Status.STARTING, "no container yet");
        }
        ServiceHealth.Status worst = ServiceHealth.Status.HEALTHY;
        String detail = "";
        for (InspectContainerResponse.ContainerState state : states) {
            String health = state.getHealth() == null ? null : state.getHealth().getStatus();
            if (Boolean.TRUE.equals(state.getRestarting()) || !Boolean.TRUE.equals(state.getRunning())) {
                if ("created".equals(state.getStatus())) {
                    worst = max(worst, ServiceHealth.Status.STARTING);
                    detail = "created, not started yet";
                } else {
                    worst = ServiceHealth.Status.FAILED;
                    detail = state.getStatus() + " (exit code " + state.getExitCodeLong() + ")";
                }
            } else if ("unhealthy".equals(health)) {
                worst = ServiceHealth.Status.FAILED;
                detail = "health check failing";
            } else if ("starting".equals(health)) {
                worst = max(worst, ServiceHealth.Status.STARTING);
                detail = "health check not passed yet";
            } else if (worst == ServiceHealth.Status.HEALTHY) {
                detail = states.size() + " running" + (health == null ? " (no health check)" : ", healthy");
            }
        }
        return new ServiceHealth(service, worst, detail);
    }

    /** The worse of two: FAILED over STARTING over HEALTHY. */
    private static ServiceHealth.Status max(ServiceHealth.Status a, ServiceHealth.Status b) {
        return severity(a) >= severity(b) ? a : b;
    }

    private static int severity(ServiceHealth.Status status) {
        return switch (status) {
            case HEALTHY -> 0;
            case STARTING -> 1;
            case FAILED -> 2;
        };
    }
}
