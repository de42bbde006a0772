package dev.deployer.maven;

import org.apache.maven.plugins.annotations.Mojo;

/**
 * Redeploys the previous good version of the stack, from the deploy history kept on the target (so it works from a
 * fresh checkout), or the version named with {@code -Ddeployer.tag=<sha>}, through the same verified path as
 * {@code deployer:deploy}. See docs/deploy.md.
 */
@Mojo(name = "rollback", threadSafe = true)
public class RollbackMojo extends AbstractStackMojo {

    @Override
    protected void run() {
        onTarget(context -> deployment(context).rollback(request(context)));
    }
}
