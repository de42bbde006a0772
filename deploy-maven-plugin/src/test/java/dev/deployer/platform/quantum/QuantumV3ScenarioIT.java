package dev.deployer.platform.quantum;

/** The deploy scenarios on the quantum target with the stand-in of quantum-cli 3 ({@code stacks deploy -f}). */
class QuantumV3ScenarioIT extends AbstractQuantumScenarioTest {

    @Override
    protected String flavor() {
        return "v3";
    }

    @Override
    protected QuantumForm expectedForm() {
        return QuantumForm.STACKS_DEPLOY;
    }

    @Override
    protected String stackName() {
        return "tqnt-v3";
    }

    @Override
    protected int hostPort() {
        return 18420;
    }
}
