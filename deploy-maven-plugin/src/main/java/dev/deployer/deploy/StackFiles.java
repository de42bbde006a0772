package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import dev.deployer.render.Placeholders;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads what deploying needs from a rendered stack file: services, dependencies, groups, secret placeholders. */
public final class StackFiles {

    /** The label that puts a service into an explicit deploy group (0 first). */
    public static final String GROUP_LABEL = "dev.deployer.group";

    private StackFiles() {
    }

    /** The services of {@code text} in file order; {@code origin} names the file in errors. */
    @SuppressWarnings("unchecked")
    public static List<StackService> services(String text, String origin) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            throw new DeployerException("The stack file is not valid YAML: " + e.getMessage(), origin,
                    "fix the template that produced it and run deployer:render to preview");
        }
        if (!(root instanceof Map<?, ?> map) || !(map.get("services") instanceof Map<?, ?> services) || services.isEmpty()) {
            throw new DeployerException("The stack file has no 'services:'", origin, "the template must define at least one service");
        }
        List<StackService> result = new ArrayList<>();
        for (Map.Entry<?, ?> entry : services.entrySet()) {
            String name = String.valueOf(entry.getKey());
            Map<String, Object> service = entry.getValue() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            Object image = service.get("image");
            List<String> dependsOn = new ArrayList<>();
            Object deps = service.get("depends_on");
            if (deps instanceof Collection<?> list) {
                list.forEach(d -> dependsOn.add(String.valueOf(d)));
            } else if (deps instanceof Map<?, ?> depMap) {
                depMap.keySet().forEach(d -> dependsOn.add(String.valueOf(d)));
            }
            result.add(new StackService(name, image == null ? "" : String.valueOf(image), dependsOn, group(service, name, origin),
                    service.get("healthcheck") instanceof Map<?, ?> hc && !Boolean.TRUE.equals(hc.get("disable"))));
        }
        return result;
    }

    /**
     * The {@code deploy.placement.constraints} of service {@code service} in {@code text} (empty when it has none): the
     * Swarm nodes it may run on, for the architecture check.
     */
    public static List<String> placementConstraints(String text, String service, String origin) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            throw new DeployerException("The stack file is not valid YAML: " + e.getMessage(), origin,
                    "fix the template that produced it and run deployer:render to preview");
        }
        if (root instanceof Map<?, ?> map && map.get("services") instanceof Map<?, ?> services
                && services.get(service) instanceof Map<?, ?> definition
                && definition.get("deploy") instanceof Map<?, ?> deploy
                && deploy.get("placement") instanceof Map<?, ?> placement
                && placement.get("constraints") instanceof Collection<?> constraints) {
            return constraints.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    @SuppressWarnings("unchecked")
    private static int group(Map<String, Object> service, String name, String origin) {
        List<Object> sources = new ArrayList<>();
        sources.add(service.get("labels"));
        if (service.get("deploy") instanceof Map<?, ?> deploy) {
            sources.add(deploy.get("labels"));
        }
        for (Object labels : sources) {
            String value = null;
            if (labels instanceof Map<?, ?> map && map.get(GROUP_LABEL) != null) {
                value = String.valueOf(map.get(GROUP_LABEL));
            } else if (labels instanceof Collection<?> list) {
                for (Object item : list) {
                    String text = String.valueOf(item);
                    if (text.startsWith(GROUP_LABEL + "=")) {
                        value = text.substring(GROUP_LABEL.length() + 1);
                    }
                }
            }
            if (value != null) {
                try {
                    return Integer.parseInt(value.strip());
                } catch (NumberFormatException e) {
                    throw new DeployerException("Service '" + name + "': label " + GROUP_LABEL + "=" + value + " is not a number",
                            origin, "use 0 for data services, 1 for backends, 2 for frontends, 3 for the proxy");
                }
            }
        }
        return -1;
    }

    /**
     * The deploy groups, in order: a service's group is its {@code dev.deployer.group} label, else its depth in the
     * {@code depends_on} graph (services without dependencies first: data services, then what uses them, ...).
     */
    public static List<List<String>> groups(List<StackService> services, String origin) {
        Map<String, StackService> byName = new LinkedHashMap<>();
        services.forEach(s -> byName.put(s.name(), s));
        Map<String, Integer> depth = new LinkedHashMap<>();
        for (StackService service : services) {
            depth(service.name(), byName, depth, new LinkedHashSet<>(), origin);
        }
        Map<Integer, List<String>> groups = new java.util.TreeMap<>();
        for (StackService service : services) {
            int group = service.group() >= 0 ? service.group() : depth.get(service.name());
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(service.name());
        }
        return List.copyOf(groups.values());
    }

    private static int depth(String name, Map<String, StackService> byName, Map<String, Integer> depth, Set<String> path, String origin) {
        if (depth.containsKey(name)) {
            return depth.get(name);
        }
        StackService service = byName.get(name);
        if (service == null) {
            throw new DeployerException("A service depends on '" + name + "', which the stack file does not define", origin,
                    "add the service or remove it from depends_on");
        }
        if (!path.add(name)) {
            throw new DeployerException("depends_on forms a cycle: " + String.join(" -> ", path) + " -> " + name, origin,
                    "remove one of the dependencies");
        }
        int result = 0;
        for (String dependency : service.dependsOn()) {
            result = Math.max(result, depth(dependency, byName, depth, path, origin) + 1);
        }
        path.remove(name);
        depth.put(name, result);
        return result;
    }

    /**
     * The names of the interpolation placeholders in {@code text} ({@code ${NAME}}, {@code $NAME}, {@code ${NAME:-x}} …;
     * not {@code $${NAME}}, an escaped literal), in order of first use.
     */
    public static List<String> placeholders(String text) {
        return Placeholders.names(text);
    }

    /** The names {@code text} needs: placeholders without a default or alternative ({@code ${NAME}}, {@code $NAME}, {@code ${NAME:?e}}). */
    public static List<String> requiredPlaceholders(String text) {
        return Placeholders.find(text).stream().filter(Placeholders.Placeholder::required).map(Placeholders.Placeholder::name)
                .distinct().toList();
    }
}
