package dev.deployer.platform.quantum;

/** The deploy scenarios on the quantum target with the stand-in of quantum-cli 2 ({@code stacks update --create --wait}). */
class QuantumV2ScenarioIT extends AbstractQuantumScenarioTest {

    @Override
    protected String flavor() {
        return "v2";
    }

    @Override
    protected QuantumForm expectedForm() {
        return QuantumForm.STACKS_UPDATE;
    }

    @Override
    protected String stackName() {
        return "tqnt-v2";
    }

    @Override
    protected int hostPort() {
        return 18400;
    }
}
