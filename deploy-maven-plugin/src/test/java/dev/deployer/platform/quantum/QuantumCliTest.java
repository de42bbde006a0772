package dev.deployer.platform.quantum;

import dev.deployer.core.Command;
import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command lines, form detection and masking of quantum-cli, without running it. */
class QuantumCliTest {

    private static final String KEY = "qk-canary-4711-secret";
    private static final Path PROJECT = Path.of("/work/app/target/deployer/qa");
    private static final Path STACK_FILE = PROJECT.resolve("stack.yml");
    private static final QuantumSettings SETTINGS = QuantumSettings.fromEnvironment(
            Map.of("QUANTUM_API_KEY", KEY, "QUANTUM_ENDPOINT", "qa-cluster")::get, Log.silent());
    private static final List<Secret> STACK_SECRETS = List.of(Secret.of("REDIS_PASSWORD", "redis-canary-0815"));

    private static QuantumCli cli(ScriptedRunner runner) {
        return new QuantumCli("quantum-cli", SETTINGS, runner, Log.silent());
    }

    @Test
    void v2DeploysWithStacksUpdateCreateWaitAndTheProjectDirectory() {
        Command deploy = cli(ScriptedRunner.v2()).deploy("shop", PROJECT, STACK_FILE, STACK_SECRETS);
        assertEquals(List.of("quantum-cli", "stacks", "update", "--create", "--wait", "--stack", "shop",
                "--endpoint", "qa-cluster", "--project", PROJECT.toString()), deploy.argv());
        assertEquals(PROJECT, deploy.workdir());
    }

    @Test
    void legacyDeploysWithStackUpdateInTheProjectDirectoryAndTheEndpointFromTheEnvironment() {
        Command deploy = cli(ScriptedRunner.legacy()).deploy("shop", PROJECT, STACK_FILE, STACK_SECRETS);
        assertEquals(List.of("quantum-cli", "stack", "update", "--create", "--wait", "--stack", "shop"), deploy.argv());
        assertEquals(PROJECT, deploy.workdir());
        assertEquals("qa-cluster", deploy.env().get("QUANTUM_ENDPOINT"));
    }

    @Test
    void v3DeploysTheStackFileWithStacksDeploy() {
        Command deploy = cli(ScriptedRunner.v3()).deploy("shop", PROJECT, STACK_FILE, STACK_SECRETS);
        assertEquals(List.of("quantum-cli", "stacks", "deploy", "-f", STACK_FILE.toString(), "--stack", "shop",
                "--endpoint", "qa-cluster"), deploy.argv());
    }

    @Test
    void credentialsAndStackSecretsTravelOnlyInTheEnvironmentAndPrintRedacted() {
        Command deploy = cli(ScriptedRunner.v2()).deploy("shop", PROJECT, STACK_FILE, STACK_SECRETS);
        assertFalse(String.join(" ", deploy.argv()).contains(KEY));
        assertEquals(List.of("QUANTUM_API_KEY", "REDIS_PASSWORD"), deploy.secretEnv().stream().map(Secret::name).toList());
        assertEquals(KEY, deploy.secretEnv().get(0).reveal());
        String shown = deploy.display();
        assertTrue(shown.contains("QUANTUM_API_KEY=[REDACTED]"), shown);
        assertTrue(shown.contains("REDIS_PASSWORD=[REDACTED]"), shown);
        assertFalse(shown.contains(KEY) || shown.contains("redis-canary-0815"), shown);
        assertEquals("(cd /work/app/target/deployer/qa && QUANTUM_ENDPOINT=qa-cluster QUANTUM_API_KEY=[REDACTED] "
                + "REDIS_PASSWORD=[REDACTED] quantum-cli stacks update --create --wait --stack shop --endpoint qa-cluster "
                + "--project /work/app/target/deployer/qa)", shown);
    }

    @Test
    void detectionAsksTheCliOnceAndIsCached() {
        ScriptedRunner runner = ScriptedRunner.v2();
        QuantumCli cli = cli(runner);
        cli.deploy("shop", PROJECT, STACK_FILE, List.of());
        cli.deploy("shop", PROJECT, STACK_FILE, List.of());
        cli.detect();
        assertEquals(List.of("--help", "version", "stacks --help"), runner.words());
        assertEquals("2.9.1", cli.detect().version());
    }

