package dev.deployer.platform.swarm;

import dev.deployer.deploy.AbstractSignalFaultsTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** SIGINT and SIGKILL at each step of a Swarm deploy (docs/faults.md). */
class SwarmSignalsIT extends AbstractSignalFaultsTest {

    @Override
    protected String targetName() {
        return "swarm";
    }

    @Override
    protected String stackName() {
        return "tfault2-sig-swarm";
    }

    @Override
    protected int hostPort() {
        return 18474;
    }

    @Override
    protected String template() {
        return "swarm";
    }

    @Override
    protected String appHealthWaitLine() {
        return "Waiting for health: all services";
    }

    /**
     * Under the lock before anything changed, Swarm runs the same code as Compose (only its record store differs, and
     * every case here writes and removes records there): the LOCK cells run on Compose only, to keep the CI time down.
     */
    @Override
    protected Stream<Arguments> cases() {
        return Stream.of(Arguments.of("INT", At.UP), Arguments.of("INT", At.HEALTH_WAIT), Arguments.of("KILL", At.HEALTH_WAIT));
    }

    /**
     * Observed here (host network, stop-first): the restore's update of an interrupted one can fail (the old task still
     * holds the port) and Swarm's failure_action: rollback then returns to the interrupted spec. The deploy says so.
     */
    @Override
    protected boolean orchestratorMayUndoTheRestore() {
        return true;
    }
}
