package dev.deployer.core;

import java.time.Duration;

/** Runs a {@link Command}. Swappable, so that tests and dry runs can see commands without running them. */
@FunctionalInterface
public interface CommandRunner {

    /** Runs the command to completion, or until {@code timeout}, and returns its exit code and masked output. */
    Result run(Command command, Duration timeout);

    /**
     * Starts a command that runs until it is stopped (the ssh tunnel), the way {@link #run} starts its commands (the
     * same child environment, the same log line), and returns the process, its output and error output merged, its
     * input empty. A runner that starts no processes (a scripted one in a test) cannot.
     */
    default Process start(Command command) {
        throw DeployerException.of("'" + command.display() + "' would run in the background, which this command runner"
                + " cannot do", null);
    }

    /**
     * What a command did.
     *
     * @param exitCode the exit code; -1 when it timed out
     * @param output   stdout and stderr interleaved, secrets already masked
     */
    record Result(int exitCode, String output) {

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** The last {@code lines} lines of the output, for error messages. */
        public String tail(int lines) {
            String[] all = output.strip().split("\\R");
            int from = Math.max(0, all.length - lines);
            return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
        }
    }
}
