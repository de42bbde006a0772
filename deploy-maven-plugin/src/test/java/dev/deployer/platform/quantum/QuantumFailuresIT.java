package dev.deployer.platform.quantum;

import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.Log;
import dev.deployer.deploy.DeploymentResult;
import dev.deployer.deploy.StackLock;
import dev.deployer.testing.RecordingLog;
import dev.deployer.deploy.fixture.Scenario;
import dev.deployer.deploy.fixture.TestImages;
import dev.deployer.testing.TestInfra;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deploys through the quantum-cli stand-in that must fail, end to end on the local Swarm: a CLI that fails for
 * a real reason is run once and never retried in another form, and bad credentials or settings stop the deploy
 * before anything on the endpoint changes. Every deploy here would be the stack's first, so a deploy that got
 * through would leave a stack behind: each test checks that none exists.
 */
class QuantumFailuresIT {

    private static final String STACK = "tqnt-failures";
    private static final int PORT = 18430;
    private final RecordingLog log = new RecordingLog("[QuantumFailuresIT] ");

    @TempDir
    Path temp;

    @BeforeAll
    static void infrastructure() {
        TestInfra.require();
        TestImages.counter("v1");
    }

    @AfterEach
    void noStackAndNoLockRemain() {
        stack().remove();
    }

    private StandInStack stack() {
        return new StandInStack(STACK, PORT, "tqnt-canary-failures", temp.resolve("target/deployer"), false, Map.of());
    }

    private Scenario scenario(QuantumStandIn standIn, Map<String, String> override) {
        return stack().scenario(standIn, override);
    }

    private DeployerException deployFails(Scenario scenario) {
        return assertThrows(DeployerException.class, () -> scenario.deployment(log, "127.0.0.1")
                .deploy(scenario.request(TestImages.sha("v1"), Duration.ofSeconds(30), Duration.ofSeconds(3))));
    }

    private void assertNothingDeployed(Scenario scenario) {
        assertFalse(scenario.target(Log.silent()).current(STACK).exists(), "no stack was created");
        assertTrue(scenario.target(Log.silent()).store().find(StackLock.name(STACK)).isEmpty(), "no lock is left");
    }

    @Test
    void aDeployThatFailsForARealReasonIsRunOnceAndNeverRetriedInAnotherForm() throws Exception {
        QuantumStandIn broken = QuantumStandIn.install(STACK + "-broken", "broken");
        Scenario scenario = scenario(broken, Map.of());
        DeployerException failure = deployFails(scenario);

        assertEquals(1, broken.invocations("stacks", "update").stream().filter(argv -> !argv.contains("--help")).count(),
                "exactly one deploy: " + broken.invocations());
        assertTrue(broken.invocations("stack", "update").isEmpty(), "no fallback to 'stack update': " + broken.invocations());
        assertTrue(broken.invocations("stacks", "deploy").isEmpty(), "no fallback to 'stacks deploy': " + broken.invocations());
        assertTrue(failure.getMessage().contains("500 Internal Server Error"), "the CLI's error is shown: " + failure.getMessage());
        assertTrue(log.text().contains("(authorization: [REDACTED])"), "the CLI's output is shown, its key masked:\n" + log.text());
        assertFalse(log.text().contains(broken.apiKey) || failure.getMessage().contains(broken.apiKey), "the key is never shown");
        assertFalse(Files.readString(broken.log).contains(broken.apiKey), "the stand-in's invocation log has no key");
        assertNothingDeployed(scenario);
    }

    @Test
    void inGitHubActionsTheApiKeyAndTheStackSecretsAreMaskedBeforeQuantumCliRuns() {
        QuantumStandIn v2 = QuantumStandIn.install(STACK + "-masks", "v2");
        Scenario scenario = scenario(v2, Map.of());
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        GitHubActions github = new GitHubActions(Map.of("GITHUB_ACTIONS", "true")::get, new PrintStream(stdout, true, StandardCharsets.UTF_8));
        DeploymentResult result = scenario.deployment(log, "127.0.0.1", github)
                .deploy(scenario.request(TestImages.sha("v1"), Duration.ofSeconds(30), Duration.ofSeconds(3), true));

        assertEquals(DeploymentResult.Outcome.DRY_RUN, result.outcome());
        List<String> printed = stdout.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(printed.contains("::add-mask::" + v2.apiKey), "QUANTUM_API_KEY is masked: " + printed.size() + " lines");
        assertTrue(printed.contains("::add-mask::tqnt-canary-failures"), "the stack's secret is masked");
        assertTrue(v2.invocations().size() > 0 && v2.invocations("stacks", "update").isEmpty(), "the dry run asked the CLI, deployed nothing");
        assertNothingDeployed(scenario);
    }

    @Test
    void aRejectedApiKeyStopsTheDeployBeforeAnythingChanges() {
        QuantumStandIn v2 = QuantumStandIn.install(STACK + "-badkey", "v2");
        String wrongKey = "tqnt-wrong-key-" + Instant.now().toEpochMilli();
        Scenario scenario = scenario(v2, Map.of("QUANTUM_API_KEY", wrongKey));
        DeployerException failure = deployFails(scenario);
        assertFalse(log.text().contains(wrongKey) || failure.getMessage().contains(wrongKey), "the rejected key is never shown");

        assertEquals("QUANTUM_API_KEY", failure.location(), failure.getMessage());
        assertTrue(failure.getMessage().contains("401 Unauthorized"), failure.getMessage());
        assertTrue(v2.invocations("stacks", "update").isEmpty(), "no deploy ran: " + v2.invocations());
        assertTrue(scenario.target(Log.silent()).store().find(StackLock.name(STACK)).isEmpty(), "no lock was taken");
        assertNothingDeployed(scenario(v2, Map.of()));
    }

    @Test
    void anUnknownEndpointStopsTheDeployBeforeAnythingChanges() {
        QuantumStandIn v2 = QuantumStandIn.install(STACK + "-endpoint", "v2");
        Scenario scenario = scenario(v2, Map.of("QUANTUM_ENDPOINT", "tqnt-no-such-endpoint"));
        DeployerException failure = deployFails(scenario);

        assertTrue(failure.getMessage().contains("404 Not Found") && failure.getMessage().contains("tqnt-no-such-endpoint"),
                failure.getMessage());
        assertTrue(v2.invocations("stacks", "update").isEmpty(), "no deploy ran: " + v2.invocations());
        assertNothingDeployed(scenario(v2, Map.of()));
    }

    @Test
    void missingCredentialsAreNamedBeforeQuantumCliRunsAtAll() {
        QuantumStandIn v2 = QuantumStandIn.install(STACK + "-nokey", "v2");
        Scenario scenario = scenario(v2, Map.of("QUANTUM_API_KEY", ""));
        DeployerException failure = deployFails(scenario);

        assertEquals("QUANTUM_API_KEY", failure.location(), failure.getMessage());
        assertEquals(List.of(), v2.invocations(), "quantum-cli was not run");
        assertNothingDeployed(scenario(v2, Map.of()));
    }
}
