package dev.deployer.platform.quantum;

import dev.deployer.deploy.ServiceHealth;
import dev.deployer.deploy.StackState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What a stack's tasks ({@code ps --output json}) say: the state, the health and the latest tasks of its services. */
final class QuantumTaskViews {

    private QuantumTaskViews() {
    }

    /** Per service, the image and digest of its newest wanted task and how many wanted tasks run. */
    static StackState state(String stack, List<QuantumTask> tasks) {
        Map<String, List<QuantumTask>> byService = new LinkedHashMap<>();
        for (QuantumTask task : tasks) {
            if (task.wanted()) {
                byService.computeIfAbsent(task.service(), name -> new ArrayList<>()).add(task);
            }
        }
        List<StackState.ServiceState> services = new ArrayList<>();
        byService.forEach((service, wanted) -> {
            QuantumTask newest = wanted.stream().max(Comparator.comparing(QuantumTask::createdAt)).orElseThrow();
            int running = (int) wanted.stream().filter(QuantumTask::running).count();
            services.add(new StackState.ServiceState(service, newest.image(), newest.digest(), running));
        });
        return new StackState(stack, services);
    }

    /**
     * One look. quantum-cli's own {@code --wait} already waited for convergence, so this mostly confirms: every
     * wanted task running is healthy (Swarm reports a task with a health check as running only once it passes), a
     * wanted task that failed is a failure.
     */
    static List<ServiceHealth> health(String stack, List<String> services, List<QuantumTask> tasks) {
        Map<String, List<QuantumTask>> byService = new LinkedHashMap<>();
        for (String name : services) {
            byService.put(name, new ArrayList<>());
        }
        for (QuantumTask task : tasks) {
            if (services.isEmpty() || services.contains(task.service())) {
                byService.computeIfAbsent(task.service(), name -> new ArrayList<>()).add(task);
            }
        }
        if (byService.isEmpty()) {
            return List.of(new ServiceHealth(stack, ServiceHealth.Status.STARTING, "no service yet"));
        }
        List<ServiceHealth> result = new ArrayList<>();
        byService.forEach((service, of) -> result.add(healthOf(service, of)));
        return result;
    }

    static ServiceHealth healthOf(String service, List<QuantumTask> tasks) {
        List<QuantumTask> wanted = tasks.stream().filter(QuantumTask::wanted).toList();
        long running = wanted.stream().filter(QuantumTask::running).count();
        String counts = running + "/" + wanted.size() + " running";
        if (wanted.isEmpty()) {
            return new ServiceHealth(service, ServiceHealth.Status.STARTING, "no task yet");
        }
        List<QuantumTask> failed = wanted.stream().filter(QuantumTask::ended).toList();
        if (!failed.isEmpty()) {
            QuantumTask last = failed.get(failed.size() - 1);
            return new ServiceHealth(service, ServiceHealth.Status.FAILED, counts + ", task " + last.state()
                    + (last.error().isEmpty() ? "" : ": " + last.error()));
        }
        return running == wanted.size()
                ? new ServiceHealth(service, ServiceHealth.Status.HEALTHY, counts)
                : new ServiceHealth(service, ServiceHealth.Status.STARTING, counts);
    }

    /**
     * quantum-cli has no command for a service's log output; what it can tell is the recent tasks with their states
     * and errors, newest first, which is what this returns.
     */
    static String latest(String stack, String service, int lines, List<QuantumTask> tasks) {
        List<QuantumTask> latest = tasks.stream().filter(t -> t.service().equals(service))
                .sorted(Comparator.comparing(QuantumTask::createdAt).reversed()).limit(Math.max(1, lines)).toList();
        if (latest.isEmpty()) {
            return "(no task of " + service + " in stack " + stack + ")";
        }
        return "(quantum-cli shows no logs; the service's latest tasks, newest first)\n" + latest.stream()
                .map(t -> t.createdAt() + "  " + t.desiredState() + "/" + t.state() + "  " + t.image()
                        + (t.error().isEmpty() ? "" : "  " + t.error()))
                .collect(Collectors.joining("\n"));
    }
}
