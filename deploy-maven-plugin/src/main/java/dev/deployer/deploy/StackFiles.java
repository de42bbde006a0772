package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import dev.deployer.render.Placeholders;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads what deploying needs from a rendered stack file: services, dependencies, groups, secret placeholders. */
public final class StackFiles {

    /** The label that puts a service into an explicit deploy phase: data, backend, frontend, proxy, or an integer (0 first). */
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
                return Phases.group(value, name, origin);
            }
        }
        return -1;
    }

    /**
     * The deploy groups, in order ({@link Phases#of}): a service's group is its {@code dev.deployer.group} label, else
     * its depth in the {@code depends_on} graph (services without dependencies first: data services, then what uses
     * them, ...).
     */
    public static List<List<String>> groups(List<StackService> services, String origin) {
        return Phases.of(services, origin).groups();
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
