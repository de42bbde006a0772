package dev.deployer.maven;

import dev.deployer.core.CommandRunner;
import dev.deployer.core.Environments;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.ProcessRunner;
import dev.deployer.core.Shutdown;
import dev.deployer.deploy.LiveExecutor;
import dev.deployer.deploy.Plan;
import dev.deployer.deploy.PrintingExecutor;
import dev.deployer.deploy.Runbook;
import dev.deployer.deploy.StackLock;
import dev.deployer.deploy.Target;
import dev.deployer.deploy.TargetContext;
import dev.deployer.deploy.Targets;
import dev.deployer.platform.SshTunnel;
import dev.deployer.verify.Sleeper;
import java.time.Clock;
import java.time.Duration;
import dev.deployer.platform.quantum.QuantumCli;
import dev.deployer.platform.quantum.QuantumTarget;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows and breaks the deploy lock of a stack on purpose: the way out when a deploy was killed and left its lock
 * behind. Prints who held it, where, since when and which version; refuses a lock younger than the lock timeout
 * unless {@code -Ddeployer.unlockYoung=true}. Runs the runbook's unlock plan. Reference: the plugin site, page
 * unlock-mojo.html.
 */
@Mojo(name = "unlock", requiresProject = false, threadSafe = true)
public class UnlockMojo extends AbstractDeployerMojo {

    /**
     * Where the stack runs: {@code compose}, {@code swarm} or {@code quantum}. Default: the environment's, as for
     * {@code deployer:deploy}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.target")
    private String target;

    /**
     * The stack or Compose project whose lock to release. Default: the environment's, as for {@code deployer:deploy}
     * ({@code <artifactId>-qa} in qa), else the artifactId.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.stack")
    private String stack;

    /**
     * Print what the unlock would do (the CLI equivalent of the record removal) and change nothing.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.dryRun", defaultValue = "false")
    private boolean dryRun;

    /**
     * The quantum-cli binary for {@code deployer.target=quantum}: a path, or a name looked up on the PATH. As for
     * {@code deployer:deploy}.
     *
     * @since 0.2.0
     */
    @Parameter(property = "deployer.quantumCli", defaultValue = QuantumTarget.DEFAULT_CLI)
    private String quantumCli;

    /**
     * Seconds each read-only quantum-cli query may take for {@code deployer.target=quantum}. As for
     * {@code deployer:deploy}.
     *
     * @since 0.2.0
     */
    @Parameter(property = QuantumCli.QUERY_TIMEOUT_PARAMETER, defaultValue = "60")
    private String quantumQueryTimeout;

    /** Runs commands; a harness test sets a scripted one, so that it starts no process. */
    CommandRunner runner;

    /** The process environment (a test hands in its own). */
    java.util.function.Function<String, String> environmentVariables = System::getenv;

    /**
     * Seconds: a lock younger than this is refused (its deploy may still run) unless {@code unlockYoung} is set.
     * The same property as the deploy goals' lock timeout.
     *
     * @since 0.2.0
     */
    @Parameter(property = "deployer.lockTimeout", defaultValue = "300")
    private int lockTimeout;

    /**
     * Break the lock even when it is younger than {@code lockTimeout}: only when you know its deploy is dead.
     *
     * @since 0.2.0
     */
    @Parameter(property = StackLock.UNLOCK_YOUNG, defaultValue = "false")
    private boolean unlockYoung;

    @Override
    protected void run() {
        TargetContext context = new TargetContext(runner != null ? runner : new ProcessRunner(log()), log(),
                environmentVariables, Clock.systemUTC(),
                QuantumTarget.options(quantumCli, quantumQueryTimeout));
        Environments settings = environments();
        String target = settings.value(Environments.TARGET, this.target);
        String configured = settings.value(Environments.STACK, this.stack);
        String stack = configured != null ? configured : project.getArtifactId();
        if (dryRun) {
            new PrintingExecutor(log()).print(Runbook.unlock(Targets.create(target, context, true), stack));
            return;
        }
        try (SshTunnel tunnel = SshTunnel.openFor(context)) {
            Target chosen = Targets.create(target, tunnel.context());
            Plan plan = Runbook.unlock(chosen, stack);
            new LiveExecutor(tunnel.context(), chosen, Sleeper.real(), GitHubActions.fromSystem(), Shutdown.jvm())
                    .unlock(plan, Duration.ofSeconds(lockTimeout), unlockYoung);
        }
    }
}
