package dev.deployer.maven;

import dev.deployer.deploy.Deployment;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.project.MavenProject;

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
        if (rootOwned()) {
            runForTheRoot();
            return;
        }
        String notAService = notAService();
        if (notAService != null) {
            getLog().info("Skipping deployer:deploy: " + notAService);
            return;
        }
        Optional<MavenProject> owner = releaseOwner();
        if (owner.isPresent()) {
            getLog().info("Skipping deployer:deploy: module " + project.getArtifactId() + " is an image module of the release"
                    + " of " + owner.get().getArtifactId() + ", which deploys it");
            return;
        }
        guardedRun(false, Deployment::deploy);
    }

    @Override
    protected void skipped() {
        if (rootOwned()) {
            arrive(null);
        }
    }

    /**
     * {@code deployer.releaseOwner=root}: the root hands its deploy over to the end of the reactor, every other project
     * reports that it got here, and the last to get here runs the root's deploy.
     */
    private void runForTheRoot() {
        MavenProject root = releaseRoot();
        String rootName = root == null ? project.getArtifactId() : root.getArtifactId();
        boolean imageModule = ReactorRelease.imageOf(project).isPresent() || (image != null && !image.isBlank())
                || java.nio.file.Files.exists(projectInfo().deployerDir().resolve(dev.deployer.core.BuiltImage.FILE));
        if (isReleaseRoot()) {
            boolean templates = dev.deployer.render.TemplateRenderer.hasTemplates(templateDirectory.toPath());
            if (!templates && imageModule) {
                getLog().warn("Skipping deployer:deploy: deployer.releaseOwner is root, and the root of this build is the"
                        + " image module " + rootName + " itself (built alone, e.g. with -f " + rootName + "/pom.xml):"
                        + " the reactor root deploys the release; run the build from the reactor root");
                arrive(null);
                return;
            }
            if (!templates) {
                throw new dev.deployer.core.DeployerException("deployer.releaseOwner is root, but the reactor root "
                        + rootName + " has no templates in " + templateDirectory, "deployer.releaseOwner",
                        "put the stack templates (docker-compose.yml.vm, stack.yml.vm) into src/main/deploy of the root"
                                + " project, or leave deployer.releaseOwner at module");
            }
            if (arrive(() -> guardedRun(false, Deployment::deploy))) {
                return;
            }
            getLog().info("Deferring the deploy of the release of " + rootName + " to the end of the reactor: waiting for "
                    + String.join(", ", state().waitingFor().stream().map(id -> id.split(":")[1]).toList()) + " to reach deployer:deploy");
            return;
        }
        boolean inBuild = root != null && session.getProjects().stream().anyMatch(p -> p.getId().equals(root.getId()));
        getLog().info("Skipping deployer:deploy: " + (imageModule ? "module " + project.getArtifactId() + " is an image"
                + " module of the release of the reactor root " + rootName + ", deployed at the end of the reactor"
                : notAService() != null ? notAService() : "the reactor root " + rootName + " deploys the release")
                + (inBuild ? "" : " (the root is not part of this build: nothing is deployed; build from the root)"));
        arrive(null);
    }

    /** Reports this project at deployer:deploy; runs the root's deploy when it is the last. True when it ran it. */
    private boolean arrive(Runnable rootDeploy) {
        ReleaseAtEnd state = state();
        Optional<Runnable> last = state.arrive(project.getId(), rootDeploy);
        if (last.isEmpty()) {
            List<String> failed = state.failedOnce(this::failed);
            if (!failed.isEmpty()) {
                getLog().warn("The release of " + releaseRoot().getArtifactId() + " is not deployed: "
                        + String.join(", ", failed.stream().map(id -> "module " + id.split(":")[1]).toList())
                        + " failed before reaching deployer:deploy; nothing was deployed, the previous release keeps running");
            }
            return false;
        }
        if (!isReleaseRoot()) {
            getLog().info("Deploying the release of " + releaseRoot().getArtifactId() + " now: " + project.getArtifactId()
                    + " is the last module of the reactor to reach deployer:deploy");
        }
        last.get().run();
        return true;
    }

    /** Whether the project {@code id} of this build has failed (Maven recorded a failure for it). */
    private boolean failed(String id) {
        if (session.getResult() == null) {
            return false;
        }
        return session.getProjects().stream().filter(p -> p.getId().equals(id)).findFirst()
                .map(p -> session.getResult().getBuildSummary(p) instanceof org.apache.maven.execution.BuildFailure)
                .orElse(false);
    }

    /** This build's release at the end of the reactor, waiting for every project of the build that runs deployer:deploy. */
    private ReleaseAtEnd state() {
        Set<String> expected = new LinkedHashSet<>();
        MavenProject root = releaseRoot();
        for (MavenProject p : session.getProjects()) {
            if (ReactorRelease.runsDeploy(p, session.getGoals()) || root != null && p.getId().equals(root.getId())) {
                expected.add(p.getId());
            }
        }
        expected.add(project.getId());
        return ReleaseAtEnd.of(session, expected);
    }
}
