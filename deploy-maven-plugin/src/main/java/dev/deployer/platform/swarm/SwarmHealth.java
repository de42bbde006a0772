package dev.deployer.platform.swarm;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceUpdateState;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeState;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import dev.deployer.deploy.ServiceHealth;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A Swarm service's health from its spec, its update status and its tasks (as the engine lists them). */
final class SwarmHealth {

    /** Failed tasks of the current spec after which a service counts as failed (Swarm keeps restarting it). */
    private static final int FAILED_TASKS = 2;

    private SwarmHealth() {
    }

    /**
     * {@code tasks} without those on nodes that are not ready (down, disconnected, unknown): a lost node cannot report
     * that its tasks stopped, so the manager keeps listing them in their last state. A task not yet given a node stays.
     */
    static List<Task> onReadyNodes(List<Task> tasks, List<SwarmNode> nodes) {
        Set<String> notReady = nodes.stream()
                .filter(node -> node.getStatus() == null || node.getStatus().getState() != SwarmNodeState.READY)
                .map(SwarmNode::getId).collect(Collectors.toSet());
        return notReady.isEmpty() ? tasks : tasks.stream().filter(task -> !notReady.contains(task.getNodeId())).toList();
    }

    /**
     * Failed when Swarm rolls the update back or paused it, or when {@value #FAILED_TASKS} tasks of the current spec
     * failed since the update; healthy when the wanted replicas of the current spec run and no task of the previous
     * spec still does; else starting.
     */
    static ServiceHealth of(Service service, String name, List<Task> tasks) {
        if (service.getUpdateStatus() != null && service.getUpdateStatus().getState() != null) {
            ServiceUpdateState state = service.getUpdateStatus().getState();
            // a completed rollback is not a failure by itself: the spec is the previous one again, and the runbook
            // notices that the wanted digest does not run
            if (state == ServiceUpdateState.ROLLBACK_STARTED || state == ServiceUpdateState.ROLLBACK_PAUSED
                    || state == ServiceUpdateState.PAUSED) {
                return new ServiceHealth(name, ServiceHealth.Status.FAILED, "Swarm update " + state.name().toLowerCase()
                        + ": " + service.getUpdateStatus().getMessage());
            }
        }
        String image = service.getSpec().getTaskTemplate().getContainerSpec().getImage();
        ContainerSpec wanted = service.getSpec().getTaskTemplate().getContainerSpec();
        Instant since = service.getUpdatedAt() == null ? Instant.EPOCH : service.getUpdatedAt().toInstant();
        int running = 0;
        int failed = 0;
        int old = 0;
        String lastError = "";
        for (Task task : tasks) {
            // only tasks of the current spec count: the CLI no longer waits (detached), so right after the deploy the
            // old tasks still run, perhaps with the same image and another environment
            if (task.getStatus() == null) {
                continue;
            }
            if (task.getSpec() == null || task.getSpec().getContainerSpec() == null
                    || !image.equals(task.getSpec().getContainerSpec().getImage())
                    || !wanted.equals(task.getSpec().getContainerSpec())) {
                // a task of the previous spec: while it still runs (start-first: until its successor is healthy, then
                // while it drains) the update has not converged
                if (task.getStatus().getState() == TaskState.RUNNING) {
                    old++;
                }
                continue;
            }
            TaskState state = task.getStatus().getState();
            if (state == TaskState.RUNNING && task.getDesiredState() == TaskState.RUNNING) {
                running++;
            } else if ((state == TaskState.FAILED || state == TaskState.REJECTED) && created(task).isAfter(since.minusSeconds(1))) {
                failed++;
                lastError = task.getStatus().getErr() != null ? task.getStatus().getErr() : task.getStatus().getMessage();
            }
        }
        Long replicas = service.getSpec().getMode() != null && service.getSpec().getMode().getReplicated() != null
                ? service.getSpec().getMode().getReplicated().getReplicas() : null;
        long replicasWanted = replicas == null ? 1 : replicas;
        if (failed >= FAILED_TASKS) {
            return new ServiceHealth(name, ServiceHealth.Status.FAILED, failed + " tasks failed: " + lastError);
        }
        if (running >= replicasWanted && old > 0) {
            return new ServiceHealth(name, ServiceHealth.Status.STARTING, running + "/" + replicasWanted + " running, "
                    + old + " task(s) of the previous spec still running (draining)");
        }
        if (running >= replicasWanted) {
            return new ServiceHealth(name, ServiceHealth.Status.HEALTHY, running + "/" + replicasWanted + " running");
        }
        return new ServiceHealth(name, ServiceHealth.Status.STARTING, running + "/" + replicasWanted + " running"
                + (failed > 0 ? ", " + failed + " failed: " + lastError : ""));
    }

    private static Instant created(Task task) {
        try {
            return Instant.parse(task.getCreatedAt());
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
