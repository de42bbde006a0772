package dev.deployer.core;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands as real processes, each started from an allowlisted environment ({@link ChildEnvironment}), never
 * the build's whole environment. Output goes to the log at debug level, masked, line by line, and comes
 * back in the {@link CommandRunner.Result} so a caller can replay it when the command fails.
 */
public final class ProcessRunner implements CommandRunner {

    /** How long a killed child of a timed-out command may take to be gone. */
    private static final Duration DESCENDANT_EXIT = Duration.ofSeconds(10);

    private final Log log;
    private final java.util.function.Supplier<Map<String, String>> parent;

    /** A runner whose processes start from an allowlist of this process's environment ({@link ChildEnvironment}). */
    public ProcessRunner(Log log) {
        this(log, System::getenv);
    }

    /** As above, the parent environment given (a test's). */
    public ProcessRunner(Log log, java.util.function.Supplier<Map<String, String>> parent) {
        this.log = log;
        this.parent = parent;
    }

    @Override
    public Result run(Command command, Duration timeout) {
        log.debug("Running: " + command.display());
        ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectErrorStream(true);
        if (command.workdir() != null) {
            builder.directory(command.workdir().toFile());
        }
        ChildEnvironment.apply(builder, command, parent.get());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw DeployerException.of("Cannot start '" + command.program() + "': " + e.getMessage(),
                    "install " + command.program() + " or put it on the PATH");
        }
        closeQuietly(process);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> copy(process.getInputStream(), output), "deployer-output-" + command.program());
        pump.setDaemon(true);
        pump.start();
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                log.debug("'" + command.program() + "' did not finish within " + timeout.toSeconds() + " s: stopping it");
                destroyTree(process);
            }
            pump.join();
            String text = command.mask(output.toString(StandardCharsets.UTF_8));
            text.lines().forEach(line -> log.debug("  " + command.program() + "> " + line));
            return new Result(finished ? process.exitValue() : -1, text);
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw DeployerException.of("Interrupted while running '" + command.program() + "'", null);
        }
    }

    @Override
    public Process start(Command command) {
        log.debug("Running: " + command.display());
        ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (command.workdir() != null) {
            builder.directory(command.workdir().toFile());
        }
        ChildEnvironment.apply(builder, command, parent.get());
        try {
            return builder.start();
        } catch (IOException e) {
            throw DeployerException.of("Cannot start '" + command.program() + "': " + e.getMessage(),
                    "install " + command.program() + " or put it on the PATH");
        }
    }

    /**
     * Kills a process that ran over its time and everything it started (e.g. the {@code sleep} or {@code curl} of a
     * hung CLI), and waits until they are gone: nothing of a timed-out command outlives its run, and no orphan keeps
     * its output open.
     */
    private void destroyTree(Process process) throws InterruptedException {
        java.util.List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.waitFor();
        for (ProcessHandle descendant : descendants) {
            try {
                descendant.onExit().get(DESCENDANT_EXIT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.warn("Process " + descendant.pid() + ", started by a command that timed out, was killed but has not "
                        + "exited after " + DESCENDANT_EXIT.toSeconds() + " s");
            }
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the process has no use for standard input; a failure to close it changes nothing
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
