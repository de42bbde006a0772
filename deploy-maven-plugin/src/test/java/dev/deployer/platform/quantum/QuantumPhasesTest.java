package dev.deployer.platform.quantum;

import dev.deployer.core.ImageRef;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import dev.deployer.deploy.DeployPlan;
import dev.deployer.deploy.StackFiles;
import dev.deployer.deploy.StackService;
import dev.deployer.deploy.Step;
import dev.deployer.deploy.TargetContext;
import dev.deployer.verify.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The phased deploy and the reverse-order restore on Quantum, in each command form, without running quantum-cli. */
class QuantumPhasesTest {

    private static final Path DIR = Path.of("/work/app/target/deployer/qa");
    private static final String TWO_PHASES = """
            version: "3.8"
            services:
              web: {image: "web:2", depends_on: [api]}
              api: {image: "127.0.0.1:5443/shop/api:abc@sha256:%s", environment: {P: "${REDIS_PASSWORD}"}}
            """.formatted("a".repeat(64));

    private static DeployPlan plan(String text) {
        return new DeployPlan("shop", "qa", new ImageRef("127.0.0.1:5443/shop/api", "abc", "sha256:" + "a".repeat(64)), DIR,
                DIR.resolve("stack.yml"), StackFiles.services(text, "stack.yml"), List.of(Secret.of("REDIS_PASSWORD", "r-secret")),
                Duration.ofMinutes(5), text);
    }

    private static QuantumTarget target(ScriptedRunner runner) {
        return new QuantumTarget(new TargetContext(runner, Log.silent(), Map.of("QUANTUM_API_KEY", "qk-test",
                "QUANTUM_ENDPOINT", "qa-cluster")::get, new FakeClock()), "quantum-cli");
    }

    private static List<String> words(List<Step> steps) {
        return steps.stream().map(step -> step instanceof Step.Run run
                ? String.join(" ", run.command().argv().subList(1, run.command().argv().size())) : step.display()).toList();
    }

    @Test
    void v2DeploysEachPhaseThroughItsEnvironmentOfTheDescriptor() {
        QuantumTarget quantum = target(ScriptedRunner.v2());
        DeployPlan plan = plan(TWO_PHASES);
        String update = "stacks update --create --wait --stack shop --endpoint qa-cluster --project " + DIR;
        assertEquals(List.of(update + " --environment qa-phase-1", "# wait until healthy: api", update,
                "# wait until healthy: all services"), words(quantum.deploy(plan)));
        Map<String, String> files = quantum.files(plan);
        assertEquals(List.of(".quantum", "stack.phase-1.yml"), List.copyOf(files.keySet()));
        assertTrue(files.get(".quantum").endsWith("- name: qa-phase-1\n  compose: stack.phase-1.yml\n"), files.get(".quantum"));
        assertTrue(files.get(".quantum").startsWith("---\nversion: '1.0'\ncompose: stack.yml\n"), files.get(".quantum"));
        assertEquals(List.of("api"), StackFiles.services(files.get("stack.phase-1.yml"), "1").stream().map(StackService::name).toList());
    }

    @Test
    void v3DeploysEachPhasesFileItself() {
        QuantumTarget quantum = target(ScriptedRunner.v3());
        assertEquals(List.of("stacks deploy -f " + DIR.resolve("stack.phase-1.yml") + " --stack shop --endpoint qa-cluster",
                "# wait until healthy: api", "stacks deploy -f " + DIR.resolve("stack.yml") + " --stack shop --endpoint qa-cluster",
                "# wait until healthy: all services"), words(quantum.deploy(plan(TWO_PHASES))));
    }

    @Test
    void legacyRestoresTheLastPhaseFirstThenTheWholeFile() {
        QuantumTarget quantum = target(ScriptedRunner.legacy());
        DeployPlan plan = plan(TWO_PHASES);
        assertEquals(List.of("stack update --create --wait --stack shop --environment qa-phase-2", "# wait until healthy: web",
                "stack update --create --wait --stack shop", "# wait until healthy: all services"), words(quantum.restore(plan)));
        Map<String, String> files = quantum.restoreFiles(plan);
        assertEquals(List.of(".quantum", "stack.phase-2.yml"), List.copyOf(files.keySet()));
        assertEquals(List.of("web"), StackFiles.services(files.get("stack.phase-2.yml"), "2").stream().map(StackService::name).toList());
    }

    @Test
    void oneStackOfOnePhaseDeploysAndRestoresAsBefore() {
        QuantumTarget quantum = target(ScriptedRunner.v2());
        DeployPlan plan = plan("services:\n  api: {image: \"api:1\"}\n");
        List<String> once = List.of("stacks update --create --wait --stack shop --endpoint qa-cluster --project " + DIR,
                "# wait until healthy: all services");
        assertEquals(once, words(quantum.deploy(plan)));
        assertEquals(once, words(quantum.restore(plan)));
        assertEquals(List.of(".quantum"), List.copyOf(quantum.files(plan).keySet()));
    }
}
