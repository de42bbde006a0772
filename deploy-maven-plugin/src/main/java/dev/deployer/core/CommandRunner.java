package dev.deployer.core;

import java.time.Duration;

/** Runs a {@link Command}. Swappable, so that tests and dry runs can see commands without running them. */
@FunctionalInterface
public interface CommandRunner {

    /** Runs the command to completion, or until {@code timeout}, and returns its exit code and masked output. */
    Result run(Command command, Duration timeout);

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
