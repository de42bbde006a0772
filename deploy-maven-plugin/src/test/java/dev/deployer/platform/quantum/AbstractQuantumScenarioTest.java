package dev.deployer.platform.quantum;

import dev.deployer.deploy.AbstractTargetScenarioTest;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deploy scenarios of every target, run on the {@code quantum} target against one flavor of the quantum-cli
 * stand-in, which drives the local Swarm. On top of the shared scenarios: the CLI was asked what it speaks
 * before the first deploy, only the flavor's own form was ever run, and the API key never reached a file.
 */
abstract class AbstractQuantumScenarioTest extends AbstractTargetScenarioTest {

    private QuantumStandIn standIn;

    /** The stand-in flavor: {@code v2}, {@code legacy}, {@code v3}. */
    protected abstract String flavor();

    /** The deploy form this flavor must be driven with. */
    protected abstract QuantumForm expectedForm();

    protected QuantumStandIn standIn() {
        if (standIn == null) {
            standIn = QuantumStandIn.install(stackName(), flavor());
        }
        return standIn;
    }

    @Override
    protected final String targetName() {
        return "quantum";
    }

    @Override
    protected final String template() {
        return "swarm";
    }

    /** With {@code DOCKER_HOST} on the stand-in's Swarm: lock and history as Swarm configs there. */
    @Override
    protected Map<String, String> targetEnvironment() {
        return standIn().environmentWithEngine();
    }

    @Test
    @Order(20)
    void theCliWasAskedWhatItSpeaksAndOnlyItsOwnFormRan() throws Exception {
        List<List<String>> all = standIn().invocations();
        QuantumForm form = expectedForm();
        int firstHelp = all.indexOf(List.of("--help"));
        int firstDeploy = all.indexOf(all.stream().filter(argv -> isDeploy(argv, form)).findFirst().orElseThrow(
                () -> new AssertionError("no '" + form.words() + "' was run: " + all)));
        assertTrue(firstHelp >= 0 && firstHelp < firstDeploy, "asked --help before deploying: " + all);
        for (QuantumForm other : QuantumForm.values()) {
            if (other != form) {
                assertFalse(all.stream().anyMatch(argv -> isDeploy(argv, other)), "never ran '" + other.words() + "': " + all);
            }
        }
        assertFalse(Files.readString(standIn().log).contains(standIn().apiKey), "the invocation log has no API key");
        assertFalse(log.text().contains(standIn().apiKey), "the build log has no API key");
    }

    @Test
    @Order(21)
    void theUnhealthyVersionWasRefusedByQuantumCliItself() {
        assertTrue(log.lines().stream().anyMatch(line -> line.contains(" " + expectedForm().words() + " ")
                && line.contains("' failed with exit code 1")), "a '" + expectedForm().words() + "' exited non-zero");
        assertTrue(log.text().contains("Error: service " + stackName() + "_app: update rollback")
                || log.text().contains("Error: service " + stackName() + "_app did not converge"),
                "quantum-cli's --wait saw the unhealthy app and exited non-zero with the reason");
    }

    private static boolean isDeploy(List<String> argv, QuantumForm form) {
        return argv.size() > 2 && argv.get(0).equals(form.group()) && argv.get(1).equals(form.verb())
                && !argv.contains("--help");
    }
}
