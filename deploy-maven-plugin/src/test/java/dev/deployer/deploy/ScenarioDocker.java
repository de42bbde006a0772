package dev.deployer.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.deployer.platform.DockerEngine;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reads containers of a scenario stack straight from the engine (compose or swarm labels), for assertions. */
final class ScenarioDocker {

    private ScenarioDocker() {
    }

    static List<String> containerEnv(String stack, String service) {
        try (DockerClient docker = DockerEngine.connect(System::getenv)) {
            List<Container> containers = docker.listContainersCmd().withShowAll(false)
                    .withLabelFilter(Map.of("com.docker.compose.project", stack, "com.docker.compose.service", service)).exec();
            if (containers.isEmpty()) {
                containers = docker.listContainersCmd().withShowAll(false)
                        .withLabelFilter(Map.of("com.docker.stack.namespace", stack, "com.docker.swarm.service.name", stack + "_" + service)).exec();
            }
            if (containers.isEmpty()) {
                throw new AssertionError("no running container of service " + service + " in stack " + stack);
            }
            String[] env = docker.inspectContainerCmd(containers.get(0).getId()).exec().getConfig().getEnv();
            return env == null ? List.of() : Arrays.asList(env);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
