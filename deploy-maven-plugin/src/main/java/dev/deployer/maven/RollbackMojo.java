package dev.deployer.maven;

import dev.deployer.deploy.Deployment;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Redeploys the previous good version of the stack, from the deploy history kept on the target (so it works from a
 * fresh checkout), or the version named with {@code -Ddeployer.tag=<sha>}, through the same verified path as
 * {@code deployer:deploy}. Reference: the plugin site, page rollback-mojo.html.
 */
@Mojo(name = "rollback", threadSafe = true)
public class RollbackMojo extends AbstractStackMojo {

    @Override
    protected void run() {
        if (rootOwned() && !isReleaseRoot()) {
            getLog().info("Skipping deployer:rollback: the reactor root " + releaseRoot().getArtifactId()
                    + " rolls back the release (deployer.releaseOwner=root)");
            return;
        }
        String notAService = notAService();
        if (notAService != null) {
            getLog().info("Skipping deployer:rollback: " + notAService);
            return;
        }
        java.util.Optional<org.apache.maven.project.MavenProject> owner = releaseOwner();
        if (owner.isPresent()) {
            getLog().info("Skipping deployer:rollback: module " + project.getArtifactId() + " is an image module of the release"
                    + " of " + owner.get().getArtifactId() + ", which deploys it");
            return;
        }
        guardedRun(true, Deployment::rollback);
    }
}
