package dev.deployer.platform.quantum;

import com.github.dockerjava.transport.DockerHttpClient;
import dev.deployer.core.Command;
import dev.deployer.core.DeployerException;
import dev.deployer.core.Secret;
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
import dev.deployer.platform.PlatformTargetFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Planetary Quantum through {@code quantum-cli}: the rendered stack file and its {@code .quantum} descriptor
 * are deployed with the command form the installed CLI speaks ({@code stacks update --create --wait}, the
 * older {@code stack update}, or the v3 {@code stacks deploy -f}), found out before anything changes.
 *
 * <p>Credentials come only from the environment ({@link QuantumSettings}) and reach the CLI only in its
 * environment, as secrets, together with the stack's secrets that the platform interpolates into
 * {@code ${NAME}} placeholders. What runs now is read with {@code ps --output json}.
 *
 * <p>quantum-cli cannot keep records. With {@code DOCKER_HOST} (a manager of the endpoint's Swarm, the stronger
 * option) the deploy lock and history are Swarm configs there; without it the lock is the CI workflow's
 * concurrency group and the history the stack's own task history (see {@link #store()} and docs/quantum.md).
 */
public final class QuantumTarget implements Target {

    /** The binary's name on the PATH when {@code deployer.quantumCli} is not set. */
    public static final String DEFAULT_CLI = "quantum-cli";
    private static final Duration REMOVE_TIMEOUT = Duration.ofMinutes(2);

    private final TargetContext context;
    private final String binary;
    private QuantumCli cli;
    private DockerHttpClient engine;
    private com.github.dockerjava.api.DockerClient nodeClient;
    /** the locks this process took when the records live in the stack itself (no DOCKER_HOST) */
    private final java.util.concurrent.ConcurrentMap<String, TargetStore.StoredRecord> locks = new java.util.concurrent.ConcurrentHashMap<>();

    public QuantumTarget(TargetContext context, String binary) {
        this.context = context;
        this.binary = binary == null || binary.isBlank() ? DEFAULT_CLI : binary;
    }

    /**
     * The target options a goal hands over ({@value QuantumCli#PARAMETER}, {@value QuantumCli#QUERY_TIMEOUT_PARAMETER}),
     * each only when it is set.
     */
    public static Map<String, String> options(String quantumCli, String queryTimeout) {
        Map<String, String> options = new java.util.HashMap<>();
        if (quantumCli != null) {
            options.put(QuantumCli.PARAMETER, quantumCli);
        }
        if (queryTimeout != null) {
            options.put(QuantumCli.QUERY_TIMEOUT_PARAMETER, queryTimeout);
        }
        return Map.copyOf(options);
    }

    /**
     * Registers the target as {@code quantum}. The binary is the context's option {@value QuantumCli#PARAMETER},
     * else {@value #DEFAULT_CLI} on the PATH.
     */
    public static final class Factory extends PlatformTargetFactory {
        public Factory() {
            super("quantum", (context, ahead) -> new QuantumTarget(context, context.option(QuantumCli.PARAMETER)));
        }
    }

    @Override
    public String name() {
        return "quantum";
    }

    /** The CLI with its settings; the settings are read (and checked) the first time. */
    synchronized QuantumCli cli() {
        if (cli == null) {
            cli = new QuantumCli(binary, QuantumSettings.fromEnvironment(context.env(), context.log()), context.runner(),
                    context.log(), QuantumCli.queryTimeout(context.option(QuantumCli.QUERY_TIMEOUT_PARAMETER)));
        }
        return cli;
    }

    @Override
    public List<Secret> credentials() {
        return cli().settings().credentialSecrets();
    }

    /** Credentials and endpoint set, the CLI speaks a known form, and the platform accepts the credentials. */
    @Override
    public void check() {
        QuantumCli quantum = cli();
        quantum.detect();
        quantum.checkCredentials();
    }

    @Override
    public String describeCurrent(String stack) {
        return cli().ps(stack, false).display();
    }

    @Override
    public StackState current(String stack) {
        return QuantumTaskViews.state(stack, cli().tasks(stack, false));
    }

