package dev.deployer.platform.quantum;

import dev.deployer.deploy.AbstractPhasesScenarioTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ordered phases on the quantum target with the quantum-cli 2 stand-in ({@code stacks update}, each phase's file
 * selected with {@code --environment} from {@code .quantum}), which drives the local Swarm; lock and history as Swarm
 * configs ({@code DOCKER_HOST}).
 */
class QuantumPhasesIT extends AbstractPhasesScenarioTest {

    private QuantumStandIn standIn;

    private QuantumStandIn standIn() {
        if (standIn == null) {
            standIn = QuantumStandIn.install(stackName(), "v2");
        }
        return standIn;
    }

    @Override
    protected String targetName() {
        return "quantum";
    }

    @Override
    protected String stackName() {
        return "tqnt-phases";
    }

    @Override
    protected int hostPort() {
        return 18560;
    }

    @Override
    protected Map<String, String> targetEnvironment() {
        return standIn().environmentWithEngine();
    }

    @Test
    @Order(3)
    void eachPhaseWasOneStacksUpdateOfItsOwnEnvironment() {
        List<List<String>> updates = standIn().invocations("stacks", "update");
        assertTrue(updates.stream().anyMatch(argv -> argv.containsAll(List.of("--environment", "qa-phase-1"))), "phase 1: " + updates);
        assertTrue(updates.stream().anyMatch(argv -> argv.containsAll(List.of("--environment", "qa-phase-2"))), "phase 2: " + updates);
        assertTrue(updates.stream().anyMatch(argv -> !argv.contains("--environment")), "the last phase, the whole file: " + updates);
    }
}
