package dev.deployer.maven;

import dev.deployer.core.CommandRunner;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.ProcessRunner;
import dev.deployer.core.Shutdown;
import dev.deployer.deploy.LiveExecutor;
import dev.deployer.deploy.Plan;
import dev.deployer.deploy.PrintingExecutor;
import dev.deployer.deploy.Runbook;
import dev.deployer.deploy.Target;
import dev.deployer.deploy.TargetContext;
import dev.deployer.deploy.Targets;
import dev.deployer.platform.SshTunnel;
import dev.deployer.verify.Sleeper;
import java.time.Clock;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows and releases the deploy lock of a stack on purpose: the way out when a deploy was killed and left its lock
 * behind. Prints who held it and since when. Runs the runbook's unlock plan. See docs/deploy.md.
 */
@Mojo(name = "unlock", requiresProject = false, threadSafe = true)
public class UnlockMojo extends AbstractDeployerMojo {

    /**
     * Where the stack runs: {@code compose}, {@code swarm} or {@code quantum}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.target", defaultValue = "compose")
    private String target;

    /**
     * The stack or Compose project whose lock to release.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.stack", defaultValue = "${project.artifactId}")
    private String stack;

    /**
     * Print what the unlock would do (the CLI equivalent of the record removal) and change nothing.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.dryRun", defaultValue = "false")
    private boolean dryRun;

    /** Runs commands; a harness test sets a scripted one, so that it starts no process. */
    CommandRunner runner;

    @Override
    protected void run() {
        TargetContext context = new TargetContext(runner != null ? runner : new ProcessRunner(log()), log(), System::getenv,
                Clock.systemUTC());
        if (dryRun) {
            new PrintingExecutor(log()).print(Runbook.unlock(Targets.create(target, context, true), stack));
            return;
        }
        try (SshTunnel tunnel = SshTunnel.openFor(context)) {
            Target chosen = Targets.create(target, tunnel.context());
            Plan plan = Runbook.unlock(chosen, stack);
            new LiveExecutor(tunnel.context(), chosen, Sleeper.real(), GitHubActions.fromSystem(), Shutdown.jvm()).unlock(plan);
        }
    }
}
