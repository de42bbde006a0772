package dev.deployer.platform.quantum;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import dev.deployer.deploy.StackLock;
import dev.deployer.deploy.fixture.Scenario;
import dev.deployer.deploy.fixture.TestImages;
import dev.deployer.testing.RecordingLog;
import dev.deployer.testing.TestInfra;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * quantum-cli answering garbage or hanging during a live deploy, end to end on the local Swarm through the
 * stand-in's fault mode: v1 is deployed and serving through a working stand-in, then v2 is deployed through one
 * whose {@code ps --output json} answers a proxy's HTML page, or never answers. Lock and history live on the
 * stand-in's Swarm ({@code DOCKER_HOST}), so the lock state is read there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuantumQueryFaultsIT {

    private static final String STACK = "tqnt-qfaults";
    private static final int PORT = 18440;
    private static final String CANARY = "tqnt-canary-qfaults";

    private final RecordingLog log = new RecordingLog("[QuantumQueryFaultsIT] ");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path temp;

    @BeforeAll
    void infrastructure() {
        TestInfra.require();
        TestImages.counter("v1");
        TestImages.counter("v2");
    }

    /** v1 deployed and serving through a working stand-in (unchanged when it already is). */
    @BeforeEach
    void v1Serves() throws Exception {
        Scenario working = scenario(QuantumStandIn.install(STACK + "-working", "v2"), Map.of());
        working.deployment(Log.silent(), "127.0.0.1")
                .deploy(working.request(TestImages.sha("v1"), Duration.ofSeconds(60), Duration.ofSeconds(3)));
        assertEquals("v1", version(), "v1 serves before the fault");
    }

    @AfterAll
    void removeStack() {
        stack().remove();
    }

    private StandInStack stack() {
        return new StandInStack(STACK, PORT, CANARY, temp.resolve("target/deployer"), true,
                Map.of(Scenario.QUANTUM_QUERY_TIMEOUT, "3"));
    }

    private Scenario scenario(QuantumStandIn standIn, Map<String, String> override) {
        return stack().scenario(standIn, override);
    }

    private DeployerException deployV2Fails(Scenario scenario) {
        return assertThrows(DeployerException.class, () -> scenario.deployment(log, "127.0.0.1")
                .deploy(scenario.request(TestImages.sha("v2"), Duration.ofSeconds(30), Duration.ofSeconds(3))));
    }

    private String version() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI_OF("/version")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static java.net.URI URI_OF(String path) {
        return java.net.URI.create("http://127.0.0.1:" + PORT + path);
    }

    private void assertNoSecretAnywhere(QuantumStandIn standIn, DeployerException failure) throws IOException {
        for (String secret : List.of(standIn.apiKey, CANARY)) {
            assertFalse(log.text().contains(secret), "no secret in the debug log");
            assertFalse(failure.getMessage().contains(secret), "no secret in the message");
            assertFalse(Files.readString(standIn.log).contains(secret), "no secret in the stand-in's invocation log");
            try (var files = Files.walk(temp)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(Files.readString(file).contains(secret), "no secret in " + file);
                }
            }
        }
    }

    private void assertLockReleased(QuantumStandIn standIn) {
        assertTrue(scenario(standIn, Map.of()).target(Log.silent()).store().find(StackLock.name(STACK)).isEmpty(),
                "the lock is released");
    }

    @Test
    void garbageFromPsWhenTheRollbackPointIsReadStopsTheDeployBeforeAnythingChanges() throws Exception {
        QuantumStandIn garbage = QuantumStandIn.install(STACK + "-garbage", "v2", "QUANTUM_STANDIN_FAULT=garbage:ps");
        Scenario scenario = scenario(garbage, Map.of());
        DeployerException failure = deployV2Fails(scenario);

        assertTrue(failure.getMessage().contains("printed no JSON: <html>502 Bad Gateway</html>"), failure.getMessage());
        assertTrue(garbage.invocations("stacks", "update").isEmpty(), "no deploy ran: " + garbage.invocations());
        assertEquals("v1", version(), "v1 still serves");
        assertLockReleased(garbage);
        assertNoSecretAnywhere(garbage, failure);
    }

    /**
     * The swarm template deploys in two phases (redis, then the app): {@code ps} hangs from the health wait after the
     * second, when v2 runs. The rollback's own {@code stacks update} re-deploys v1 (quantum-cli waits for it), its
     * health read hangs as well: the message says the rollback could not be verified and that what runs is unknown.
     */
    @Test
    void psHangingAfterTheDeployCommandIsStoppedAndTheMessageSaysWhatRunsIsUnknown() throws Exception {
        QuantumStandIn hang = QuantumStandIn.install(STACK + "-hang", "v2",
                "QUANTUM_STANDIN_FAULT=hang:ps QUANTUM_STANDIN_FAULT_AFTER_DEPLOYS=2");
        Scenario scenario = scenario(hang, Map.of());
        DeployerException failure = deployV2Fails(scenario);

        List<List<String>> deploys = hang.invocations("stacks", "update");
        assertEquals(3, deploys.size(), "phase 1 (redis), phase 2 (the app, v2), the rollback of the app: " + hang.invocations());
        assertTrue(deploys.get(0).contains("qa-phase-1") && !deploys.get(1).contains("qa-phase-1"),
                "redis first, then the whole stack with v2: " + deploys);
        List<List<String>> all = hang.invocations();
        long psAfterTheApp = all.subList(all.indexOf(deploys.get(1)), all.size()).stream()
                .filter(argv -> argv.get(0).equals("ps")).count();
        List<Long> hung = hang.hungProcesses();
        assertTrue(psAfterTheApp >= 2, "ps was asked after the deploy and after the rollback: " + all);
        assertEquals(2 * psAfterTheApp, hung.size(), "every ps after the app's deploy hung, each with its child: " + hung);
        for (long pid : hung) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "hung process " + pid + " was stopped");
        }
        String ps = "quantum-cli ps --stack " + STACK + " --output json' did not answer within 3 s and was stopped";
        String message = failure.getMessage();
        assertTrue(message.contains("failed: deployer.quantum.queryTimeout: '") && message.contains(ps), message);
        assertTrue(message.contains("\nROLLBACK FAILED too: deployer.quantum.queryTimeout: '"), message);
        assertTrue(message.contains("\nRunning now: unknown (quantum did not answer: deployer.quantum.queryTimeout: '"), message);
        assertTrue(message.endsWith("Fix: the stack needs attention by hand"), message);
        assertEquals("v1", version(), "v1 serves again: the rollback's own deploy ran, only its check could not");
        assertLockReleased(hang);
        assertNoSecretAnywhere(hang, failure);
    }
}
