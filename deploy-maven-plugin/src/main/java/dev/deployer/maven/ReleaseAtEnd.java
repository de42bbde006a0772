package dev.deployer.maven;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.execution.MavenSession;

/**
 * The deploy of a release the reactor root owns ({@code deployer.releaseOwner=root}), run once at the end of the
 * reactor: the root is normally built first, so its {@code deployer:deploy} only hands over its deploy; every project of
 * the build that runs {@code deployer:deploy} then arrives here, and the one that arrives last (whichever thread, under
 * {@code -T}) runs the root's deploy, exactly once. A project that never arrives (its build failed, so Maven stops or
 * skips it) means the release is never deployed.
 *
 * <p>Like maven-deploy-plugin's {@code deployAtEnd}, but with one lock: the state lives in the build's resolver session
 * data (shared by every thread's copy of the Maven session, created atomically), not in a plugin context that two
 * threads could each create on first use.
 */
final class ReleaseAtEnd {

    /** The key in the build's session data. */
    static final String KEY = ReleaseAtEnd.class.getName();

    private final Set<String> expected;
    private final Set<String> arrived = new LinkedHashSet<>();
    private Runnable ownerDeploy;
    private boolean claimed;
    private boolean failureReported;

    /** @param expected the ids of the projects of this build that run {@code deployer:deploy}, the root's included */
    ReleaseAtEnd(Set<String> expected) {
        this.expected = Set.copyOf(expected);
    }

    /**
     * The state of this build's release, created on first use with {@code expected}; a build without a resolver session
     * (a harness test) gets a state of its own.
     */
    static ReleaseAtEnd of(MavenSession session, Set<String> expected) {
        if (session == null || session.getRepositorySession() == null || session.getRepositorySession().getData() == null) {
            return new ReleaseAtEnd(expected);
        }
        Object state = session.getRepositorySession().getData().computeIfAbsent(KEY, () -> new ReleaseAtEnd(expected));
        return (ReleaseAtEnd) state;
    }

    /**
     * Project {@code projectId} has reached {@code deployer:deploy}; the root also hands over its deploy. Returns the
     * root's deploy when this arrival is the last one the release waited for (and only to that one caller).
     */
    synchronized Optional<Runnable> arrive(String projectId, Runnable deploy) {
        Objects.requireNonNull(projectId, "projectId");
        arrived.add(projectId);
        if (deploy != null) {
            ownerDeploy = deploy;
        }
        if (!claimed && ownerDeploy != null && arrived.containsAll(expected)) {
            claimed = true;
            return Optional.of(ownerDeploy);
        }
        return Optional.empty();
    }

    /**
     * The projects the release still waits for that {@code failed} (their build failed, so they never reach
     * {@code deployer:deploy}: the release is never deployed), sorted; empty when none did, when the release was
     * deployed, or when an earlier caller already got them (so that it is reported once).
     */
    synchronized List<String> failedOnce(java.util.function.Predicate<String> failed) {
        if (claimed || failureReported) {
            return List.of();
        }
        List<String> failures = expected.stream().filter(id -> !arrived.contains(id)).filter(failed).sorted().toList();
        failureReported = !failures.isEmpty();
        return failures;
    }

    /** The projects that have not reached {@code deployer:deploy} yet, in no particular order. */
    synchronized List<String> waitingFor() {
        return expected.stream().filter(id -> !arrived.contains(id)).sorted().toList();
    }
}
