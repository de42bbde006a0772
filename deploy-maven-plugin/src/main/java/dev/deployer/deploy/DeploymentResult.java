package dev.deployer.deploy;

import dev.deployer.core.ImageRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How a deploy ended when it did not fail (a failed deploy throws {@link DeployFailedException}).
 *
 * @param outcome         what happened
 * @param target          the target name
 * @param stack           the stack
 * @param environment     the environment
 * @param image           the image now running (or that would run, for a dry run)
 * @param previous        the image that ran before, or null on a first deploy
 * @param url             the health URL, or null
 * @param started         when the deploy started
 * @param duration        how long it took
 * @param rollbackCommand the exact command that brings the previous version back, or null
 */
public record DeploymentResult(Outcome outcome, String target, String stack, String environment, ImageRef image,
        ImageRef previous, String url, Instant started, Duration duration, String rollbackCommand) {

    public DeploymentResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(image, "image");
    }

    public enum Outcome {
        /** A new version runs and is verified. */
        DEPLOYED,
        /** The digest already ran; it was verified healthy again and nothing changed. */
        UNCHANGED,
        /** Nothing ran: every command was printed. */
        DRY_RUN
    }
}
