package dev.deployer.platform.swarm;

import dev.deployer.deploy.AbstractZeroDowntimeScenarioTest;
import java.time.Duration;
import java.util.List;

/**
 * Zero downtime on Swarm (start-first behind the Caddy proxy, see {@link AbstractZeroDowntimeScenarioTest}): a new
 * version, a refused broken one (Swarm and the runbook roll back) and {@code deployer:rollback}. Own stack
 * {@code zdt-swarm}, port 18510.
 */
class ZeroDowntimeSwarmIT extends AbstractZeroDowntimeScenarioTest {

    private static final String STACK = "zdt-swarm";

    @Override
    protected String targetName() {
        return "swarm";
    }

    @Override
    protected String stackName() {
        return STACK;
    }

    @Override
    protected int port() {
        return 18510;
    }

    @Override
    protected String template() {
        return "swarm-proxy";
    }

    @Override
    protected List<String> appFilters() {
        return List.of("label=com.docker.swarm.service.name=" + STACK + "_app");
    }

    @Override
    protected List<String> redisFilters() {
        return List.of("label=com.docker.swarm.service.name=" + STACK + "_redis");
    }

    /** The same stack name can be deployed again only once its network is gone. */
    @Override
    protected void afterRemoval() {
        await("the network of " + STACK + " removed", Duration.ofSeconds(90),
                () -> docker("network", "ls", "-q", "--filter", "name=" + STACK + "_").isBlank());
    }
}
