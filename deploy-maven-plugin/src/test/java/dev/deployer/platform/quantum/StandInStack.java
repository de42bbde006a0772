package dev.deployer.platform.quantum;

import dev.deployer.deploy.fixture.Scenario;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A stack of the counter app (swarm template) that an end-to-end test deploys through stand-ins of several flavors
 * and faults ({@link QuantumFailuresIT}, {@link QuantumQueryFaultsIT}): the one place that builds their scenarios and
 * removes the stack with its records afterwards.
 *
 * @param name        the stack ({@code tqnt-…})
 * @param port        the app's host port (port + 1: Redis)
 * @param canary      the value of the stack's secret
 * @param deployerDir where image.json is read and deployment.json written
 * @param withEngine  whether a deploy sees {@code DOCKER_HOST} (lock and history as Swarm configs there) or not
 * @param settings    more environment for every deploy (e.g. the query timeout)
 */
record StandInStack(String name, int port, String canary, Path deployerDir, boolean withEngine, Map<String, String> settings) {

    /** A deploy of this stack through {@code standIn}, with {@code override} on top of its environment. */
    Scenario scenario(QuantumStandIn standIn, Map<String, String> override) {
        Map<String, String> env = new HashMap<>(withEngine ? standIn.environmentWithEngine() : standIn.environment());
        env.put(Scenario.CANARY_NAME, canary);
        env.putAll(settings);
        env.putAll(override);
        return new Scenario("quantum", name, port, "swarm", deployerDir, env);
    }

    /** Removes the stack (as the target's remove steps do) and its lock and history, through a v2 stand-in of its own. */
    void remove() {
        scenario(QuantumStandIn.install(name + "-cleanup", "v2"), Map.of()).removeStack();
    }
}
