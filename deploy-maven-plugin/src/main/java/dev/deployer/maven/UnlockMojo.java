package dev.deployer.maven;

import dev.deployer.core.ProcessRunner;
import dev.deployer.deploy.StackLock;
import dev.deployer.deploy.Target;
import dev.deployer.deploy.TargetContext;
import dev.deployer.deploy.Targets;
import dev.deployer.platform.SshTunnel;
import dev.deployer.verify.Sleeper;
import java.time.Clock;
import java.time.Duration;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows and breaks the deploy lock of a stack on purpose: the way out when a deploy was killed and left its lock
 * behind. Prints who held it, where, since when and which version; refuses a lock younger than the lock timeout
 * unless {@code -Ddeployer.unlockYoung=true}. See docs/deploy.md.
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
        try (SshTunnel tunnel = SshTunnel.openFor(new TargetContext(new ProcessRunner(log()), log(), System::getenv, Clock.systemUTC()))) {
            unlock(tunnel.context());
        }
    }

    private void unlock(TargetContext context) {
        Target chosen = Targets.create(target, context);
        StackLock lock = new StackLock(chosen.store(), context.clock(), Sleeper.real(), log());
        lock.breakLock(stack, Duration.ofSeconds(lockTimeout), unlockYoung).ifPresentOrElse(
                holder -> log().info("Released. Make sure that deploy is really dead: its steps will not continue."),
                () -> log().info("Stack '" + stack + "' on " + target + " is not locked"));
    }
}
