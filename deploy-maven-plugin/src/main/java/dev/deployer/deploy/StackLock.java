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
 * target's {@link TargetStore}. Its labels carry the owner (user@host, pid, CI run URL), the version being
 * deployed, the start time and a random owner token, so whoever waits sees who holds it and for how long.
 *
 * <p>Only its holder releases it: {@link #release(String)} removes the record only when it still carries the token
 * this instance put there (and removes exactly that record, see {@link TargetStore#remove(TargetStore.StoredRecord)}),
 * so a deploy whose lock was broken on purpose can never delete the lock a later deploy took. A lock left by a
 * killed deploy stays visible until it is broken on purpose ({@link #breakLock}: {@code deployer:unlock} or
 * {@code -Ddeployer.forceUnlock=true}), which shows the holder and refuses a lock younger than the lock timeout
 * unless told explicitly ({@code -Ddeployer.unlockYoung=true}).
 */
public final class StackLock {

    public static final String KIND_LABEL = "dev.deployer.kind";
    public static final String STACK_LABEL = "dev.deployer.stack";
    public static final String OWNER_LABEL = "dev.deployer.owner";
    public static final String STARTED_LABEL = "dev.deployer.started";
    public static final String RUN_LABEL = "dev.deployer.run";
    /** The image being deployed by the holder ({@code repo:tag@sha256:…}). */
    public static final String VERSION_LABEL = "dev.deployer.version";
    /** A random token only the holder knows: the lock is released only by the deploy whose token it carries. */
    public static final String TOKEN_LABEL = "dev.deployer.token";
    /** The parameter that breaks a lock younger than the lock timeout. */
    public static final String UNLOCK_YOUNG = "deployer.unlockYoung";

    private final TargetStore store;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Log log;
    /** stack → the token of the lock this instance holds */
    private final Map<String, String> held = new java.util.concurrent.ConcurrentHashMap<>();

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

    /** Who deploys which version: {@link #owner(java.util.function.Function)} plus the image reference. */
    public static Map<String, String> owner(java.util.function.Function<String, String> env, String version) {
        Map<String, String> labels = owner(env);
        if (version != null) {
            labels.put(VERSION_LABEL, version);
        }
        return labels;
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
        String token = java.util.UUID.randomUUID().toString();
        while (true) {
            Map<String, String> labels = new LinkedHashMap<>(owner);
            labels.put(KIND_LABEL, "lock");
            labels.put(STACK_LABEL, stack);
            labels.put(STARTED_LABEL, clock.instant().toString());
            labels.put(TOKEN_LABEL, token);
            if (store.create(name(stack), labels, "")) {
                held.put(stack, token);
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

    /**
     * Releases the lock this instance took in {@link #acquire}, and only that one: when the record now carries
     * another token (the lock was broken on purpose and another deploy took it) or is gone, it is left alone.
     * Safe to call twice (from {@code finally} and from a shutdown hook): only the first call acts.
     *
     * @return whether this call removed the lock
     */
    public boolean release(String stack) {
        String token = held.remove(stack);
        if (token == null) {
            return false;
        }
        Optional<TargetStore.StoredRecord> record = store.find(name(stack));
        if (record.isEmpty()) {
            log.warn("The deploy lock of '" + stack + "' was already gone when this deploy ended: it was broken on purpose"
                    + " (deployer:unlock or -Ddeployer.forceUnlock) while this deploy ran");
            return false;
        }
        if (!token.equals(record.get().labels().get(TOKEN_LABEL))) {
            log.warn("The deploy lock of '" + stack + "' is now held by another deploy (" + describe(record.get())
                    + "): this deploy's lock was broken on purpose while it ran; the other deploy's lock is left to it");
            return false;
        }
        boolean removed = store.remove(record.get());
        if (removed) {
            log.debug("Released the deploy lock " + name(stack));
        }
        return removed;
    }

    /** Whether this instance holds the lock of {@code stack} (took it and has not released it). */
    public boolean holds(String stack) {
        return held.containsKey(stack);
    }

    /**
     * Breaks the lock of {@code stack} on purpose, whoever holds it (a deploy that was killed): logs its holder
     * (who, where, since when, which version), and refuses, changing nothing, when the lock is younger than
     * {@code minimumAge} (its deploy may well still run) unless {@code young} is set.
     *
     * @return the holder that was removed, empty when the stack was not locked
     * @throws DeployerException when the lock is younger than {@code minimumAge} and {@code young} is false
     */
    public Optional<String> breakLock(String stack, Duration minimumAge, boolean young) {
        Optional<TargetStore.StoredRecord> record = store.find(name(stack));
        if (record.isEmpty()) {
            return Optional.empty();
        }
        String who = describe(record.get());
        Duration age = age(record.get());
        if (!young && age.compareTo(minimumAge) < 0) {
            throw new DeployerException("Refusing to break the deploy lock of '" + stack + "': it is only " + age.toSeconds()
                    + " s old (younger than " + minimumAge.toSeconds() + " s, the lock timeout), so its deploy may still run."
                    + " Held by " + who, UNLOCK_YOUNG,
                    "wait for that deploy to end (or for the lock to be older than the lock timeout); when you are sure it"
                            + " is dead (its CI run cancelled, its process gone), break it explicitly: ./mvnw deployer:unlock"
                            + " -Ddeployer.stack=" + stack + " -D" + UNLOCK_YOUNG + "=true");
        }
        log.warn("Breaking the deploy lock of '" + stack + "' held by " + who);
        if (!store.remove(record.get())) {
            log.info("The lock of '" + stack + "' was released by its holder meanwhile");
        }
        return Optional.of(who);
    }

    private Duration age(TargetStore.StoredRecord record) {
        return Duration.between(parse(record.labels().get(STARTED_LABEL), record.created()), clock.instant());
    }

    /** who and where (user@host pid, CI run), which version, since when. */
    private String describe(TargetStore.StoredRecord record) {
        Map<String, String> labels = record.labels();
        Instant started = parse(labels.get(STARTED_LABEL), record.created());
        Duration age = Duration.between(started, clock.instant());
        String run = labels.containsKey(RUN_LABEL) && !labels.get(RUN_LABEL).isEmpty() ? ", CI run " + labels.get(RUN_LABEL) : "";
        String version = labels.containsKey(VERSION_LABEL) ? ", deploying " + labels.get(VERSION_LABEL) : "";
        return labels.getOrDefault(OWNER_LABEL, "an unknown owner") + run + version + ", since " + started + " (" + age.toSeconds() + " s ago)";
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
