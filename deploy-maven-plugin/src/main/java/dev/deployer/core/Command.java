package dev.deployer.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An external command as data: what would run, in which directory, with which extra environment. Building
 * one runs nothing; a {@link CommandRunner} runs it, or a dry run prints {@link #display()}.
 *
 * <p>Secrets never go on the command line (other users of the machine can read it): they travel only in
 * the environment, as {@link Secret}s, and print as {@value Secret#REDACTED}.
 *
 * @param argv       the program and its arguments
 * @param env        extra environment variables, plain values
 * @param secretEnv  extra environment variables whose values are secret
 * @param workdir    the working directory, or null for the current one
 */
public record Command(List<String> argv, Map<String, String> env, List<Secret> secretEnv, Path workdir) {

    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs a program");
        }
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        secretEnv = List.copyOf(secretEnv);
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), Map.of(), List.of(), null);
    }

    public static Command of(List<String> argv) {
        return new Command(argv, Map.of(), List.of(), null);
    }

    public Command in(Path directory) {
        return new Command(argv, env, secretEnv, directory);
    }

    public Command withEnv(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(env);
        more.put(name, Objects.requireNonNull(value, name));
        return new Command(argv, more, secretEnv, workdir);
    }

    public Command withEnv(Map<String, String> values) {
        Map<String, String> more = new LinkedHashMap<>(env);
        more.putAll(values);
        return new Command(argv, more, secretEnv, workdir);
    }

    /** Adds secrets to the environment, each under its own name. */
    public Command withSecrets(List<Secret> secrets) {
        List<Secret> more = new ArrayList<>(secretEnv);
        more.addAll(secrets);
        return new Command(argv, env, more, workdir);
    }

    /** The program's name, e.g. {@code docker}. */
    public String program() {
        return argv.get(0);
    }

    /** Masks every secret this command carries in {@code text} (e.g. the tool's output). */
    public String mask(String text) {
        String masked = text;
        for (Secret secret : secretEnv) {
            masked = secret.maskIn(masked);
        }
        return masked;
    }

    /** The command as a shell line, secrets as {@value Secret#REDACTED}: what a dry run prints. */
    public String display() {
        List<String> parts = new ArrayList<>();
        if (workdir != null) {
            parts.add("(cd " + quote(workdir.toString()) + " &&");
        }
        env.forEach((name, value) -> parts.add(name + "=" + quote(value)));
        secretEnv.forEach(secret -> parts.add(secret.name() + "=" + Secret.REDACTED));
        parts.add(argv.stream().map(Command::quote).collect(Collectors.joining(" ")));
        String line = String.join(" ", parts);
        return workdir != null ? line + ")" : line;
    }

    @Override
    public String toString() {
        return display();
    }

    static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_@%+=:,./\\-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
