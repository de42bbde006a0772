package dev.deployer.platform.compose;

import dev.deployer.deploy.AbstractTargetScenarioTest;
import dev.deployer.testing.TestInfra;
import dev.deployer.platform.SshTunnel;
import java.util.Map;

/**
 * The deploy scenarios on Docker Compose on a "remote" server, {@code DOCKER_HOST=ssh://deployer-ci-ssh}: the local
 * engine behind a real sshd (127.0.0.1:2222, key login, known host key), reached the way a Hetzner server is. Every
 * engine read, the lock and the compose commands go through Deployer's ssh tunnel ({@link SshTunnel}).
 */
class ComposeOverSshScenarioIT extends AbstractTargetScenarioTest {

    @Override
    protected String targetName() {
        return "compose";
    }

    @Override
    protected String stackName() {
        return "tdep-compose-ssh";
    }

    @Override
    protected int hostPort() {
        return 18030;
    }

    @Override
    protected String template() {
        return "compose";
    }

    @Override
    protected Map<String, String> targetEnvironment() {
        return Map.of("DOCKER_HOST", TestInfra.sshDockerHost());
    }
}
