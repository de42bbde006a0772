package dev.deployer.core;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub Actions integration: workflow commands, step outputs and the job summary. Everything is a no-op
 * outside GitHub Actions ({@code GITHUB_ACTIONS != "true"}).
 *
 * <p>Workflow commands only work when the line starts with {@code ::}, so they are written raw to the
 * process's standard output, never through Maven's logger (which prefixes {@code [INFO] }).
 */
public final class GitHubActions {

    private static final Pattern FILE_LINE = Pattern.compile("(.+?):(\\d+)(?::\\d+)?");

    private final Function<String, String> env;
    private final PrintStream stdout;

    public GitHubActions(Function<String, String> env, PrintStream stdout) {
        this.env = env;
        this.stdout = stdout;
    }

    /** The real environment and standard output. */
    public static GitHubActions fromSystem() {
        return new GitHubActions(System::getenv, System.out);
    }

    public boolean active() {
        return "true".equals(env.apply("GITHUB_ACTIONS"));
    }

    /**
     * Asks the runner to mask a secret in all later log output; a multi-line secret line by line. Lines shorter than
     * {@link Secret#MIN_MASKED_LENGTH} are not registered: the runner would mask those characters everywhere.
     */
    public void mask(Secret secret) {
        if (!active()) {
            return;
        }
        for (String line : secret.reveal().split("\\R")) {
            if (!line.isBlank() && line.strip().length() >= Secret.MIN_MASKED_LENGTH) {
                stdout.println("::add-mask::" + line);
            }
        }
        stdout.flush();
    }

    /** An error annotation on a file and line of the repository. */
    public void error(String file, int line, String message) {
        annotate("error", file, line, message);
    }

    /**
     * An error annotation for a failure whose location is a file and line ({@code path:line[:column]}, relative to
     * {@code basedir}), e.g. a template error; the path is made relative to the workspace as GitHub expects.
     * Locations that are not an existing file (a POM parameter, say) get no annotation.
     */
    public void error(DeployerException failure, Path basedir) {
        String location = failure.location();
        if (!active() || location == null) {
            return;
        }
        Matcher matcher = FILE_LINE.matcher(location);
        if (!matcher.matches() || !Files.isRegularFile(basedir.resolve(matcher.group(1)))) {
            return;
        }
        Path file = basedir.resolve(matcher.group(1)).toAbsolutePath().normalize();
        String workspace = env.apply("GITHUB_WORKSPACE");
        if (workspace != null && !workspace.isBlank() && file.startsWith(Path.of(workspace).toAbsolutePath())) {
            file = Path.of(workspace).toAbsolutePath().relativize(file);
        }
        error(file.toString(), Integer.parseInt(matcher.group(2)), failure.problem());
    }

    /** A warning annotation on a file and line of the repository. */
    public void warning(String file, int line, String message) {
        annotate("warning", file, line, message);
    }

    private void annotate(String level, String file, int line, String message) {
        if (!active()) {
            return;
        }
        String escaped = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
        stdout.println("::" + level + " file=" + file + ",line=" + Math.max(1, line) + "::" + escaped);
        stdout.flush();
    }

    /** Sets a step output ({@code $GITHUB_OUTPUT}); multi-line values use a random delimiter. */
    public void output(String name, String value) {
        String file = env.apply("GITHUB_OUTPUT");
        if (!active() || file == null || file.isBlank()) {
            return;
        }
        String entry = value.contains("\n")
                ? heredoc(name, value)
                : name + "=" + value + "\n";
        append(Path.of(file), entry);
    }

    /** Appends Markdown to the job summary ({@code $GITHUB_STEP_SUMMARY}). */
    public void summary(String markdown) {
        String file = env.apply("GITHUB_STEP_SUMMARY");
        if (!active() || file == null || file.isBlank()) {
            return;
        }
        append(Path.of(file), markdown.endsWith("\n") ? markdown : markdown + "\n");
    }

    private static String heredoc(String name, String value) {
        String delimiter = "deployer_" + UUID.randomUUID();
        return name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to " + file, e);
        }
    }
}
