package dev.deployer.platform.compose;

import dev.deployer.deploy.AbstractSignalFaultsTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** SIGINT and SIGKILL at each step of a Compose deploy (docs/faults.md). */
class ComposeSignalsIT extends AbstractSignalFaultsTest {

    @Override
    protected String targetName() {
        return "compose";
    }

    @Override
    protected String stackName() {
        return "tfault2-sig-compose";
    }

    @Override
    protected int hostPort() {
        return 18470;
    }

    @Override
    protected String template() {
        return "compose";
    }

    @Override
    protected String appHealthWaitLine() {
        return "Waiting for health: app";
    }

    /**
     * To keep the CI time down, each cell of the table runs on one target where the two share the code: SIGINT after
     * {@code up} and SIGKILL during the health wait run on Swarm ({@code SwarmSignalsIT}); SIGKILL after {@code up} is
     * every target's scenario test. See docs/faults.md.
     */
    @Override
    protected Stream<Arguments> cases() {
        return Stream.of(Arguments.of("INT", At.LOCK), Arguments.of("INT", At.HEALTH_WAIT), Arguments.of("KILL", At.LOCK));
    }
}
