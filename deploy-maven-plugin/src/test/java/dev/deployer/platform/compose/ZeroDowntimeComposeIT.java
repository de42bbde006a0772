package dev.deployer.platform.compose;

import dev.deployer.deploy.AbstractZeroDowntimeScenarioTest;
import java.util.List;

/**
 * Zero downtime on Compose (blue/green behind the Caddy proxy, see {@link AbstractZeroDowntimeScenarioTest}): a new
 * version, a refused broken one (its container starts beside the old one and never receives a request: Docker's DNS
 * would list it, the proxy is pinned to the old ones) and {@code deployer:rollback}. Own project {@code zdt-compose},
 * port 18520.
 */
class ZeroDowntimeComposeIT extends AbstractZeroDowntimeScenarioTest {

    private static final String STACK = "zdt-compose";

    @Override
    protected String targetName() {
        return "compose";
    }

    @Override
    protected String stackName() {
        return STACK;
    }

    @Override
    protected int port() {
        return 18520;
    }

    @Override
    protected String template() {
        return "compose-proxy";
    }

    @Override
    protected List<String> redisFilters() {
        return List.of("label=com.docker.compose.project=" + STACK, "label=com.docker.compose.service=redis");
    }
}
