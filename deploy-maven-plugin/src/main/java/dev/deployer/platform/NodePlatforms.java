package dev.deployer.platform;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.SwarmNode;
import dev.deployer.core.DeployerException;
import dev.deployer.deploy.DeployPlan;
import dev.deployer.deploy.NodePlatform;
import dev.deployer.deploy.NodeQuery;
import dev.deployer.deploy.StackFiles;
import dev.deployer.deploy.StackService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads the platforms of the servers an image would run on, for {@link dev.deployer.deploy.ArchitectureCheck}: the
 * engine itself (Compose: {@code docker info}'s {@code OSType}/{@code Architecture}), or the Swarm nodes a service
 * may be scheduled on ({@code docker node ls}: each node's {@code Description.Platform}), narrowed by the service's
 * placement constraints. Only reads; nothing is pulled or changed.
 */
public final class NodePlatforms {

    private NodePlatforms() {
    }

    /**
     * A Swarm node as far as placement needs it.
     *
     * @param id           node ID
     * @param hostname     {@code node.hostname}
     * @param role         {@code manager} / {@code worker}
     * @param availability {@code active}, {@code pause}, {@code drain}
     * @param state        {@code ready}, {@code down}, ...
     * @param os           {@code node.platform.os} as reported ({@code linux})
     * @param machine      {@code node.platform.arch} as reported ({@code x86_64}, {@code aarch64})
     * @param labels       {@code node.labels.*} (set with docker node update --label-add)
     * @param engineLabels {@code engine.labels.*} (the daemon's labels)
     */
    public record Node(String id, String hostname, String role, String availability, String state, String os,
                       String machine, Map<String, String> labels, Map<String, String> engineLabels) {

        public Node {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            engineLabels = engineLabels == null ? Map.of() : Map.copyOf(engineLabels);
        }

        NodePlatform platform() {
            return NodePlatform.of(hostname, os, machine);
        }
    }

    /** The CLI equivalent of {@link #engine}. */
    public static final String DESCRIBE_ENGINE = "docker info --format '{{.OSType}}/{{.Architecture}}'  # the server's platform";

    /** The CLI equivalent of {@link #swarmNodes}. */
    public static final String DESCRIBE_NODES = "docker node inspect --format '{{.Description.Hostname}}"
            + " {{.Description.Platform.OS}}/{{.Description.Platform.Architecture}} {{.Spec.Availability}} {{.Status.State}}'"
            + " $(docker node ls -q)";

    /** The query of a Compose target: the engine itself, read when asked (a dry run only prints it). */
    public static NodeQuery engineQuery(Supplier<DockerClient> docker) {
        return new NodeQuery("the server", DESCRIBE_ENGINE, () -> List.of(engine(docker.get())));
    }

    /**
     * The query of a Swarm (also a Quantum endpoint's, through DOCKER_HOST): the ready, active nodes each app service of
     * {@code plan} (the services running its image) may be placed on by its {@code deploy.placement.constraints}.
     * {@code swarmNodes} reads the nodes ({@link #swarmNodes}); it is called only when the check runs.
     */
    public static NodeQuery swarmQuery(DeployPlan plan, Supplier<List<Node>> swarmNodes) {
        Map<String, List<String>> constraints = new LinkedHashMap<>();
        for (StackService service : plan.appServices()) {
            constraints.put(service.name(), StackFiles.placementConstraints(plan.stackText(), service.name(),
                    plan.stackFile().toString()));
        }
        String where = constraints.isEmpty() ? "the Swarm's nodes"
                : (constraints.size() == 1 ? "service " : "services ") + String.join(", ", constraints.keySet()) + "'s nodes";
        StringBuilder display = new StringBuilder(DESCRIBE_NODES);
        constraints.forEach((service, list) -> display.append("\n# ").append(service).append(": ").append(list.isEmpty()
                ? "every ready, active node" : "the ready, active nodes matching " + String.join(" and ", list)));
        return new NodeQuery(where, display.toString(), () -> {
            List<Node> nodes = swarmNodes.get();
            if (constraints.isEmpty()) {
                return selected(nodes, List.of());
            }
            Map<String, NodePlatform> union = new LinkedHashMap<>();
            constraints.values().forEach(list -> selected(nodes, list).forEach(node -> union.putIfAbsent(node.node(), node)));
            return List.copyOf(union.values());
        });
    }

    /** The engine's own platform (a Compose target runs everything there). */
    public static NodePlatform engine(DockerClient docker) {
        Info info = docker.infoCmd().exec();
        return NodePlatform.of(info.getName() == null ? "the engine" : info.getName(), info.getOsType(),
                info.getArchitecture());
    }

    /** Every Swarm node, as reported by a manager. */
    public static List<Node> swarmNodes(DockerClient docker) {
        List<Node> nodes = new ArrayList<>();
        for (SwarmNode node : docker.listSwarmNodesCmd().exec()) {
            var description = node.getDescription();
            var platform = description == null ? null : description.getPlatform();
            var spec = node.getSpec();
            nodes.add(new Node(node.getId(), description == null ? node.getId() : description.getHostname(),
                    spec == null || spec.getRole() == null ? "" : spec.getRole().name().toLowerCase(Locale.ROOT),
                    spec == null || spec.getAvailability() == null ? "active"
                            : spec.getAvailability().name().toLowerCase(Locale.ROOT),
                    node.getStatus() == null || node.getStatus().getState() == null ? ""
                            : node.getStatus().getState().name().toLowerCase(Locale.ROOT),
                    platform == null ? "" : platform.getOs(), platform == null ? "" : platform.getArchitecture(),
                    spec == null ? Map.of() : spec.getLabels(),
                    description == null || description.getEngine() == null ? Map.of()
                            : description.getEngine().getLabels()));
        }
        return nodes;
    }

    /**
     * The platforms of the ready, active nodes that {@code constraints} (a service's
     * {@code deploy.placement.constraints}) select.
     */
    public static List<NodePlatform> selected(List<Node> nodes, List<String> constraints) {
        List<NodePlatform> platforms = new ArrayList<>();
        for (Node node : nodes) {
            if (!"active".equals(node.availability()) || !"ready".equals(node.state())) {
                continue;
            }
            if (constraints.stream().allMatch(constraint -> matches(node, constraint))) {
                platforms.add(node.platform());
            }
        }
        return platforms;
    }

    /** Whether {@code node} satisfies one placement constraint ({@code key==value} or {@code key!=value}). */
    static boolean matches(Node node, String constraint) {
        String text = constraint.strip();
        int at = text.indexOf("==");
        boolean equal = true;
        if (at < 0) {
            at = text.indexOf("!=");
            equal = false;
        }
        if (at <= 0) {
            throw DeployerException.of("Placement constraint '" + constraint + "' is not key==value or key!=value",
                    "write constraints as Docker does, e.g. node.platform.arch==aarch64 or node.labels.tier!=db");
        }
        String key = text.substring(0, at).strip();
        String value = text.substring(at + 2).strip();
        String actual = value(node, key);
        // Docker compares node.platform.*, node.role, node.hostname and node.id case-insensitively for the first
        // two; labels exactly. Absent labels never equal a value.
        boolean same = actual != null && (key.startsWith("node.platform.") || key.equals("node.role")
                ? actual.equalsIgnoreCase(value) : actual.equals(value));
        return equal == same;
    }

    private static String value(Node node, String key) {
        return switch (key) {
            case "node.id" -> node.id();
            case "node.hostname" -> node.hostname();
            case "node.role" -> node.role();
            case "node.platform.os" -> node.os();
            case "node.platform.arch" -> node.machine();
            default -> {
                if (key.startsWith("node.labels.")) {
                    yield node.labels().get(key.substring("node.labels.".length()));
                }
                if (key.startsWith("engine.labels.")) {
                    yield node.engineLabels().get(key.substring("engine.labels.".length()));
                }
                throw DeployerException.of("Placement constraint key '" + key + "' is unknown",
                        "use node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<name>"
                                + " or engine.labels.<name>");
            }
        };
    }
}
