package dev.deployer.platform.quantum;

/** The deploy scenarios on the quantum target with the stand-in of an old quantum-cli ({@code stack update}). */
class QuantumLegacyScenarioIT extends AbstractQuantumScenarioTest {

    @Override
    protected String flavor() {
        return "legacy";
    }

    @Override
    protected QuantumForm expectedForm() {
        return QuantumForm.STACK_UPDATE;
    }

    @Override
    protected String stackName() {
        return "tqnt-legacy";
    }

    @Override
    protected int hostPort() {
        return 18410;
    }
}
