package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The ordered deploy phases of a stack, the one place every target takes them from. A service's phase is its
 * {@value StackFiles#GROUP_LABEL} label ({@code data}, {@code backend}, {@code frontend}, {@code proxy}, or an
 * integer; the names are 0 to 3), else its depth in the {@code depends_on} graph: services without dependencies first
 * (data services), then what uses them, and so on. Phases are numbered from 1 in the order they deploy.
 *
 * <p>Compose starts each phase with {@code up -d --no-deps}; Swarm and Quantum deploy, per phase, the cumulative
 * stack file ({@link #cumulativeText}: the services of phases 1..k with every top-level network, volume, config and
 * secret) and restore after a failure phase by phase in reverse order ({@link #phaseText}).
 *
 * @param phases the phases in deploy order, each with its services in file order
 */
public record Phases(List<Phase> phases) {

    /** The names the group label accepts besides integers, in deploy order (data = 0 … proxy = 3). */
    public static final List<String> NAMES = List.of("data", "backend", "frontend", "proxy");

    /**
     * One phase.
     *
     * @param number   1 for the first phase
     * @param services its services, in file order
     */
    public record Phase(int number, List<String> services) {
        public Phase {
            services = List.copyOf(services);
        }
    }

    public Phases {
        phases = List.copyOf(phases);
    }

    /** The phases of {@code services}; {@code origin} names the stack file in errors (a cycle, an unknown dependency). */
    public static Phases of(List<StackService> services, String origin) {
        Map<String, StackService> byName = new LinkedHashMap<>();
        services.forEach(s -> byName.put(s.name(), s));
        Map<String, Integer> depth = new LinkedHashMap<>();
        for (StackService service : services) {
            depth(service.name(), byName, depth, new LinkedHashSet<>(), origin);
        }
        Map<Integer, List<String>> groups = new TreeMap<>();
        for (StackService service : services) {
            int group = service.group() >= 0 ? service.group() : depth.get(service.name());
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(service.name());
        }
        List<Phase> phases = new ArrayList<>();
        groups.values().forEach(names -> phases.add(new Phase(phases.size() + 1, names)));
        return new Phases(phases);
    }

    /**
     * The group a {@value StackFiles#GROUP_LABEL} label value stands for: {@code data} 0, {@code backend} 1,
     * {@code frontend} 2, {@code proxy} 3, or the integer itself (0 or more).
     */
    static int group(String value, String service, String origin) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        int named = NAMES.indexOf(text);
        if (named >= 0) {
            return named;
        }
        try {
            int number = Integer.parseInt(text);
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // the error below
        }
        throw new DeployerException("Service '" + service + "': label " + StackFiles.GROUP_LABEL + "=" + value
                + " is neither a phase name nor a number", origin,
                "use data, backend, frontend or proxy (deployed in that order), or an integer (0 first)");
    }

    /** How many phases. */
    public int size() {
        return phases.size();
    }

    /** One phase: the stack deploys as a whole, as it always did. */
    public boolean single() {
        return phases.size() <= 1;
    }

    /** Phase {@code number} (1 for the first). */
    public Phase phase(int number) {
        return phases.get(number - 1);
    }

    /** The services of phases 1..{@code number}, in phase order. */
    public List<String> upTo(int number) {
        List<String> names = new ArrayList<>();
        phases.subList(0, number).forEach(phase -> names.addAll(phase.services()));
        return names;
    }

    /** Each phase's services as a list, in deploy order (Compose's groups). */
    public List<List<String>> groups() {
        return phases.stream().map(Phase::services).toList();
    }

    /**
     * The steps of a deploy in phases, or ({@code restore}) of a restore: one step per phase from {@code step}, given
     * the phase and whether it is the one that deploys the whole stack file, each followed by the health gate of its
     * services (the whole file's gate watches every service). A deploy runs phases 1..n, the last being the whole file
     * (so later phases keep their version until their turn); a restore runs n..1, each phase's services alone first
     * and phase 1 as the whole file.
     */
    public List<Step> steps(boolean restore, java.util.function.BiFunction<Phase, Boolean, Step> step) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            Phase phase = phase(restore ? size() - i : i + 1);
            boolean whole = phase.number() == (restore ? 1 : size());
            steps.add(step.apply(phase, whole));
            steps.add(Step.awaitHealthy(whole ? List.of() : phase.services()));
        }
        return steps;
    }

    /**
     * The name of a phase's own file next to {@code stackFile}: {@code stack.yml} → {@code stack.phase-1.yml}.
     */
    public static String fileName(Path stackFile, int number) {
        String name = stackFile.getFileName().toString();
        String stem = name.replaceFirst("\\.ya?ml$", "");
        return stem + ".phase-" + number + ".yml";
    }

    /**
     * The stack file with only the services of phases 1..{@code number} (what a phase deploys: earlier phases again,
     * unchanged, and later phases left out), every top-level section kept. A {@code depends_on} on a service left out
     * is dropped from the copy.
     */
    public String cumulativeText(String stackText, int number, String origin) {
        return withOnly(stackText, new LinkedHashSet<>(upTo(number)), origin);
    }

    /** The stack file with only the services of phase {@code number}, every top-level section kept (a restore step). */
    public String phaseText(String stackText, int number, String origin) {
        return withOnly(stackText, new LinkedHashSet<>(phase(number).services()), origin);
    }

    @SuppressWarnings("unchecked")
    private static String withOnly(String stackText, Set<String> keep, String origin) {
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(stackText);
        } catch (RuntimeException e) {
            throw new DeployerException("The stack file is not valid YAML: " + e.getMessage(), origin,
                    "fix the template that produced it and run deployer:render to preview");
        }
        if (!(loaded instanceof Map<?, ?> map) || !(map.get("services") instanceof Map<?, ?>)) {
            throw new DeployerException("The stack file has no 'services:'", origin, "the template must define at least one service");
        }
        Map<String, Object> root = new LinkedHashMap<>((Map<String, Object>) map);
        Map<String, Object> services = new LinkedHashMap<>((Map<String, Object>) root.get("services"));
        services.keySet().removeIf(name -> !keep.contains(name));
        services.replaceAll((name, definition) -> withoutMissingDependencies(definition, keep));
        root.put("services", services);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(options).dump(root);
    }

    @SuppressWarnings("unchecked")
    private static Object withoutMissingDependencies(Object definition, Set<String> keep) {
        if (!(definition instanceof Map<?, ?> map) || map.get("depends_on") == null) {
            return definition;
        }
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) map);
        Object dependsOn = copy.get("depends_on");
        if (dependsOn instanceof Collection<?> list) {
            List<Object> kept = list.stream().filter(d -> keep.contains(String.valueOf(d))).map(d -> (Object) d).toList();
            if (kept.isEmpty()) {
                copy.remove("depends_on");
            } else {
                copy.put("depends_on", kept);
            }
        } else if (dependsOn instanceof Map<?, ?> depMap) {
            Map<Object, Object> kept = new LinkedHashMap<>(depMap);
            kept.keySet().removeIf(d -> !keep.contains(String.valueOf(d)));
            if (kept.isEmpty()) {
                copy.remove("depends_on");
            } else {
                copy.put("depends_on", kept);
            }
        }
        return copy;
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

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        phases.forEach(phase -> parts.add(phase.number() + ": " + String.join(", ", phase.services())));
        return String.join("; ", parts);
    }
}
