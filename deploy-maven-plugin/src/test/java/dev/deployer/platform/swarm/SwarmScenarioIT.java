package dev.deployer.platform.swarm;

import dev.deployer.deploy.AbstractTargetScenarioTest;

/** The deploy scenarios on Docker Swarm ({@code docker stack deploy}). */
class SwarmScenarioIT extends AbstractTargetScenarioTest {

    @Override
    protected String targetName() {
        return "swarm";
    }

    @Override
    protected String stackName() {
        return "tdep-swarm";
    }

    @Override
    protected int hostPort() {
        return 18010;
    }

    @Override
    protected String template() {
        return "swarm";
    }
}
