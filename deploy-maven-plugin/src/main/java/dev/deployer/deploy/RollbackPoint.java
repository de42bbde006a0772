package dev.deployer.deploy;

import dev.deployer.core.ImageRef;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a failed deploy goes back to, read under the lock before anything changes.
 *
 * @param before   what ran (per service the image and digest); empty on a first deploy
 * @param entries  the stack's history, newest first
 * @param entry    the good history entry to restore (its stack file and image), or null when the history has none
 * @param previous the image to restore, or null when nothing of the app ran
 * @param verified whether what runs now is a version the history records as good; false when a deploy was killed or
 *                 interrupted half-way (what runs then is not a version to go back to: the newest good one is)
 */
record RollbackPoint(StackState before, List<DeployHistory.Entry> entries, DeployHistory.Entry entry, ImageRef previous,
        boolean verified) {

    /** The rollback point for a deploy of {@code repository}'s image, given what runs and the history. */
    static RollbackPoint of(StackState before, List<DeployHistory.Entry> entries, String repository) {
        Optional<StackState.ServiceState> app = appService(before, repository);
        String running = app.map(StackState.ServiceState::digest).orElse(null);
        // a good entry runs when every image of it does (a release's all, else its one)
        Optional<DeployHistory.Entry> same = entries.stream().filter(DeployHistory.Entry::good)
                .filter(e -> running != null && e.runsIn(before)).findFirst();
        if (same.isPresent()) {
            DeployHistory.Entry entry = same.get();
            return new RollbackPoint(before, entries, entry, new ImageRef(entry.repository(), entry.tag(), entry.digest()), true);
        }
        Optional<DeployHistory.Entry> newestGood = entries.stream().filter(DeployHistory.Entry::good).findFirst();
        if (app.isPresent() && newestGood.isPresent()) {
            // a deploy was killed or interrupted half-way: what runs was never verified, the newest good version was
            DeployHistory.Entry entry = newestGood.get();
            return new RollbackPoint(before, entries, entry, new ImageRef(entry.repository(), entry.tag(), entry.digest()), false);
        }
        ImageRef previous = running == null ? null : new ImageRef(repository, "unknown", running);
        return new RollbackPoint(before, entries, null, previous, true);
    }

    /** Whether {@code image} already runs with exactly {@code stackText}, as a verified version: nothing to deploy. */
    boolean unchanged(ImageRef image, String stackText) {
        return verified && previous != null && entry != null && image.digest() != null && image.digest().equals(previous.digest())
                && entry.stackText().equals(stackText);
    }

    /** The newest good entry whose digest is not {@code current}'s: what a later rollback would go back to. */
    ImageRef previousGood(ImageRef current) {
        return entries.stream().filter(DeployHistory.Entry::good).filter(e -> !Objects.equals(e.digest(), current.digest()))
                .findFirst().map(e -> new ImageRef(e.repository(), e.tag(), e.digest())).orElse(null);
    }

    /** The first service running an image of {@code repository}. */
    static Optional<StackState.ServiceState> appService(StackState state, String repository) {
        return state.services().stream().filter(s -> ImageRef.repositoryOf(s.image()).equals(repository)).findFirst();
    }
}
