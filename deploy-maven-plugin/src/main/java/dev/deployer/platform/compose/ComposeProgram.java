package dev.deployer.platform.compose;

import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import dev.deployer.deploy.TargetContext;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Detection: which Compose program is installed, {@code docker compose} (v2 plugin) or {@code docker-compose} (v1). */
final class ComposeProgram {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private ComposeProgram() {
    }

    /**
     * {@code [docker, compose]} when the v2 plugin answers {@code docker compose version} (a Go binary: fast), else
     * {@code [docker-compose]} when it is on the PATH (not run: the v1 Python tool takes most of a second to start).
     */
    static List<String> find(TargetContext context) {
        List<String> compose;
        CommandRunner.Result v2 = context.runner().run(Command.of("docker", "compose", "version"), PROBE_TIMEOUT);
        if (v2.succeeded()) {
            compose = List.of("docker", "compose");
        } else if (onPath(context, "docker-compose")) {
            compose = List.of("docker-compose");
        } else {
            throw DeployerException.of("Neither 'docker compose' (v2) nor 'docker-compose' (v1) is installed",
                    "install the Docker Compose plugin (docker-compose-plugin) or docker-compose, or use -Ddeployer.target=swarm");
        }
        context.log().debug("Compose command: " + String.join(" ", compose));
        return compose;
    }

    private static boolean onPath(TargetContext context, String program) {
        String path = context.env("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, program))) {
                return true;
            }
        }
        return false;
    }
}
