package dev.deployer.platform.swarm;

import dev.deployer.deploy.AbstractPhasesScenarioTest;

/** Ordered phases on Docker Swarm: one {@code docker stack deploy} per phase, each health-gated. */
class SwarmPhasesIT extends AbstractPhasesScenarioTest {

    @Override
    protected String targetName() {
        return "swarm";
    }

    @Override
    protected String stackName() {
        return "tdep-phases-swarm";
    }

    @Override
    protected int hostPort() {
        return 18550;
    }
}