    @Test
    void aCliThatSpeaksBothV2AndV3FormsUsesStacksUpdate() {
        ScriptedRunner runner = ScriptedRunner.v2().answer("stacks --help", 0,
                ScriptedRunner.help("quantum-cli stacks", "deploy", "ls", "update"));
        assertEquals(QuantumForm.STACKS_UPDATE, cli(runner).detect().form());
    }

    @Test
    void aCliWithNoKnownDeployCommandIsAClearErrorBeforeAnythingRuns() {
        ScriptedRunner runner = new ScriptedRunner()
                .answer("--help", 0, ScriptedRunner.help("quantum-cli", "auth", "help", "stacks", "version"))
                .answer("version", 0, "quantum-cli version 9.0.0")
                .answer("stacks --help", 0, ScriptedRunner.help("quantum-cli stacks", "ls", "apply"));
        DeployerException error = assertThrows(DeployerException.class, () -> cli(runner).detect());
        assertEquals("deployer.quantumCli", error.location());
        assertTrue(error.getMessage().contains("9.0.0") && error.getMessage().contains("'stacks update'"), error.getMessage());
        assertFalse(runner.words().stream().anyMatch(w -> w.contains("--create") || w.contains("-f ")));
    }

    @Test
    void unreadableHelpProbesTheFormsAndFallsBackOnlyOnUnknownCommand() {
        ScriptedRunner runner = new ScriptedRunner()
                .answer("--help", 0, "quantum-cli, the Planetary Quantum command line\n")
                .answer("--version", 0, "quantum-cli version 1.4.0")
                .answer("stacks update --help", 1, "Error: unknown command \"stacks\" for \"quantum-cli\"\n"
                        + "Run 'quantum-cli --help' for usage.\n")
                .answer("stacks deploy --help", 1, "Error: unknown command \"stacks\" for \"quantum-cli\"\n")
                .answer("stack update --help", 0, "Update a stack\n\nUsage:\n  quantum-cli stack update [flags]\n");
        assertEquals(QuantumForm.STACK_UPDATE, cli(runner).detect().form());
        assertEquals(List.of("--help", "--version", "stacks update --help", "stacks deploy --help", "stack update --help"),
                runner.words());
    }

    @Test
    void aProbeThatFailsForAnyOtherReasonStopsTheDetectionWithTheCliOutputMasked() {
        ScriptedRunner runner = new ScriptedRunner()
                .answer("--help", 0, "quantum-cli\n")
                .answer("--version", 0, "quantum-cli version 2.0.0")
                .answer("stacks update --help", 1, "Error: 500 Internal Server Error (sent " + KEY + ")\n");
        DeployerException error = assertThrows(DeployerException.class, () -> cli(runner).detect());
        assertEquals(List.of("--help", "--version", "stacks update --help"), runner.words(), "no other form is tried");
        assertTrue(error.getMessage().contains("500 Internal Server Error"), error.getMessage());
        assertFalse(error.getMessage().contains(KEY), error.getMessage());
    }

    @Test
    void onlyUnknownCommandCountsAsUnknownCommand() {
        assertTrue(QuantumDetector.isUnknownCommand(new dev.deployer.core.CommandRunner.Result(1,
                "Error: unknown command \"stacks\" for \"quantum-cli\"\nRun 'quantum-cli --help' for usage.\n")));
        assertTrue(QuantumDetector.isUnknownCommand(new dev.deployer.core.CommandRunner.Result(1,
                "Warning: QUANTUM_USER/QUANTUM_PASSWORD are deprecated\nError: unknown command \"update\" for \"quantum-cli stacks\"")));
        assertFalse(QuantumDetector.isUnknownCommand(new dev.deployer.core.CommandRunner.Result(1,
                "Error: 500 Internal Server Error: updating stack \"shop\": unknown command in compose file")));
        assertFalse(QuantumDetector.isUnknownCommand(new dev.deployer.core.CommandRunner.Result(1, "Error: unknown flag: --wait")));
        assertFalse(QuantumDetector.isUnknownCommand(new dev.deployer.core.CommandRunner.Result(0, "Error: unknown command \"x\"")));
        assertFalse(QuantumDetector.isUnknownCommand(new dev.deployer.core.CommandRunner.Result(1,
                "Error: service shop_app did not converge: task failed")));
    }

