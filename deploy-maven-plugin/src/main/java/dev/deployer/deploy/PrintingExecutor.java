package dev.deployer.deploy;

import dev.deployer.core.Log;

/**
 * The dry run: prints a {@link Plan} exactly, in order (every command as it would run, secrets as
 * {@code [REDACTED]}; API calls as their CLI equivalent), then what the restore branch does. Runs nothing, writes
 * nothing, needs no engine and no registry.
 */
public final class PrintingExecutor {

    private final Log log;

    public PrintingExecutor(Log log) {
        this.log = log;
    }

    /** Prints the plan's lines at INFO. */
    public void print(Plan plan) {
        log.info("Dry run: these are the steps " + plan.title() + " would take; nothing is changed.");
        plan.lines().forEach(line -> log.info("  " + line));
        plan.onFailure().forEach(line -> log.info("  " + line));
    }
}
