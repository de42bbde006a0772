package dev.deployer.maven;

import dev.deployer.core.Environments;
import dev.deployer.core.ProcessRunner;
import dev.deployer.deploy.StackLock;
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
 * behind. Prints who held it and since when. Reference: the plugin site, page unlock-mojo.html.
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

    @Override
    protected void run() {
        try (SshTunnel tunnel = SshTunnel.openFor(new TargetContext(new ProcessRunner(log()), log(), System::getenv, Clock.systemUTC()))) {
            unlock(tunnel.context());
        }
    }

    private void unlock(TargetContext context) {
        Environments settings = environments();
        String target = settings.value(Environments.TARGET, this.target);
        String configured = settings.value(Environments.STACK, this.stack);
        String stack = configured != null ? configured : project.getArtifactId();
        Target chosen = Targets.create(target, context);
        StackLock lock = new StackLock(chosen.store(), context.clock(), Sleeper.real(), log());
        lock.holder(stack).ifPresentOrElse(holder -> {
            log().warn("Releasing the deploy lock of '" + stack + "' on " + target + ", held by " + holder);
            lock.release(stack);
            log().info("Released. Make sure that deploy is really dead: its steps will not continue.");
        }, () -> log().info("Stack '" + stack + "' on " + target + " is not locked"));
    }
}
