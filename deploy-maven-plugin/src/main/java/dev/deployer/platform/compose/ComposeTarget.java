package dev.deployer.platform.compose;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.deployer.core.Ahead;
import dev.deployer.core.Command;
import dev.deployer.deploy.DeployPlan;
import dev.deployer.deploy.ServiceHealth;
import dev.deployer.deploy.StackFiles;
import dev.deployer.deploy.StackService;
import dev.deployer.deploy.StackState;
import dev.deployer.deploy.Step;
import dev.deployer.deploy.Target;
import dev.deployer.deploy.TargetContext;
import dev.deployer.deploy.TargetStore;
import dev.deployer.platform.ContainerStore;
import dev.deployer.platform.DockerEngine;
import dev.deployer.platform.EngineSupport;
import dev.deployer.platform.PlatformTargetFactory;
import dev.deployer.platform.VolumeStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Docker Compose: {@code docker compose} (v2 plugin) when installed, else {@code docker-compose} (v1), on the engine
 * of {@code DOCKER_HOST}. Deploys in ordered, health-gated groups: each group is started with
 * {@code up -d --no-deps <services>} and must be healthy before the next starts (see {@link StackFiles#groups});
 * a failed deploy's previous version comes back group by group in reverse order ({@link #restore}). A service labelled
 * {@value ProxiedService#LABEL} is deployed blue/green behind its Caddy proxy instead ({@link BlueGreen}: the new
 * containers start beside the old ones, around the group's health gate); every other service is replaced in place,
 * which the plan's first line says.
 */
public final class ComposeTarget implements Target {

    static final String PROJECT_LABEL = "com.docker.compose.project";
    static final String SERVICE_LABEL = "com.docker.compose.service";
    static final String CONFIG_HASH_LABEL = "com.docker.compose.config-hash";

    private final TargetContext context;
    private final Ahead<DockerEngine.Connection> engine;
    private final Ahead<List<String>> compose;
    /** stack → the IDs of its containers when this target first read it: {@link #remove} never touches them */
    private final Map<String, Set<String>> seenAtFirstRead = new ConcurrentHashMap<>();
    private final BlueGreen blueGreen;

    public ComposeTarget(TargetContext context) {
        this(context, false);
    }

    /** @param ahead connect to the engine and find the Compose command now, in the background (see {@link Ahead}) */
    private ComposeTarget(TargetContext context, boolean ahead) {
        this.context = context;
        this.engine = DockerEngine.connection(context.env(), ahead);
        this.compose = Ahead.of(ahead, "finding the Compose command", () -> ComposeProgram.find(context));
        this.blueGreen = new BlueGreen(context, this, (plan, args) -> composeCommand(plan, args.toArray(String[]::new)));
    }

    /** Registers the target as {@code compose}; it connects and finds the Compose command at once, in the background. */
    public static final class Factory extends PlatformTargetFactory {
        public Factory() {
            super("compose", ComposeTarget::new);
        }
    }

    @Override
    public String name() {
        return "compose";
    }

    DockerClient docker() {
        return engine.get().client();
    }

    List<String> compose() {
        return compose.get();
    }

    @Override
    public void check() {
        compose();
        try {
            docker().pingCmd().exec();
        } catch (RuntimeException e) {
            throw DockerEngine.unreachable(e, "start the engine or point DOCKER_HOST at it");
        }
    }

    private Command composeCommand(DeployPlan plan, String... args) {
        List<String> argv = new ArrayList<>(compose());
        argv.addAll(List.of("-p", plan.stack(), "-f", plan.stackFile().getFileName().toString()));
        argv.addAll(List.of(args));
        return Command.of(argv).in(plan.directory()).withSecrets(plan.secrets());
    }

    /** The engine's platform: everything of a Compose project runs there. */
    @Override
    public java.util.Optional<dev.deployer.deploy.NodeQuery> nodes(DeployPlan plan) {
        return java.util.Optional.of(dev.deployer.platform.NodePlatforms.engineQuery(this::docker));
    }

    @Override
    public List<Step> deploy(DeployPlan plan) {
        return steps(plan, false);
    }

    /**
     * After a failure, {@code plan} (what ran before) comes back group by group in reverse order, the last group first,
     * each health-gated; the first group last, with {@code --remove-orphans} (the containers of services the failed
     * deploy added). A service behind its proxy comes back blue/green too: when its old containers still run the
     * restored configuration they keep serving and only this run's containers go. One group: as {@link #deploy}.
     */
    @Override
    public List<Step> restore(DeployPlan plan) {
        return steps(plan, dependenciesUp(plan));
    }

    /**
     * Whether the first group (the services nothing else is started before: the data services) still runs, so that a
     * restore can undo the deploy in reverse order. When one of them has failed (stopped: the engine restarted and
     * stopped every container; or unhealthy: the data service itself failed), nothing later can become healthy before
     * it: the restore then starts the groups in their deploy order, dependencies first. A look that fails (the engine
     * does not answer) keeps the reverse order.
     */
    private boolean dependenciesUp(DeployPlan plan) {
        List<List<String>> groups = StackFiles.groups(plan.services(), plan.stackFile().toString());
        if (groups.size() <= 1) {
            return false;
        }
        try {
            List<String> down = health(plan.stack(), groups.get(0)).stream().filter(h -> h.status() == ServiceHealth.Status.FAILED)
                    .map(h -> h.service() + " (" + h.detail() + ")").toList();
            if (!down.isEmpty()) {
                context.log().info("Restoring in deploy order (dependencies first): " + String.join(", ", down) + " now");
            }
            return down.isEmpty();
        } catch (RuntimeException e) {
            return true;
        }
    }

    private List<Step> steps(DeployPlan plan, boolean restore) {
        Map<String, ProxiedService> proxied = new LinkedHashMap<>();
        ProxiedService.of(plan.stackText(), plan.stackFile().toString()).forEach(service -> proxied.put(service.name(), service));
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.Note(zeroDowntime(plan, proxied)));
        steps.addAll(pulls(plan));
        List<List<String>> groups = StackFiles.groups(plan.services(), plan.stackFile().toString());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            order.add(restore ? groups.size() - 1 - i : i);
        }
        int lastInPlace = -1;
        for (int i : order) {
            if (groups.get(i).stream().anyMatch(service -> !proxied.containsKey(service))) {
                lastInPlace = i;
            }
        }
        String verb = restore && groups.size() > 1 ? "Restoring group " : "Starting group ";
        for (int i : order) {
            List<String> group = groups.get(i);
            List<String> inPlace = group.stream().filter(service -> !proxied.containsKey(service)).toList();
            if (!inPlace.isEmpty()) {
                List<String> args = new ArrayList<>(List.of("up", "-d", "--no-deps"));
                if (i == lastInPlace) {
                    args.add("--remove-orphans");
                }
                args.addAll(inPlace);
                steps.add(Step.run(verb + (i + 1) + "/" + groups.size() + ": " + String.join(", ", inPlace)
                        + (proxied.isEmpty() ? "" : " (replaced in place, health-gated)"), composeCommand(plan, args.toArray(String[]::new)),
                        plan.timeout()));
            }
            group.stream().filter(proxied::containsKey).forEach(service -> steps.add(blueGreen.start(plan, proxied.get(service))));
            steps.add(Step.awaitHealthy(group));
            group.stream().filter(proxied::containsKey).forEach(service -> steps.add(blueGreen.finish(plan, proxied.get(service))));
        }
        return steps;
    }

    /** The registry an image reference names, for the log and a failed pull's message. */
    private static String registryOf(String image) {
        try {
            return dev.deployer.core.ImageRef.parse(image).registry();
        } catch (RuntimeException e) {
            return "of '" + image + "'";
        }
    }

    /** Every image pulled before anything changes; docker pull (Go) is much faster than the v1 tool's pull. */
    private List<Step> pulls(DeployPlan plan) {
        List<Step> steps = new ArrayList<>();
        plan.services().stream().map(StackService::image).filter(image -> !image.isBlank() && !image.contains("$")).distinct()
                .forEach(image -> steps.add(Step.prepare("Pulling " + image + " from registry " + registryOf(image),
                        Command.of("docker", "pull", "--quiet", image), plan.timeout())));
        return steps;
    }

    /** The one line saying how each service is deployed: blue/green behind its proxy, or replaced in place. */
    private static String zeroDowntime(DeployPlan plan, Map<String, ProxiedService> proxied) {
        if (proxied.isEmpty()) {
            return "# no service has the label " + ProxiedService.LABEL + " (no proxy in front): each service is replaced in place"
                    + " (stopped, then started), health-gated";
        }
        List<String> inPlace = plan.serviceNames().stream().filter(service -> !proxied.containsKey(service)).toList();
        return "# blue/green behind a proxy: " + proxied.values().stream().map(s -> s.name() + " (proxy '" + s.proxy() + "')")
                .collect(Collectors.joining(", ")) + (inPlace.isEmpty() ? "" : "; replaced in place (never two at once),"
                + " health-gated: " + String.join(", ", inPlace));
    }

    /**
     * {@code docker rm -f} of the project's containers that this run created: those the target did not see when
     * it first read the stack ({@link #current}, the rollback point, read under the lock before anything changed).
     * A container that existed before (a stopped data service, say) is never removed, and neither is any volume
     * ({@code rm} without {@code -v}). The project's network goes too once no container is left on it.
     */
    @Override
    public List<Step> remove(String stack) {
        Set<String> before = seenAtFirstRead.getOrDefault(stack, Set.of());
        List<Container> all = containers(stack, null, true);
        List<String> ids = all.stream().map(Container::getId).filter(id -> !before.contains(id)).toList();
        List<String> kept = all.stream().filter(c -> before.contains(c.getId()))
                .map(c -> c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId()).toList();
        if (!kept.isEmpty()) {
            context.log().info("Leaving the container(s) that existed before this deploy: " + String.join(", ", kept));
        }
        List<Step> steps = new ArrayList<>();
        if (!ids.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("docker", "rm", "-f"));
            argv.addAll(ids);
            steps.add(Step.run("Removing the containers this deploy created in " + stack, Command.of(argv), Duration.ofMinutes(2)));
        }
        boolean network = kept.isEmpty() && !docker().listNetworksCmd().withNameFilter(stack + "_default").exec().isEmpty();
        if (network) {
            steps.add(Step.run("Removing the network of " + stack, Command.of("docker", "network", "rm", stack + "_default"), Duration.ofMinutes(1)));
        }
        return steps;
    }

    List<Container> containers(String stack, String service, boolean all) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PROJECT_LABEL, stack);
        if (service != null) {
            labels.put(SERVICE_LABEL, service);
        }
        return docker().listContainersCmd().withShowAll(all).withLabelFilter(labels).exec();
    }

    /**
     * Every container of the project, running or not: a stack whose containers are all stopped exists (its
     * next deploy is not a first deploy, and a failure never removes it). Per service, the image and digest of
     * its running containers, or of its stopped ones when none runs; {@code running} counts the running ones.
     */
    @Override
    public String describeCurrent(String stack) {
        return Command.of("docker", "ps", "--filter", "label=" + PROJECT_LABEL + "=" + stack).display()
                + "  # then docker inspect of each container: image and digest";
    }

    @Override
    public StackState current(String stack) {
        List<Container> containers = containers(stack, null, true);
        seenAtFirstRead.putIfAbsent(stack, containers.stream().map(Container::getId).collect(Collectors.toUnmodifiableSet()));
        Map<String, List<InspectContainerResponse>> byService = new LinkedHashMap<>();
        for (Container container : containers) {
            String service = container.getLabels().get(SERVICE_LABEL);
            if (service == null) {
                continue;
            }
            try {
                byService.computeIfAbsent(service, name -> new ArrayList<>()).add(docker().inspectContainerCmd(container.getId()).exec());
            } catch (NotFoundException e) {
                // removed meanwhile
            }
        }
        List<StackState.ServiceState> services = new ArrayList<>();
        byService.forEach((service, inspected) -> {
            List<InspectContainerResponse> running = inspected.stream()
                    .filter(i -> i.getState() != null && Boolean.TRUE.equals(i.getState().getRunning())).toList();
            InspectContainerResponse shown = (running.isEmpty() ? inspected : running).get(0);
            String image = shown.getConfig().getImage();
            String digest = EngineSupport.digestOf(image);
            if (digest == null) {
                digest = EngineSupport.repoDigest(docker(), shown.getImageId(), EngineSupport.repositoryOf(image));
            }
            services.add(new StackState.ServiceState(service, image, digest, running.size()));
        });
        return new StackState(stack, services);
    }

    @Override
    public List<ServiceHealth> health(String stack, List<String> services) {
        List<String> names = services.isEmpty() ? current(stack).services().stream().map(StackState.ServiceState::name).toList() : services;
        List<ServiceHealth> result = new ArrayList<>();
        for (String service : names) {
            result.add(health(stack, service));
        }
        return result;
    }

    private ServiceHealth health(String stack, String service) {
        List<InspectContainerResponse.ContainerState> states = new ArrayList<>();
        for (Container container : containers(stack, service, true)) {
            try {
                states.add(docker().inspectContainerCmd(container.getId()).exec().getState());
            } catch (NotFoundException e) {
                return new ServiceHealth(service, ServiceHealth.Status.STARTING, "container being replaced");
            }
        }
        return ComposeHealth.of(service, states);
    }

    @Override
    public String logs(String stack, String service, int lines) {
        List<Container> containers = containers(stack, service, true);
        if (containers.isEmpty()) {
            return "(no container of " + service + ")";
        }
        EngineSupport.LogCollector collector = new EngineSupport.LogCollector();
        docker().logContainerCmd(containers.get(0).getId()).withStdOut(true).withStdErr(true).withTail(lines).exec(collector);
        return collector.await();
    }

    @Override
    public TargetStore store() {
        return new VolumeStore(() -> engine.get().http(), new ContainerStore(this::docker));
    }
}
