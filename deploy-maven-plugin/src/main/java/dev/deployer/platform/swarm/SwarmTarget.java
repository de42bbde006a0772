package dev.deployer.platform.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.deployer.core.Ahead;
import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import dev.deployer.deploy.DeployPlan;
import dev.deployer.deploy.Phases;
import dev.deployer.deploy.ServiceHealth;
import dev.deployer.deploy.StackState;
import dev.deployer.deploy.Step;
import dev.deployer.deploy.Target;
import dev.deployer.deploy.TargetContext;
import dev.deployer.deploy.TargetStore;
import dev.deployer.platform.ConfigStore;
import dev.deployer.platform.DockerEngine;
import dev.deployer.platform.EngineSupport;
import dev.deployer.platform.PlatformTargetFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker Swarm: {@code docker stack deploy --with-registry-auth} (detached; {@code --detach=true} when the client
 * has the flag, whose default is no longer the same on every version), then the runbook's health gate waits until
 * every service runs the new spec with passing health checks. The stack
 * file's {@code deploy.update_config.failure_action: rollback} lets Swarm itself undo a failing update; the
 * runbook sees that as a failed service and redeploys the recorded version either way. A stack of several
 * {@link Phases} deploys phase by phase, each health-gated, and is restored in reverse phase order ({@link #deploy},
 * {@link #restore}); each service's {@code update_config}/{@code rollback_config} stay as rendered.
 */
public final class SwarmTarget implements Target {

    static final String NAMESPACE_LABEL = "com.docker.stack.namespace";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private final TargetContext context;
    private final Ahead<DockerEngine.Connection> engine;
    private final Ahead<Boolean> detachFlag;

    public SwarmTarget(TargetContext context) {
        this(context, false);
    }

    /** @param ahead connect to the engine and ask the docker CLI about {@code --detach} now, in the background (see {@link Ahead}) */
    private SwarmTarget(TargetContext context, boolean ahead) {
        this.context = context;
        this.engine = DockerEngine.connection(context.env(), ahead);
        this.detachFlag = Ahead.of(ahead, "asking docker stack deploy --help", () -> findDetachFlag(context));
    }

    /** Registers the target as {@code swarm}; it connects and asks the docker CLI at once, in the background. */
    public static final class Factory extends PlatformTargetFactory {
        public Factory() {
            super("swarm", SwarmTarget::new);
        }
    }

    @Override
    public String name() {
        return "swarm";
    }

    DockerClient docker() {
        return engine.get().client();
    }

    /** The raw HTTP client under {@link #docker()}, for the Swarm config calls docker-java does not model. */
    private DockerHttpClient http() {
        return engine.get().http();
    }

    /** Whether the installed docker client's {@code stack deploy} knows {@code --detach} (docker 23+). */
    boolean detachFlag() {
        return detachFlag.get();
    }

    private static boolean findDetachFlag(TargetContext context) {
        CommandRunner.Result help = context.runner().run(Command.of("docker", "stack", "deploy", "--help"), PROBE_TIMEOUT);
        if (!help.succeeded()) {
            throw DeployerException.of("'docker stack deploy --help' failed: " + help.tail(5),
                    "install the docker CLI (it deploys Swarm stacks)");
        }
        return help.output().contains("--detach");
    }

    @Override
    public void check() {
        detachFlag();
        Info info;
        try {
            info = docker().infoCmd().exec();
        } catch (RuntimeException e) {
            throw DockerEngine.unreachable(e, "start the engine or point DOCKER_HOST at a Swarm manager");
        }
        if (info.getSwarm() == null || info.getSwarm().getControlAvailable() == null || !info.getSwarm().getControlAvailable()) {
            throw new DeployerException("The Docker engine is not a Swarm manager", "deployer.target=swarm",
                    "run 'docker swarm init' on it, point DOCKER_HOST at a manager, or use -Ddeployer.target=compose");
        }
    }

    /** The Swarm nodes the app service's placement constraints select. */
    @Override
    public java.util.Optional<dev.deployer.deploy.NodeQuery> nodes(DeployPlan plan) {
        return java.util.Optional.of(dev.deployer.platform.NodePlatforms.swarmQuery(plan,
                () -> dev.deployer.platform.NodePlatforms.swarmNodes(docker())));
    }

    /**
     * One {@code docker stack deploy} of the whole file when the stack has one phase. With more ({@link Phases}: the
     * {@code dev.deployer.group} labels, else {@code depends_on}), one per phase, each of the cumulative file of phases
     * 1..k ({@link #files}) and followed by a health gate on that phase's services: a later phase's services keep
     * running their current version until their phase. Only the last phase, the whole stack file, has
     * {@code --prune} (an earlier one would remove the later phases' services).
     */
    @Override
    public List<Step> deploy(DeployPlan plan) {
        Phases phases = phases(plan);
        if (phases.single()) {
            return List.of(Step.run("Deploying stack " + plan.stack(), stackDeploy(plan, plan.stackFile().getFileName().toString(), true),
                    plan.timeout()).retryingOnceWhen(OUT_OF_SEQUENCE), Step.awaitHealthy(List.of()));
        }
        return phases.steps(false, (phase, whole) -> Step.run("Deploying phase " + phase.number() + "/" + phases.size()
                + " of stack " + plan.stack() + ": " + String.join(", ", phase.services()), stackDeploy(plan, phase, whole), plan.timeout()).retryingOnceWhen(OUT_OF_SEQUENCE));
    }

    /** With more than one phase: the cumulative stack file of each phase but the last (the stack file itself). */
    @Override
    public Map<String, String> files(DeployPlan plan) {
        Phases phases = phases(plan);
        Map<String, String> files = new LinkedHashMap<>();
        for (int k = 1; k < phases.size(); k++) {
            files.put(Phases.fileName(plan.stackFile(), k), phases.cumulativeText(plan.stackText(), k, plan.stackFile().toString()));
        }
        return files;
    }

    /**
     * After a failure, {@code plan} (what ran before) comes back phase by phase in reverse order: the last phase's
     * services first (their file alone, no {@code --prune}: every other service stays as it is), each followed by its
     * health gate, and phase 1 as the whole stack file with {@code --prune}, which also removes what the failed deploy
     * added. One phase: the whole file at once, as {@link #deploy}.
     */
    @Override
    public List<Step> restore(DeployPlan plan) {
        Phases phases = phases(plan);
        if (phases.single()) {
            return deploy(plan);
        }
        return phases.steps(true, (phase, whole) -> Step.run("Restoring phase " + phase.number() + "/" + phases.size()
                + " of stack " + plan.stack() + ": " + String.join(", ", phase.services()), stackDeploy(plan, phase, whole), plan.timeout()).retryingOnceWhen(OUT_OF_SEQUENCE));
    }

    /** The files {@link #restore} deploys: each phase's services alone, the first phase's being the stack file itself. */
    @Override
    public Map<String, String> restoreFiles(DeployPlan plan) {
        Phases phases = phases(plan);
        Map<String, String> files = new LinkedHashMap<>();
        for (int k = 2; k <= phases.size(); k++) {
            files.put(Phases.fileName(plan.stackFile(), k), phases.phaseText(plan.stackText(), k, plan.stackFile().toString()));
        }
        return files;
    }

    private static Phases phases(DeployPlan plan) {
        return Phases.of(plan.services(), plan.stackFile().toString());
    }

    /**
     * What {@code docker stack deploy} says when Swarm changed a service (the end of its own update's monitor window)
     * between the CLI's read and its update: nothing of that service changed, and deploying the same file again is safe.
     */
    static final String OUT_OF_SEQUENCE = "update out of sequence";

    /** The deploy of {@code phase}'s own file, or ({@code whole}) of the stack file with {@code --prune}. */
    private Command stackDeploy(DeployPlan plan, Phases.Phase phase, boolean whole) {
        return stackDeploy(plan, whole ? plan.stackFile().getFileName().toString() : Phases.fileName(plan.stackFile(), phase.number()), whole);
    }

    private Command stackDeploy(DeployPlan plan, String file, boolean prune) {
        List<String> argv = new ArrayList<>(List.of("docker", "stack", "deploy", "--with-registry-auth"));
        if (prune) {
            argv.add("--prune");
        }
        if (detachFlag()) {
            // detached: the runbook's own health gate watches convergence (tasks of the new spec running and
            // healthy), without the CLI's fixed "verifying that tasks are stable" wait, and a failing first deploy
            // fails within the health timeout instead of the step timeout
            argv.add("--detach=true");
        }
        argv.addAll(List.of("-c", file, plan.stack()));
        return Command.of(argv).in(plan.directory()).withSecrets(plan.secrets());
    }

    @Override
    public List<Step> remove(String stack) {
        if (services(stack).isEmpty()) {
            return List.of();
        }
        return List.of(Step.run("Removing stack " + stack, Command.of("docker", "stack", "rm", stack), Duration.ofMinutes(2)));
    }

    private List<Service> services(String stack) {
        return docker().listServicesCmd().withLabelFilter(Map.of(NAMESPACE_LABEL, stack)).exec();
    }

    private static String shortName(String stack, Service service) {
        String name = service.getSpec().getName();
        return name.startsWith(stack + "_") ? name.substring(stack.length() + 1) : name;
    }

    private static String specImage(Service service) {
        return service.getSpec().getTaskTemplate().getContainerSpec().getImage();
    }

    @Override
    public String describeCurrent(String stack) {
        return Command.of("docker", "service", "ls", "--filter", "label=" + NAMESPACE_LABEL + "=" + stack).display()
                + "  # then docker service ps of each service: image, digest, running tasks";
    }

    @Override
    public StackState current(String stack) {
        List<StackState.ServiceState> result = new ArrayList<>();
        for (Service service : services(stack)) {
            String image = specImage(service);
            long running = tasks(service).stream().filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING).count();
            result.add(new StackState.ServiceState(shortName(stack, service), image, EngineSupport.digestOf(image), (int) running));
        }
        return new StackState(stack, result);
    }

    /**
     * The service's tasks, without those on nodes that are not ready (down, disconnected): a lost node cannot report
     * that its tasks stopped, so the manager keeps showing them in their last state ("running"); counting them would
     * call a service healthy, or say it runs, on a machine that is gone.
     */
    private List<Task> tasks(Service service) {
        return SwarmHealth.onReadyNodes(docker().listTasksCmd().withServiceFilter(service.getId()).exec(),
                docker().listSwarmNodesCmd().exec());
    }

    @Override
    public List<ServiceHealth> health(String stack, List<String> names) {
        List<ServiceHealth> result = new ArrayList<>();
        List<Service> services = services(stack);
        if (services.isEmpty()) {
            return List.of(new ServiceHealth(stack, ServiceHealth.Status.STARTING, "no service yet"));
        }
        for (Service service : services) {
            String name = shortName(stack, service);
            if (names.isEmpty() || names.contains(name)) {
                result.add(SwarmHealth.of(service, name, tasks(service)));
            }
        }
        return result;
    }

    @Override
    public String logs(String stack, String service, int lines) {
        for (Service candidate : services(stack)) {
            if (shortName(stack, candidate).equals(service)) {
                EngineSupport.LogCollector collector = new EngineSupport.LogCollector();
                docker().logServiceCmd(candidate.getId()).withStdout(true).withStderr(true).withTail(lines).exec(collector);
                return collector.await();
            }
        }
        return "(no service " + service + ")";
    }

    @Override
    public TargetStore store() {
        return new ConfigStore(this::http);
    }
}
