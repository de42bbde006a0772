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

    @Override
    protected Stream<Arguments> cases() {
        return Stream.of(Arguments.of("INT", At.LOCK), Arguments.of("INT", At.UP), Arguments.of("INT", At.HEALTH_WAIT),
                Arguments.of("KILL", At.LOCK), Arguments.of("KILL", At.HEALTH_WAIT));
    }
}
