package dev.deployer.platform.swarm;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import dev.deployer.deploy.AbstractRegistryFaultsTest;
import dev.deployer.deploy.DeployFailedException;
import dev.deployer.deploy.DeployHistory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry's faults on Swarm (docs/faults.md). */
class SwarmRegistryFaultsIT extends AbstractRegistryFaultsTest {

    @Override
    protected String targetName() {
        return "swarm";
    }

    @Override
    protected String stackName() {
        return "tfault2-reg-swarm";
    }

    @Override
    protected int hostPort() {
        return 18490;
    }

    @Override
    protected String template() {
        return "swarm";
    }

    /**
     * Swarm's nodes pull after {@code docker stack deploy} changed the service: the task is rejected, the deploy fails
     * and is rolled back, and the message names the image's registry. (Deployer itself read nothing here: the
     * image.json records the platforms; without them the same fault is refused before the lock.)
     */
    @Override
    protected void assertPullTimeFailure(DeployerException failure, String registry, int historyBefore) {
        assertTrue(failure instanceof DeployFailedException, failure.getMessage());
        assertTrue(((DeployFailedException) failure).rolledBack(), "rolled back: " + failure.getMessage());
        assertTrue(failure.getMessage().contains(registry), "the registry is named: " + failure.getMessage());
        assertEquals(historyBefore + 1, new DeployHistory(scenario.target(Log.silent()).store()).entries(stackName()).size(),
                "the failed deploy is recorded");
    }
}
