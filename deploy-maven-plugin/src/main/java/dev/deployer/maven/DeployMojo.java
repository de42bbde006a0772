package dev.deployer.maven;

import dev.deployer.deploy.Deployment;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Deploys the image {@code deployer:build} pushed ({@code target/deployer/image.json}), or {@code -Ddeployer.tag=<sha>}
 * from the registry, to Compose, Swarm or Quantum: renders the stack, takes the stack's lock, records what runs,
 * deploys in health-gated steps, verifies (container health, health URL, smoke checks) and rolls back automatically
 * when anything fails. Reference: the plugin site, page deploy-mojo.html.
 */
@Mojo(name = "deploy", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class DeployMojo extends AbstractStackMojo {

    @Override
    protected void run() {
        String notAService = notAService();
        if (notAService != null) {
            getLog().info("Skipping deployer:deploy: " + notAService);
            return;
        }
        java.util.Optional<org.apache.maven.project.MavenProject> owner = releaseOwner();
        if (owner.isPresent()) {
            getLog().info("Skipping deployer:deploy: module " + project.getArtifactId() + " is an image module of the release"
                    + " of " + owner.get().getArtifactId() + ", which deploys it");
            return;
        }
        guardedRun(false, Deployment::deploy);
    }
}
