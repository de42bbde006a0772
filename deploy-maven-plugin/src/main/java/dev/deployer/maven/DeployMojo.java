package dev.deployer.maven;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Deploys the image {@code deployer:build} pushed ({@code target/deployer/image.json}), or {@code -Ddeployer.tag=<sha>}
 * from the registry, to Compose, Swarm or Quantum: renders the stack, takes the stack's lock, records what runs,
 * deploys in health-gated steps, verifies (container health, health URL, smoke checks) and rolls back automatically
 * when anything fails. See docs/deploy.md.
 */
@Mojo(name = "deploy", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class DeployMojo extends AbstractStackMojo {

    @Override
    protected void run() {
        onTarget(context -> deployment(context).deploy(request(context)));
    }
}
