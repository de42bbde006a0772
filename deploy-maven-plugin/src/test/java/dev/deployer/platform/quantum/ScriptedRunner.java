package dev.deployer.platform.quantum;

import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CommandRunner} for unit tests of command lines: answers each command by its arguments (the words
 * after the program) and records every command it was asked to run. A command it has no answer for fails the
 * test, so nothing runs unseen.
 */
final class ScriptedRunner implements CommandRunner {

    private final Map<String, Result> answers = new LinkedHashMap<>();
    final List<Command> ran = new ArrayList<>();
    /** The timeout each command was run with, in order. */
    final List<Duration> timeouts = new ArrayList<>();

    /** Answers {@code words} (space-separated arguments) with an exit code and output. */
    ScriptedRunner answer(String words, int exitCode, String output) {
        answers.put(words, new Result(exitCode, output));
        return this;
    }

    @Override
    public Result run(Command command, Duration timeout) {
        ran.add(command);
        timeouts.add(timeout);
        String words = String.join(" ", command.argv().subList(1, command.argv().size()));
        Result result = answers.get(words);
        if (result == null) {
            throw new AssertionError("unexpected command: " + command.display());
        }
        return new Result(result.exitCode(), command.mask(result.output()));
    }

    /** The argument lists run, without the program. */
    List<String> words() {
        return ran.stream().map(c -> String.join(" ", c.argv().subList(1, c.argv().size()))).toList();
    }

    /** Help texts the way a cobra CLI prints them. */
    static String help(String path, String... commands) {
        StringBuilder text = new StringBuilder("Usage:\n  " + path + " [command]\n\nAvailable Commands:\n");
        for (String command : commands) {
            text.append("  ").append(String.format("%-11s", command)).append(" does ").append(command).append('\n');
        }
        return text.append("\nFlags:\n  -h, --help   help for ").append(path).append('\n').toString();
    }

    /** A runner that answers like quantum-cli 2 ({@code stacks update}). */
    static ScriptedRunner v2() {
        return new ScriptedRunner()
                .answer("--help", 0, help("quantum-cli", "auth", "endpoints", "help", "ps", "stacks", "validate", "version"))
                .answer("version", 0, "quantum-cli version 2.9.1\n")
                .answer("stacks --help", 0, help("quantum-cli stacks", "ls", "rm", "update"))
                .answer("auth status", 0, "Logged in\n");
    }

    /** A runner that answers like an old quantum-cli ({@code stack update}). */
    static ScriptedRunner legacy() {
        return new ScriptedRunner()
                .answer("--help", 0, help("quantum-cli", "auth", "help", "ps", "stack", "version"))
                .answer("version", 0, "quantum-cli version 1.12.0\n")
                .answer("stack --help", 0, help("quantum-cli stack", "ls", "update"))
                .answer("auth status", 0, "Logged in\n");
    }

    /** A runner that answers like quantum-cli 3 ({@code stacks deploy}). */
    static ScriptedRunner v3() {
        return new ScriptedRunner()
                .answer("--help", 0, help("quantum-cli", "auth", "help", "ps", "stacks", "version"))
                .answer("version", 0, "quantum-cli version 3.1.0\n")
                .answer("stacks --help", 0, help("quantum-cli stacks", "deploy", "ls", "rm"))
                .answer("auth status", 0, "Logged in\n");
    }
}