    /**
     * The {@code .quantum} descriptor naming the plan's stack file (e.g. a rollback's {@code stack.rollback.yml}); the
     * render's own descriptor names the rendered stack file and is kept when it does. With more than one
     * {@link Phases phase}: each earlier phase's cumulative stack file too, each an environment of the descriptor
     * ({@code <environment>-phase-<k>}) that the phase's deploy selects.
     */
    @Override
    public Map<String, String> files(DeployPlan plan) {
        return files(plan, false);
    }

    /** The files {@link #restore} deploys: each phase's services alone (phase 1 is the stack file itself). */
    @Override
    public Map<String, String> restoreFiles(DeployPlan plan) {
        return files(plan, true);
    }

    private Map<String, String> files(DeployPlan plan, boolean restore) {
        Phases phases = phases(plan);
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder descriptor = new StringBuilder(dev.deployer.render.TemplateRenderer.quantumDescriptor(
                plan.stackFile().getFileName().toString(), plan.environment()));
        for (int k = restore ? 2 : 1; k <= (restore ? phases.size() : phases.size() - 1); k++) {
            String name = Phases.fileName(plan.stackFile(), k);
            files.put(name, restore ? phases.phaseText(plan.stackText(), k, plan.stackFile().toString())
                    : phases.cumulativeText(plan.stackText(), k, plan.stackFile().toString()));
            descriptor.append("- name: ").append(phaseEnvironment(plan, k)).append('\n')
                    .append("  compose: ").append(name).append('\n');
        }
        Map<String, String> result = new LinkedHashMap<>();
        result.put(QuantumDescriptor.FILE, descriptor.toString());
        result.putAll(files);
        return result;
    }

    private static String phaseEnvironment(DeployPlan plan, int phase) {
        return plan.environment() + "-phase-" + phase;
    }

    private static Phases phases(DeployPlan plan) {
        return Phases.of(plan.services(), plan.stackFile().toString());
    }

