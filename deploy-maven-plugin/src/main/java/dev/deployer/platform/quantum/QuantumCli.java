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

    /** Parameter: seconds a read-only query ({@code --help}, {@code auth status}, {@code ps}) may take. */
    public static final String QUERY_TIMEOUT_PARAMETER = "deployer.quantum.queryTimeout";

    /** The query timeout when {@value #QUERY_TIMEOUT_PARAMETER} is not set. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(60);

    private final QuantumCommands commands;
    private final CommandRunner runner;
    private final Log log;
    private final Duration queryTimeout;
    private QuantumDetection detection;

    public QuantumCli(String binary, QuantumSettings settings, CommandRunner runner, Log log) {
        this(binary, settings, runner, log, DEFAULT_QUERY_TIMEOUT);
    }

    /** As above, each query stopped (its process destroyed) after {@code queryTimeout}. */
    public QuantumCli(String binary, QuantumSettings settings, CommandRunner runner, Log log, Duration queryTimeout) {
        this.commands = new QuantumCommands(binary, settings);
        this.runner = Objects.requireNonNull(runner, "runner");
        this.log = Objects.requireNonNull(log, "log");
        this.queryTimeout = Objects.requireNonNull(queryTimeout, "queryTimeout");
    }

    /**
     * The query timeout from the option's text (whole seconds, at least 1), {@link #DEFAULT_QUERY_TIMEOUT} when it is
     * not set.
     */
    public static Duration queryTimeout(String seconds) {
        if (seconds == null || seconds.isBlank()) {
            return DEFAULT_QUERY_TIMEOUT;
        }
        try {
            long value = Long.parseLong(seconds.strip());
            if (value >= 1) {
                return Duration.ofSeconds(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DeployerException("The quantum-cli query timeout '" + seconds + "' is not a number of seconds",
                QUERY_TIMEOUT_PARAMETER, "give whole seconds, at least 1 (default "
                + DEFAULT_QUERY_TIMEOUT.toSeconds() + ")");
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

    /** Runs a read-only query; one that does not answer within the query timeout is stopped and is an error. */
    private CommandRunner.Result query(Command command) {
        CommandRunner.Result result = runner.run(command, queryTimeout);
        if (result.exitCode() == -1) {
            throw new DeployerException("'" + command.display() + "' did not answer within " + queryTimeout.toSeconds()
                    + " s and was stopped" + (result.output().isBlank() ? "" : ":\n" + command.mask(result.tail(20))),
                    QUERY_TIMEOUT_PARAMETER, "check that the endpoint's API answers ('" + command.display()
                    + "' by hand); if it is only slow, raise " + QUERY_TIMEOUT_PARAMETER + " (seconds, now "
                    + queryTimeout.toSeconds() + ")");
        }
        return result;
    }

    /** A failed (or timed-out) query with the tail of its output, masked. */
    static DeployerException failed(Command command, CommandRunner.Result result, String location, String fix) {
        String why = result.exitCode() == -1 ? "timed out" : "failed (exit " + result.exitCode() + ")";
        return new DeployerException("'" + command.display() + "' " + why + ":\n" + command.mask(result.tail(20)),
                location, fix);
    }
}
