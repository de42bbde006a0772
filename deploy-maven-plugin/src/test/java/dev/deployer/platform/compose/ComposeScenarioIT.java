package dev.deployer.platform.compose;

import dev.deployer.deploy.AbstractTargetScenarioTest;

/** The deploy scenarios on Docker Compose (docker-compose v1 here, v2 where installed). */
class ComposeScenarioIT extends AbstractTargetScenarioTest {

    @Override
    protected String targetName() {
        return "compose";
    }

    @Override
    protected String stackName() {
        return "tdep-compose";
    }

    @Override
    protected int hostPort() {
        return 18000;
    }

    @Override
    protected String template() {
        return "compose";
    }
}
