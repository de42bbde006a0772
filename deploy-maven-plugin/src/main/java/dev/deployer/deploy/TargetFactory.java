package dev.deployer.deploy;

/**
 * Creates a {@link Target} by name. Implementations are found with {@link java.util.ServiceLoader}: list the class
 * in {@code META-INF/services/dev.deployer.deploy.TargetFactory}. That is how the compose, swarm and quantum
 * targets plug in without {@link Targets} knowing them.
 */
public interface TargetFactory {

    /** The name selected with {@code deployer.target}. */
    String name();

    /** A new target working with {@code context}. Connects to nothing yet: {@link Target#check()} does. */
    Target create(TargetContext context);

    /**
     * A target for building a plan only (a dry run): it must not contact the engine or endpoint, not even ahead of
     * use in the background. By default {@link #create}.
     */
    default Target createForPlanning(TargetContext context) {
        return create(context);
    }
}
