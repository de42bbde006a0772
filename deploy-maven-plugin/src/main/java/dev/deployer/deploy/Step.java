package dev.deployer.deploy;

import dev.deployer.core.Command;
import dev.deployer.verify.SmokeCheck;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a {@link Plan}, as data. A target builds the steps that change its stack ({@link Run commands},
 * {@link AwaitHealthy health gates}); the {@link Runbook} puts them between the steps every deploy shares (lock,
 * snapshot of the rollback point, writing the rendered files, verification, history record, report, unlock).
 *
 * <p>Every step carries its exact {@link #display()}: the command, or for an API call (the lock and history records,
 * the registry look-up) its CLI equivalent. The {@link PrintingExecutor} prints it (the dry run); the
 * {@link LiveExecutor} does what it says.
 */
public sealed interface Step permits Step.Run, Step.AwaitHealthy, Step.Call, Step.Note, Step.ResolveDigest, Step.Check, Step.ForceUnlock,
        Step.Lock, Step.Snapshot, Step.WriteFiles, Step.SkipIfUnchanged, Step.Verify, Step.Record, Step.Report,
        Step.Unlock {

    /** What a dry run prints for this step, secrets as {@code [REDACTED]}; lines starting with {@code #} are not commands. */
    String display();

    /**
     * Runs a command; a non-zero exit code fails the deploy (and rolls back when the stack changed).
     *
     * @param description  what the step does, for the log ("Deploying group 1: redis")
     * @param command      the command; secrets only in its secret environment
     * @param timeout      how long it may take
     * @param changesStack whether the command may change what runs (an {@code up}, a {@code stack deploy}); false
     *                     for one that only prepares (a {@code docker pull}): when such a step fails before anything
     *                     changed, the deploy stops without a restore and says that nothing was changed
     */
    record Run(String description, Command command, Duration timeout, boolean changesStack, String retryWhen) implements Step {
        public Run {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(timeout, "timeout");
        }

        public Run(String description, Command command, Duration timeout, boolean changesStack) {
            this(description, command, timeout, changesStack, null);
        }

        /** A command that may change what runs. */
        public Run(String description, Command command, Duration timeout) {
            this(description, command, timeout, true);
        }

        /**
         * The same command, run once more when it fails saying {@code output}: a transient refusal after which running
         * the same declarative command again is safe (e.g. Swarm's "update out of sequence").
         */
        public Run retryingOnceWhen(String output) {
            return new Run(description, command, timeout, changesStack, output);
        }

        @Override
        public String display() {
            return command.display() + (retryWhen == null ? "" : "  # once more if it fails with '" + retryWhen + "'");
        }
    }

    /**
     * Waits until the target reports these services healthy ({@link Target#health}), polling with growing backoff
     * up to the deploy's health timeout; a service that fails or does not get healthy fails the deploy.
     *
     * @param services the services to wait for; empty = every service of the stack
     */
    record AwaitHealthy(List<String> services) implements Step {
        public AwaitHealthy {
            services = List.copyOf(services);
        }

        @Override
        public String display() {
            return "# wait until healthy: " + (services.isEmpty() ? "all services" : String.join(", ", services));
        }
    }

    /**
     * A target's own action that decides at run time what to run (e.g. Compose blue/green: which containers ran
     * before, what the proxy routes to). A dry run prints {@code display}: every command it may run, run-time values in
     * {@code <angle brackets>}; a live run calls {@code action}, which throws {@link dev.deployer.core.DeployerException}
     * to fail the deploy (which then rolls back like a failed {@link Run}).
     *
     * @param description what it does, for the log ("app: blue/green behind proxy")
     * @param display     the commands it runs, as a dry run prints them
     * @param services    the services it changes (their logs are shown when it fails)
     * @param action      does it
     */
    record Call(String description, String display, List<String> services, Runnable action) implements Step {
        public Call {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(display, "display");
            services = List.copyOf(services);
            Objects.requireNonNull(action, "action");
        }
    }

    /** A line that explains, does nothing (e.g. what a rollback from the history does once it has read it). */
    record Note(String display) implements Step {
    }

    /**
     * The registry look-up of {@code -Ddeployer.tag}'s digest. A live plan has done it while it was built (the
     * rendered stack names the digest); a dry run prints it instead of asking the registry.
     */
    record ResolveDigest(String repository, String tag, String display) implements Step {
    }

    /**
     * A check that reads and changes nothing, made before the lock (the image's signature, its platforms against the
     * target's nodes): a refusal ends the deploy with no lock taken and nothing pulled. A dry run prints {@code display}
     * (the CLI equivalent of what would be read) and contacts nothing; a live run calls {@code check}.
     *
     * @param description what is checked, for the log ("architecture", "signature")
     * @param display     the CLI-equivalent look-ups
     * @param check       reads and checks; throws {@link dev.deployer.core.DeployerException} to refuse
     */
    record Check(String description, String display, Runnable check) implements Step {
        public Check {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(display, "display");
            Objects.requireNonNull(check, "check");
        }
    }

    /** Releases a lock left behind by a killed deploy, showing who held it ({@code -Ddeployer.forceUnlock}, {@code deployer:unlock}). */
    record ForceUnlock(String stack, String display) implements Step {
    }

    /** Takes the stack's lock, waiting up to {@code timeout} while another deploy holds it. */
    record Lock(String stack, Map<String, String> owner, Duration timeout, String display) implements Step {
        public Lock {
            owner = Map.copyOf(owner);
        }
    }

    /** Reads what runs now and the stack's history: the rollback point. */
    record Snapshot(String stack, String display) implements Step {
    }

    /**
     * Writes the rendered files (placeholders only, never secret values) into {@code directory}, replacing what an
     * earlier run left there. Done under the lock, so two deploys from one checkout never overwrite each other's files.
     *
     * @param files name relative to {@code directory} to content, in writing order
     */
    record WriteFiles(Path directory, Map<String, String> files, String display) implements Step {
        public WriteFiles {
            files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
        }
    }

    /** Ends the deploy as UNCHANGED (after verifying health) when the digest already runs with the same stack file. */
    record SkipIfUnchanged(String display) implements Step {
    }

    /** Container health of every service, the wanted digest really running, the health URL, the smoke checks. */
    record Verify(URI healthUrl, List<SmokeCheck> smokeChecks, String display) implements Step {
        public Verify {
            smokeChecks = List.copyOf(smokeChecks);
        }
    }

    /** Adds a {@code status} entry to the stack's history ({@code deployed}, {@code rollback}). */
    record Record(String status, String display) implements Step {
    }

    /** Prints the summary, writes {@code deployment.json} and the CI job summary. */
    record Report(Path deploymentJson, String display) implements Step {
    }

    /** Releases the lock this deploy took: always, also after a failure or an interruption. */
    record Unlock(String stack, String display) implements Step {
    }

    static Run run(String description, Command command, Duration timeout) {
        return new Run(description, command, timeout);
    }

    /** A command that only prepares (e.g. pulls an image) and changes nothing that runs. */
    static Run prepare(String description, Command command, Duration timeout) {
        return new Run(description, command, timeout, false);
    }

    static Call call(String description, String display, List<String> services, Runnable action) {
        return new Call(description, display, services, action);
    }

    static AwaitHealthy awaitHealthy(List<String> services) {
        return new AwaitHealthy(services);
    }
}
