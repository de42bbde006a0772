package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import dev.deployer.verify.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One deploy per stack at a time: a record named {@code deployer-lock-<stack>} created atomically in the
 * target's {@link TargetStore}. Its labels carry the owner (user@host, pid, CI run URL) and the start time, so
 * whoever waits sees who holds it and for how long; a lock left by a killed deploy stays visible until it is
 * released on purpose ({@code deployer:unlock} or {@code -Ddeployer.forceUnlock=true}).
 */
public final class StackLock {

    public static final String KIND_LABEL = "dev.deployer.kind";
    public static final String STACK_LABEL = "dev.deployer.stack";
    public static final String OWNER_LABEL = "dev.deployer.owner";
    public static final String STARTED_LABEL = "dev.deployer.started";
    public static final String RUN_LABEL = "dev.deployer.run";

    private final TargetStore store;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Log log;

    public StackLock(TargetStore store, Clock clock, Sleeper sleeper, Log log) {
        this.store = store;
        this.clock = clock;
        this.sleeper = sleeper;
        this.log = log;
    }

    /** The record name of the lock of {@code stack}. */
    public static String name(String stack) {
        return "deployer-lock-" + stack;
    }

    /** Who deploys: {@code user@host pid N}, and the CI run URL when there is one. */
    public static Map<String, String> owner(java.util.function.Function<String, String> env) {
        Map<String, String> labels = new LinkedHashMap<>();
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        labels.put(OWNER_LABEL, System.getProperty("user.name") + "@" + host + " pid " + ProcessHandle.current().pid());
        String server = env.apply("GITHUB_SERVER_URL");
        String repo = env.apply("GITHUB_REPOSITORY");
        String run = env.apply("GITHUB_RUN_ID");
        if (server != null && repo != null && run != null) {
            labels.put(RUN_LABEL, server + "/" + repo + "/actions/runs/" + run);
        }
        return labels;
    }

    /**
     * Takes the lock, waiting up to {@code timeout} while another deploy holds it and reporting its owner and age.
     *
     * @throws DeployerException when the lock is still held after the timeout
     */
    public void acquire(String stack, Map<String, String> owner, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        Duration pause = Duration.ofMillis(200);
        Instant lastReport = Instant.MIN;
        while (true) {
            Map<String, String> labels = new LinkedHashMap<>(owner);
            labels.put(KIND_LABEL, "lock");
            labels.put(STACK_LABEL, stack);
            labels.put(STARTED_LABEL, clock.instant().toString());
            if (store.create(name(stack), labels, "")) {
                log.debug("Took the deploy lock " + name(stack));
                return;
            }
            Optional<TargetStore.StoredRecord> holder = store.find(name(stack));
            if (holder.isEmpty()) {
                continue; // released between our attempt and our look: try again at once
            }
            String who = describe(holder.get());
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new DeployerException("Stack '" + stack + "' is locked by another deploy: " + who, "deployer.lockTimeout",
                        "wait for that deploy to finish, raise -Ddeployer.lockTimeout, or when that deploy is dead (killed)"
                                + " release the lock on purpose: ./mvnw deployer:unlock -Ddeployer.stack=" + stack);
            }
            if (Duration.between(lastReport, now).compareTo(Duration.ofSeconds(5)) >= 0) {
                log.info("Waiting for the deploy lock of '" + stack + "', held by " + who);
                lastReport = now;
            }
            try {
                sleeper.sleep(min(pause, Duration.between(now, deadline)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DeployerException.of("Interrupted while waiting for the deploy lock of '" + stack + "'", null);
            }
            pause = min(pause.multipliedBy(2), Duration.ofSeconds(2));
        }
    }

    /** Who holds the lock of {@code stack} and since when, or empty. */
    public Optional<String> holder(String stack) {
        return store.find(name(stack)).map(this::describe);
    }

    /** Releases the lock; returns false when there was none. */
    public boolean release(String stack) {
        return store.remove(name(stack));
    }

    private String describe(TargetStore.StoredRecord record) {
        Map<String, String> labels = record.labels();
        Instant started = parse(labels.get(STARTED_LABEL), record.created());
        Duration age = Duration.between(started, clock.instant());
        String run = labels.containsKey(RUN_LABEL) ? ", CI run " + labels.get(RUN_LABEL) : "";
        return labels.getOrDefault(OWNER_LABEL, "an unknown owner") + run + ", since " + started + " (" + age.toSeconds() + " s ago)";
    }

    private static Instant parse(String text, Instant fallback) {
        try {
            return text == null ? fallback : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return fallback;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
