package dev.deployer.platform.quantum;

import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds out which command form the installed quantum-cli speaks: the one thing that must run before a deploy can
 * even be built.
 *
 * <p>Asks the CLI ({@code --help}, then {@code <group> --help}, and {@code version} for the log). Only when the help
 * cannot be read does it probe each form's own help, moving on to the next form only when the CLI answers
 * "unknown command"; any other failure stops with the CLI's output. A deploy command itself is never re-run.
 */
final class QuantumDetector {

    private static final Pattern UNKNOWN_COMMAND = Pattern.compile("(?im)^\\s*(?:Error:\\s*)?unknown command\\b");
    private static final Pattern VERSION = Pattern.compile("(?i)version\\s+v?(\\d+(?:\\.\\d+)*\\S*)");

    private final QuantumCommands commands;
    private final Function<Command, CommandRunner.Result> query;
    private final Log log;

    /** @param query runs a read-only command (with the CLI's query timeout) */
    QuantumDetector(QuantumCommands commands, Function<Command, CommandRunner.Result> query, Log log) {
        this.commands = commands;
        this.query = query;
        this.log = log;
    }

    QuantumDetection detect() {
        CommandRunner.Result help = query.apply(commands.plain("--help"));
        if (!help.succeeded()) {
            throw QuantumCli.failed(commands.plain("--help"), help, QuantumCli.PARAMETER,
                    "check deployer.quantumCli: it must name a working quantum-cli");
        }
        Set<String> top = commands(help.output());
        String version = version(top);
        if (top.isEmpty()) {
            log.debug("quantum-cli --help lists no commands; probing each form's help");
            return new QuantumDetection(probe(), version, top, Set.of());
        }
        List<QuantumForm> spoken = new ArrayList<>();
        Map<String, Set<String>> groups = new HashMap<>();
        for (String group : List.of("stacks", "stack")) {
            if (!top.contains(group)) {
                continue;
            }
            CommandRunner.Result groupHelp = query.apply(commands.plain(group, "--help"));
            if (!groupHelp.succeeded()) {
                throw QuantumCli.failed(commands.plain(group, "--help"), groupHelp, QuantumCli.PARAMETER, null);
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
                "quantum-cli " + version + " (" + commands.binary() + ") speaks none of the deploy commands Deployer knows ("
                        + knownForms() + "); it lists: " + String.join(", ", top), QuantumCli.PARAMETER,
                "install quantum-cli 2 or 3, or point deployer.quantumCli at it"));
        return new QuantumDetection(form, version, top, groups.get(form.group()));
    }

    /** Each form's own help, in order; the next form only when the CLI says "unknown command". */
    private QuantumForm probe() {
        for (QuantumForm form : QuantumForm.values()) {
            Command command = commands.plain(form.group(), form.verb(), "--help");
            CommandRunner.Result result = query.apply(command);
            if (result.succeeded() && result.output().contains(form.words())) {
                return form;
            }
            if (result.succeeded() || isUnknownCommand(result)) {
                log.debug("quantum-cli does not know '" + form.words() + "'");
                continue;
            }
            throw QuantumCli.failed(command, result, QuantumCli.PARAMETER, null);
        }
        throw new DeployerException("quantum-cli (" + commands.binary() + ") knows none of " + knownForms(),
                QuantumCli.PARAMETER, "install quantum-cli 2 or 3, or point deployer.quantumCli at it");
    }

    private String version(Set<String> top) {
        Command command = top.contains("version") ? commands.plain("version") : commands.plain("--version");
        CommandRunner.Result result = query.apply(command);
        Matcher matcher = VERSION.matcher(result.output());
        return result.succeeded() && matcher.find() ? matcher.group(1) : "unknown";
    }

    /** Whether a failed command failed only because the CLI does not have it: the one reason to try another form. */
    static boolean isUnknownCommand(CommandRunner.Result result) {
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

    private static String knownForms() {
        List<String> forms = new ArrayList<>();
        for (QuantumForm form : QuantumForm.values()) {
            forms.add("'" + form.words() + "'");
        }
        return String.join(", ", forms);
    }
}