    /**
     * With {@code DOCKER_HOST} (a manager of the endpoint's Swarm): the nodes the app service's placement constraints
     * select. Without it quantum-cli reports no node platforms: no check.
     */
    @Override
    public java.util.Optional<dev.deployer.deploy.NodeQuery> nodes(DeployPlan plan) {
        String dockerHost = context.env("DOCKER_HOST");
        if (dockerHost == null || dockerHost.isBlank()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(dev.deployer.platform.NodePlatforms.swarmQuery(plan,
                () -> dev.deployer.platform.NodePlatforms.swarmNodes(nodeClient())));
    }

    /** A docker-java client on the endpoint's manager, for reading its nodes (made when the check runs). */
    private synchronized com.github.dockerjava.api.DockerClient nodeClient() {
        if (nodeClient == null) {
            nodeClient = DockerEngine.connect(context.env());
        }
        return nodeClient;
    }

    /**
     * One deploy command in the detected form, then a health gate. With more than one {@link Phases phase}: one
     * command per phase, of the cumulative stack file of phases 1..k ({@link #files}), each followed by a health gate
     * on that phase's services; a later phase's services keep their current version until their phase.
     */
    @Override
    public List<Step> deploy(DeployPlan plan) {
        Phases phases = phases(plan);
        if (phases.single()) {
            return List.of(Step.run(description(plan, "Deploying stack " + plan.stack()), deployCommand(plan, 0),
                    plan.timeout()), Step.awaitHealthy(List.of()));
        }
        return phases.steps(false, (phase, whole) -> Step.run(description(plan, "Deploying phase " + phase.number() + "/"
                + phases.size() + " of stack " + plan.stack() + " (" + String.join(", ", phase.services()) + ")"),
                deployCommand(plan, whole ? 0 : phase.number()), plan.timeout()));
    }

    /**
     * After a failure, {@code plan} (what ran before) comes back phase by phase in reverse order: the last phase's
     * services alone first ({@link #restoreFiles}: every other service stays as it is), each followed by its health
     * gate, and phase 1 as the whole stack file. One phase: {@link #deploy}.
     */
    @Override
    public List<Step> restore(DeployPlan plan) {
        Phases phases = phases(plan);
        if (phases.single()) {
            return deploy(plan);
        }
        return phases.steps(true, (phase, whole) -> Step.run(description(plan, "Restoring phase " + phase.number() + "/"
                + phases.size() + " of stack " + plan.stack() + " (" + String.join(", ", phase.services()) + ")"),
                deployCommand(plan, whole ? 0 : phase.number()), plan.timeout()));
    }

    /** The deploy command of the stack file ({@code phase} 0) or of phase {@code phase}'s own file. */
    private Command deployCommand(DeployPlan plan, int phase) {
        QuantumDescriptor descriptor = QuantumDescriptor.of(plan.stackFile());
        if (phase == 0) {
            return cli().deploy(plan.stack(), descriptor.directory(), plan.stackFile(), plan.secrets());
        }
        return cli().deploy(plan.stack(), descriptor.directory(), plan.stackFile().resolveSibling(Phases.fileName(plan.stackFile(), phase)),
                phaseEnvironment(plan, phase), plan.secrets());
    }

    private String description(DeployPlan plan, String what) {
        // quantum-cli waits for the services itself (--wait; the v3 form always does), so the health wait
        // starts with this command, not with the health gate after it
        QuantumCli quantum = cli();
        return what + " to Quantum endpoint " + quantum.settings().endpoint() + " with 'quantum-cli "
                + quantum.detect().form().words() + "'. Waiting for health: quantum-cli returns once every service runs"
                + " healthy (up to " + plan.timeout().toSeconds() + " s)";
    }

    /** {@code <group> rm --stack S} when the CLI lists a removal command; nothing (with a warning) when it does not. */
    @Override
    public List<Step> remove(String stack) {
        if (!current(stack).exists()) {
            return List.of();
        }
        Command command = cli().remove(stack);
        if (command == null) {
            context.log().warn("quantum-cli " + cli().detect().version() + " has no command to remove a stack: remove '"
                    + stack + "' in the Quantum portal");
            return List.of();
        }
        return List.of(Step.run("Removing stack " + stack, command, REMOVE_TIMEOUT));
    }

    /** One look through {@code ps --output json} ({@link QuantumTaskViews#health}). */
    @Override
    public List<ServiceHealth> health(String stack, List<String> services) {
        return QuantumTaskViews.health(stack, services, cli().tasks(stack, false));
    }

    /** quantum-cli has no command for a service's log output: the service's latest tasks instead. */
    @Override
    public String logs(String stack, String service, int lines) {
        return QuantumTaskViews.latest(stack, service, lines, cli().tasks(stack, true));
    }

    /**
     * With {@code DOCKER_HOST} set: Swarm configs on that engine, a manager of the endpoint's Swarm (quantum-cli has
     * no command to keep a record, let alone atomically): a real lock and a history with the deployed stack files.
     * Without it: what quantum-cli and the workflow can reach ({@link QuantumStackStore}): the workflow's
     * concurrency group as the lock, the stack's own task history ({@code ps --all}) as the history.
     */
    @Override
    public TargetStore store() {
        String dockerHost = context.env("DOCKER_HOST");
        if (dockerHost == null || dockerHost.isBlank()) {
            return new QuantumStackStore(cli(), locks, context.env(), context.clock(), context.log());
        }
        return new ConfigStore(this::engine);
    }

    /** The endpoint engine's HTTP client, made once (each one is a connection pool of its own). */
    private synchronized DockerHttpClient engine() {
        if (engine == null) {
            try {
                engine = DockerEngine.http(context.env());
            } catch (RuntimeException e) {
                throw new DeployerException("Cannot reach the endpoint's Docker engine for the deploy lock and history: "
                        + e.getMessage(), "DOCKER_HOST",
                        "point DOCKER_HOST at a manager of the Quantum endpoint's Swarm (see docs/quantum.md)", e);
            }
        }
        return engine;
    }
}
