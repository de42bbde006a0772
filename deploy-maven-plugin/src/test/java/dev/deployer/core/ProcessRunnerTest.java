package dev.deployer.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real process runner on a local shell: a command that runs over its time is stopped with all it started. */
class ProcessRunnerTest {

    @Test
    void aTimedOutCommandAndTheProcessesItStartedAreGoneWhenTheRunReturns() {
        ProcessRunner runner = new ProcessRunner(Log.silent(), () -> Map.of("PATH", "/usr/bin:/bin"));
        // prints its child's pid, then waits for it: hangs like a CLI whose request never returns
        CommandRunner.Result result = runner.run(Command.of("sh", "-c", "sleep 3600 & echo $!; wait"), Duration.ofSeconds(2));

        assertEquals(-1, result.exitCode(), "timed out: " + result.output());
        long child = Long.parseLong(result.output().strip());
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the sleeping child " + child + " is gone");
    }

    @Test
    void aCommandThatFinishesInTimeGivesItsExitCodeAndOutput() {
        ProcessRunner runner = new ProcessRunner(Log.silent(), () -> Map.of("PATH", "/usr/bin:/bin"));
        CommandRunner.Result result = runner.run(Command.of("sh", "-c", "echo done; exit 3"), Duration.ofSeconds(30));

        assertEquals(3, result.exitCode());
        assertTrue(result.output().contains("done"), result.output());
        assertEquals(List.of("done"), result.output().lines().toList());
    }
}
