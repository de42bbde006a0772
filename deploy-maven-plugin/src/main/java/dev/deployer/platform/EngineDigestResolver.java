package dev.deployer.platform;

import com.github.dockerjava.api.DockerClient;
import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import dev.deployer.deploy.ImageResolver;
import java.time.Duration;
import java.util.function.Function;

/**
 * Resolves a tag to its digest on the Docker engine: {@code docker pull repo:tag} (the docker CLI's credentials,
 * e.g. from {@code docker login}), then the image's RepoDigests. Used until the registry client of the image
 * package can ask the registry directly; a pull also warms the engine for the deploy that follows.
 */
public final class EngineDigestResolver implements ImageResolver.DigestResolver {

    private final CommandRunner runner;
    private final Function<String, String> env;

    public EngineDigestResolver(CommandRunner runner, Function<String, String> env) {
        this.runner = runner;
        this.env = env;
    }

    @Override
    public String digest(String repository, String tag) {
        String ref = repository + ":" + tag;
        CommandRunner.Result pull = runner.run(Command.of("docker", "pull", "--quiet", ref), Duration.ofMinutes(10));
        if (!pull.succeeded()) {
            throw new DeployerException("Cannot pull " + ref + ": " + pull.tail(5), "deployer.tag",
                    "check that the tag exists (a full commit SHA built and pushed by deployer:build) and that"
                            + " 'docker login' to the registry was done");
        }
        try (DockerClient docker = DockerEngine.connect(env)) {
            String imageId = docker.inspectImageCmd(ref).exec().getId();
            String digest = EngineSupport.repoDigest(docker, imageId, repository);
            if (digest == null) {
                throw DeployerException.of("The engine knows no registry digest of " + ref, "push the image to the registry first");
            }
            return digest;
        } catch (java.io.IOException e) {
            throw DeployerException.of("Cannot reach the Docker engine: " + e.getMessage(), "check DOCKER_HOST");
        }
    }
}
