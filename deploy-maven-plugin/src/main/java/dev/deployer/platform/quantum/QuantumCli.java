package dev.deployer.platform.quantum;

import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * quantum-cli for the target: its commands ({@link QuantumCommands}, data) in the form the installed CLI speaks
 * ({@link QuantumDetector}, asked once and cached for the run), and the read-only queries the target runs itself
 * (credentials, tasks).
 */
public final class QuantumCli {

    /** Parameter that names the binary. */
    public static final String PARAMETER = "deployer.quantumCli";

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

    private final QuantumCommands commands;
    private final CommandRunner runner;
    private final Log log;
    private QuantumDetection detection;

    public QuantumCli(String binary, QuantumSettings settings, CommandRunner runner, Log log) {
        this.commands = new QuantumCommands(binary, settings);
        this.runner = Objects.requireNonNull(runner, "runner");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The detected form, asking the CLI the first time only. */
    public synchronized QuantumDetection detect() {
        if (detection == null) {
            detection = new QuantumDetector(commands, this::query, log).detect();
            log.info("quantum-cli " + detection.version() + " deploys with '" + detection.form().words() + "'");
        }
        return detection;
    }

    /** The deploy in the detected form: credentials and the stack's secrets only in its environment. */
    public Command deploy(String stack, Path project, Path stackFile, List<Secret> stackSecrets) {
        return commands.deploy(detect().form(), stack, project, stackFile, stackSecrets);
    }

    /** One deploy phase in the detected form: {@code environment} names the phase's file in {@code .quantum}. */
    public Command deploy(String stack, Path project, Path stackFile, String environment, List<Secret> stackSecrets) {
        return commands.deploy(detect().form(), stack, project, stackFile, environment, stackSecrets);
    }

    /** The removal in the detected form, or null when the CLI lists no removal command (see {@link QuantumCommands#remove}). */
    public Command remove(String stack) {
        return commands.remove(detect(), stack);
    }

    /** {@code ps --stack S --output json} (with {@code --all} for the tasks that ended too). */
    public Command ps(String stack, boolean all) {
        return commands.ps(stack, all);
    }

    /** {@code auth status}: checks the credentials and the endpoint, changes nothing. */
    public Command authStatus() {
        return commands.authStatus();
    }

    /** Runs {@code auth status} unless the CLI has no {@code auth} command; a rejection is an error. */
    public void checkCredentials() {
        if (!detect().mayKnow("auth")) {
            log.debug("quantum-cli has no 'auth' command; the credentials are checked by the deploy itself");
            return;
        }
        Command command = authStatus();
        CommandRunner.Result result = query(command);
        if (QuantumDetector.isUnknownCommand(result)) {
            return;
        }
        if (!result.succeeded()) {
            QuantumSettings settings = settings();
            throw failed(command, result, settings.user() == null ? QuantumSettings.API_KEY : QuantumSettings.USER,
                    "check QUANTUM_API_KEY (or QUANTUM_USER/QUANTUM_PASSWORD) and "
                    + "QUANTUM_ENDPOINT: 'quantum-cli endpoints ls' lists the endpoints the credentials can use");
        }
    }

    /** The tasks of a stack as {@code ps --output json} gives them; empty when the stack does not exist. */
    public List<QuantumTask> tasks(String stack, boolean all) {
        Command command = ps(stack, all);
        CommandRunner.Result result = query(command);
        if (!result.succeeded()) {
            if (result.output().toLowerCase(Locale.ROOT).contains("not found") && result.output().contains(stack)) {
                return List.of();
            }
            throw failed(command, result, null, null);
        }
        return QuantumTask.parse(result.output(), command.display(), stack);
    }

    public String binary() {
        return commands.binary();
    }

    public QuantumSettings settings() {
        return commands.settings();
    }

    private CommandRunner.Result query(Command command) {
        return runner.run(command, QUERY_TIMEOUT);
    }

    /** A failed (or timed-out) query with the tail of its output, masked. */
    static DeployerException failed(Command command, CommandRunner.Result result, String location, String fix) {
        String why = result.exitCode() == -1 ? "timed out" : "failed (exit " + result.exitCode() + ")";
        return new DeployerException("'" + command.display() + "' " + why + ":\n" + command.mask(result.tail(20)),
                location, fix);
    }
}
