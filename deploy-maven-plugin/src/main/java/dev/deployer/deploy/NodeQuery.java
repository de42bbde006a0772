package dev.deployer.deploy;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a {@link Target} reads the platforms of the servers a stack's image would run on, for the
 * {@link ArchitectureCheck} before the lock: building it contacts nothing (a dry run prints {@code display}); only
 * {@code read} asks the engine.
 *
 * @param where   what the nodes are, for messages: {@code the server}, {@code service app's nodes}
 * @param display the look-up as the equivalent CLI command(s)
 * @param read    reads the nodes' platforms (read-only)
 */
public record NodeQuery(String where, String display, Supplier<List<NodePlatform>> read) {

    public NodeQuery {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(display, "display");
        Objects.requireNonNull(read, "read");
    }
}
