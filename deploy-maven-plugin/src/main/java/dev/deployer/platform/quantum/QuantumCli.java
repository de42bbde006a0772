package dev.deployer.platform.quantum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * quantum-cli as commands (data) plus the one thing that must run before a deploy can even be built: finding
 * out which command form the installed CLI speaks.
 *
 * <p>Detection asks the CLI ({@code --help}, then {@code <group> --help}, and {@code version} for the log)
 * and is cached for the run. Only when the help cannot be read does it probe each form's own help, moving on
 * to the next form only when the CLI answers "unknown command"; any other failure stops with the CLI's
 * output. A deploy command itself is never re-run.
 */
public final class QuantumCli {

    /** Parameter that names the binary. */
    public static final String PARAMETER = "deployer.quantumCli";

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern UNKNOWN_COMMAND = Pattern.compile("(?im)^\\s*(?:Error:\\s*)?unknown command\\b");
    private static final Pattern VERSION = Pattern.compile("(?i)version\\s+v?(\\d+(?:\\.\\d+)*\\S*)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> REMOVE_VERBS = List.of("rm", "remove", "delete");

    private final String binary;
    private final QuantumSettings settings;
    private final CommandRunner runner;
    private final Log log;
    private Detection detection;

    public QuantumCli(String binary, QuantumSettings settings, CommandRunner runner, Log log) {
        if (binary == null || binary.isBlank()) {
            throw new DeployerException("The quantum-cli program is empty", PARAMETER,
                    "leave deployer.quantumCli unset to use quantum-cli from the PATH, or name the binary");
        }
        this.binary = binary;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * What the installed CLI is and which deploy form it speaks.
     *
     * @param form      the deploy form to use
     * @param version   the version it reports, or {@code "unknown"}
     * @param commands  its top-level commands, as its help lists them (empty when unreadable)
     * @param verbs     the commands of the form's group ({@code update}, {@code ls}, …; empty when unreadable)
     */
    public record Detection(QuantumForm form, String version, Set<String> commands, Set<String> verbs) {

        public Detection {
            Objects.requireNonNull(form, "form");
            Objects.requireNonNull(version, "version");
            commands = Set.copyOf(commands);
            verbs = Set.copyOf(verbs);
        }

        /** The group's command that removes a stack ({@code rm}, {@code remove} or {@code delete}), or null. */
        public String removeVerb() {
            return REMOVE_VERBS.stream().filter(verbs::contains).findFirst().orElse(null);
        }

        /** Whether the CLI lists {@code command} (or its help could not be read, so it may). */
        public boolean mayKnow(String command) {
            return commands.isEmpty() || commands.contains(command);
        }
    }

    /** The detected form, asking the CLI the first time only. */
    public synchronized Detection detect() {
        if (detection == null) {
            detection = ask();
            log.info("quantum-cli " + detection.version() + " deploys with '" + detection.form().words() + "'");
        }
        return detection;
    }

    private Detection ask() {
        CommandRunner.Result help = query(plain("--help"));
        if (!help.succeeded()) {
            throw failed(plain("--help"), help, PARAMETER, "check deployer.quantumCli: it must name a working quantum-cli");
        }
        Set<String> top = commands(help.output());
        String version = version(top);
        if (top.isEmpty()) {
            log.debug("quantum-cli --help lists no commands; probing each form's help");
            return new Detection(probe(), version, top, Set.of());
        }
        List<QuantumForm> spoken = new ArrayList<>();
        java.util.Map<String, Set<String>> groups = new java.util.HashMap<>();
        for (String group : List.of("stacks", "stack")) {
            if (!top.contains(group)) {
                continue;
            }
            CommandRunner.Result groupHelp = query(plain(group, "--help"));
            if (!groupHelp.succeeded()) {
                throw failed(plain(group, "--help"), groupHelp, PARAMETER, null);
            }
            Set<String> verbs = commands(groupHelp.output());
            groups.put(group, verbs);
            for (QuantumForm form : QuantumForm.values()) {
                if (form.group().equals(group) && verbs.contains(form.verb())) {
                    spoken.add(form);
                }
            }
        }
        QuantumForm form = spoken.stream().min(Enum::compareTo).orElseThrow(() -> new DeployerException(
                "quantum-cli " + version + " (" + binary + ") speaks none of the deploy commands Deployer knows ("
                        + knownForms() + "); it lists: " + String.join(", ", top), PARAMETER,
                "install quantum-cli 2 or 3, or point deployer.quantumCli at it"));
        return new Detection(form, version, top, groups.get(form.group()));
    }

    /** Each form's own help, in order; the next form only when the CLI says "unknown command". */
    private QuantumForm probe() {
        for (QuantumForm form : QuantumForm.values()) {
            Command command = plain(form.group(), form.verb(), "--help");
            CommandRunner.Result result = query(command);
            if (result.succeeded() && result.output().contains(form.words())) {
                return form;
            }
            if (result.succeeded() || isUnknownCommand(result)) {
                log.debug("quantum-cli does not know '" + form.words() + "'");
                continue;
            }
            throw failed(command, result, PARAMETER, null);
        }
        throw new DeployerException("quantum-cli (" + binary + ") knows none of " + knownForms(), PARAMETER,
                "install quantum-cli 2 or 3, or point deployer.quantumCli at it");
    }

    private String version(Set<String> top) {
        Command command = top.contains("version") ? plain("version") : plain("--version");
        CommandRunner.Result result = query(command);
        Matcher matcher = VERSION.matcher(result.output());
        return result.succeeded() && matcher.find() ? matcher.group(1) : "unknown";
    }

    /** Whether a failed command failed only because the CLI does not have it: the one reason to try another form. */
    public static boolean isUnknownCommand(CommandRunner.Result result) {
        return !result.succeeded() && UNKNOWN_COMMAND.matcher(result.output()).find();
    }

    /** The names a cobra-style help lists under "Available Commands:". */
    static Set<String> commands(String help) {
        Set<String> names = new LinkedHashSet<>();
        boolean inList = false;
        for (String line : help.split("\\R")) {
            if (line.strip().equalsIgnoreCase("Available Commands:")) {
                inList = true;
            } else if (inList && line.isBlank()) {
                inList = false;
            } else if (inList && line.startsWith(" ")) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    // ---------------------------------------------------------------------------------------- commands

    /** The deploy in the detected form: credentials and the stack's secrets only in its environment. */
    public Command deploy(String stack, Path project, Path stackFile, List<Secret> stackSecrets) {
        QuantumForm form = detect().form();
        return withSettings(Command.of(form.argv(binary, stack, settings.endpoint(), project, stackFile)))
                .withSecrets(stackSecrets)
                .in(project);
    }

    /**
     * {@code <group> rm --stack S} (with {@code --endpoint} where the form has it), or null when the CLI lists
     * no removal command. Removal is not in the public material: the command is assumed (docs/quantum.md).
     */
    public Command remove(String stack) {
        Detection detected = detect();
        String verb = detected.removeVerb();
        if (verb == null) {
            return null;
        }
        List<String> argv = new ArrayList<>(List.of(binary, detected.form().group(), verb, "--stack", stack));
        if (detected.form() != QuantumForm.STACK_UPDATE) {
            argv.addAll(List.of("--endpoint", settings.endpoint()));
        }
        return withSettings(Command.of(argv));
    }

    /** {@code ps --stack S --output json} (with {@code --all} for the tasks that ended too). */
    public Command ps(String stack, boolean all) {
        List<String> argv = new ArrayList<>(List.of(binary, "ps", "--stack", stack));
        if (all) {
            argv.add("--all");
        }
        argv.addAll(List.of("--output", "json"));
        return withSettings(Command.of(argv));
    }

    /** {@code auth status}: checks the credentials and the endpoint, changes nothing. */
    public Command authStatus() {
        return withSettings(Command.of(binary, "auth", "status"));
    }

    /** Runs {@code auth status} unless the CLI has no {@code auth} command; a rejection is an error. */
    public void checkCredentials() {
        if (!detect().mayKnow("auth")) {
            log.debug("quantum-cli has no 'auth' command; the credentials are checked by the deploy itself");
            return;
        }
        Command command = authStatus();
        CommandRunner.Result result = query(command);
        if (isUnknownCommand(result)) {
            return;
        }
        if (!result.succeeded()) {
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
            if (result.output().toLowerCase(java.util.Locale.ROOT).contains("not found")
                    && result.output().contains(stack)) {
                return List.of();
            }
            throw failed(command, result, null, null);
        }
        return QuantumTask.parse(result.output(), command.display(), stack);
    }

    public String binary() {
        return binary;
    }

    public QuantumSettings settings() {
        return settings;
    }

    private Command withSettings(Command command) {
        return command.withEnv(settings.plainEnv()).withSecrets(settings.credentialSecrets());
    }

    /**
     * Help and version. They need no login, but carry the settings too: the CLI inherits the build's
     * environment anyway, and a command that carries the credential masks it in its output.
     */
    private Command plain(String... words) {
        List<String> argv = new ArrayList<>();
        argv.add(binary);
        argv.addAll(List.of(words));
        return withSettings(Command.of(argv));
    }

    private CommandRunner.Result query(Command command) {
        return runner.run(command, QUERY_TIMEOUT);
    }

    private static DeployerException failed(Command command, CommandRunner.Result result, String location, String fix) {
        String why = result.exitCode() == -1 ? "timed out" : "failed (exit " + result.exitCode() + ")";
        return new DeployerException("'" + command.display() + "' " + why + ":\n" + command.mask(result.tail(20)),
                location, fix);
    }

    private static String knownForms() {
        List<String> forms = new ArrayList<>();
        for (QuantumForm form : QuantumForm.values()) {
            forms.add("'" + form.words() + "'");
        }
        return String.join(", ", forms);
    }

    static ObjectMapper json() {
        return JSON;
    }

    /** Every JSON value in {@code text}: one (an array, an object) or one per line (Docker's {@code {{json .}}}). */
    static List<JsonNode> readJsonValues(String text, String source) {
        List<JsonNode> values = new ArrayList<>();
        try (com.fasterxml.jackson.databind.MappingIterator<JsonNode> iterator = JSON.readerFor(JsonNode.class).readValues(text)) {
            while (iterator.hasNextValue()) {
                values.add(iterator.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            throw DeployerException.of("'" + source + "' did not answer JSON: " + e.getMessage(),
                    "check that quantum-cli supports 'ps --output json' (see docs/quantum.md for the JSON Deployer reads)");
        }
        return values;
    }

    static JsonNode readJson(String text, String source) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw DeployerException.of("'" + source + "' did not answer JSON: " + e.getMessage(),
                    "check that quantum-cli supports 'ps --output json' (quantum-cli 2 or later)");
        }
    }
}