    @Test
    void rejectedCredentialsFailTheCheckWithTheKeyMasked() {
        ScriptedRunner runner = ScriptedRunner.v2().answer("auth status", 1,
                "request: GET /v1/me (authorization: " + KEY + ")\nError: 401 Unauthorized: the API key in QUANTUM_API_KEY is not valid\n");
        DeployerException error = assertThrows(DeployerException.class, () -> cli(runner).checkCredentials());
        assertEquals("QUANTUM_API_KEY", error.location());
        assertTrue(error.getMessage().contains("401 Unauthorized"), error.getMessage());
        assertTrue(error.getMessage().contains("[REDACTED]"), error.getMessage());
        assertFalse(error.getMessage().contains(KEY), error.getMessage());
    }

    @Test
    void psAsksForJsonWithTheCredentialsInTheEnvironment() {
        Command ps = cli(ScriptedRunner.v2()).ps("shop", true);
        assertEquals(List.of("quantum-cli", "ps", "--stack", "shop", "--all", "--output", "json"), ps.argv());
        assertEquals("QUANTUM_ENDPOINT=qa-cluster QUANTUM_API_KEY=[REDACTED] quantum-cli ps --stack shop --all --output json",
                ps.display());
    }

    @Test
    void removalUsesTheGroupsRmWhenTheCliListsOne() {
        assertEquals(List.of("quantum-cli", "stacks", "rm", "--stack", "shop", "--endpoint", "qa-cluster"),
                cli(ScriptedRunner.v2()).remove("shop").argv());
        ScriptedRunner noRm = ScriptedRunner.legacy();
        assertNull(cli(noRm).remove("shop"));
    }

    @Test
    void anEmptyBinaryNameIsAnErrorNamingTheParameter() {
        DeployerException error = assertThrows(DeployerException.class,
                () -> new QuantumCli(" ", SETTINGS, new ScriptedRunner(), Log.silent()));
        assertEquals("deployer.quantumCli", error.location());
    }

    @Test
    void helpParsingReadsTheAvailableCommandsOnly() {
        String help = "Manage stacks\n\nUsage:\n  quantum-cli stacks [command]\n\nAvailable Commands:\n"
                + "  ls          List\n  update      Update\n\nFlags:\n  -h, --help   help\n";
        assertEquals(java.util.Set.of("ls", "update"), QuantumDetector.commands(help));
    }

    @Test
    void theQueryTimeoutIsTheOptionInSecondsDefault60AndABadValueNamesTheParameter() {
        assertEquals(java.time.Duration.ofSeconds(60), QuantumCli.queryTimeout(null));
        assertEquals(java.time.Duration.ofSeconds(7), QuantumCli.queryTimeout(" 7 "));
        for (String bad : List.of("0", "-3", "soon", "1.5")) {
            DeployerException error = assertThrows(DeployerException.class, () -> QuantumCli.queryTimeout(bad), bad);
            assertEquals("deployer.quantum.queryTimeout", error.location(), bad);
            assertTrue(error.getMessage().contains("'" + bad + "'"), error.getMessage());
        }
    }

    @Test
    void everyQueryRunsWithTheQueryTimeoutAndOneThatTimesOutIsAnErrorNamingIt() {
        ScriptedRunner runner = ScriptedRunner.v2().answer("ps --stack shop --output json", -1, "");
        QuantumCli quantum = new QuantumCli("quantum-cli", SETTINGS, runner, Log.silent(), java.time.Duration.ofSeconds(4));
        String ps = quantum.ps("shop", false).display();
        DeployerException error = assertThrows(DeployerException.class, () -> quantum.tasks("shop", false));

        assertEquals("deployer.quantum.queryTimeout", error.location());
        assertEquals("deployer.quantum.queryTimeout: '" + ps + "' did not answer within 4 s and was stopped",
                error.getMessage().lines().findFirst().orElseThrow());
        assertTrue(error.fix().contains("raise deployer.quantum.queryTimeout"), error.fix());
        assertEquals(List.of(java.time.Duration.ofSeconds(4)), runner.timeouts);
    }

    @Test
    void theGoalsHandTheBinaryAndTheQueryTimeoutToTheTargetAsOptionsByTheirPropertyNames() {
        assertEquals(Map.of("deployer.quantumCli", "/opt/quantum-cli", "deployer.quantum.queryTimeout", "5"),
                QuantumTarget.options("/opt/quantum-cli", "5"));
        assertEquals(Map.of("deployer.quantumCli", "quantum-cli"), QuantumTarget.options("quantum-cli", null));
        assertEquals(Map.of(), QuantumTarget.options(null, null));
    }
}
