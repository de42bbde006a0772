package dev.deployer.platform.quantum;

import dev.deployer.deploy.DeploymentResult;
import dev.deployer.deploy.StackLock;
import dev.deployer.deploy.fixture.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deploy scenarios on the quantum target as a managed Quantum user runs them: quantum-cli (the v2 stand-in)
 * and an API key, no {@code DOCKER_HOST}, no SSH to a manager. What runs now and the history come only from
 * {@code quantum-cli ps --output json} (Docker's task JSON); the lock is the workflow's concurrency group, which
 * the deploy says. Where the scenarios rely on a lock on the target (two deploys at once, the lock a killed deploy
 * leaves) this class checks what happens instead; and without the deployed stack files on record, a redeploy of the
 * running digest is redeployed (Swarm changes nothing) rather than reported unchanged.
 */
class QuantumWithoutDockerHostScenarioIT extends AbstractQuantumScenarioTest {

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
        return "lockst-quantum";
    }

    @Override
    protected int hostPort() {
        return 18390;
    }

    /** No DOCKER_HOST (blank overrides one the build may have). */
    @Override
    protected Map<String, String> targetEnvironment() {
        Map<String, String> env = new HashMap<>(standIn().environment());
        env.put("DOCKER_HOST", "");
        return env;
    }

    @Override
    @Test
    @Order(5)
    protected void redeployOfTheSameDigestIsDetectedAndVerified() throws Exception {
        DeploymentResult result = deploy("v2", scenario.goodRedisHost(), Duration.ofSeconds(60));
        assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome(), "without the deployed stack file on record, it is redeployed");
        assertEquals(TestImages.counter("v2").digest(), result.image().digest());
        assertNotNull(result.previous(), "the running version is known from ps");
        assertEquals(TestImages.sha("v2"), result.previous().tag(), "and its tag: " + result.previous());
        assertEquals("v2", get("/version").body());
    }

    @Override
    @Test
    @Order(8)
    protected void twoDeploysOfOneStackAtOnceTheSecondFailsOnTheLock() throws Exception {
        int before = log.lines().size();
        DeploymentResult result = deploy("v2", scenario.goodRedisHost(), Duration.ofSeconds(60));
        assertEquals("v2", get("/version").body());
        assertNotNull(result);
        String printed = String.join("\n", log.lines().subList(before, log.lines().size()));
        assertTrue(printed.contains("DOCKER_HOST is not set, and quantum-cli cannot keep a lock on the endpoint")
                && printed.contains("GitHub workflow's concurrency group (cancel-in-progress: false)"), "the deploy says what locks:\n" + printed);
        assertTrue(printed.contains("[WARN] Outside GitHub Actions nothing stops another deploy of stack '" + stackName() + "'"), printed);
        assertEquals("", docker("config", "ls", "--quiet", "--filter", "label=" + StackLock.STACK_LABEL + "=" + stackName()).strip(),
                "no record was kept on the engine");
    }

    /** No lock was left behind by the killed deploy: the next deploy goes ahead at once, and restores v2. */
    @Override
    protected void recoverFromTheKilledDeploy(long pid) throws Exception {
        assertTrue(scenario.target(log).store().find(StackLock.name(stackName())).isEmpty(), "no lock outlives its process");
        DeploymentResult recovered = deploy("v2", scenario.goodRedisHost(), Duration.ofSeconds(60));
        assertEquals(TestImages.counter("v2").digest(), recovered.image().digest());
        assertEquals("v2", get("/version").body());
    }

    @Test
    @Order(22)
    void everyReadOfTheStackWentThroughQuantumCliPs() {
        assertFalse(standIn().invocations("ps").isEmpty());
        assertTrue(standIn().invocations("ps").stream().allMatch(argv -> argv.contains("--output") && argv.contains("json")),
                "ps always with --output json: " + standIn().invocations("ps"));
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("docker"));
        argv.addAll(java.util.List.of(args));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", argv) + ": " + output);
        return output;
    }
}
