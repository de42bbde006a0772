package dev.deployer.platform.quantum;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the installed quantum-cli is and which deploy form it speaks, as {@link QuantumDetector} found out.
 *
 * @param form      the deploy form to use
 * @param version   the version it reports, or {@code "unknown"}
 * @param commands  its top-level commands, as its help lists them (empty when unreadable)
 * @param verbs     the commands of the form's group ({@code update}, {@code ls}, …; empty when unreadable)
 */
public record QuantumDetection(QuantumForm form, String version, Set<String> commands, Set<String> verbs) {

    private static final List<String> REMOVE_VERBS = List.of("rm", "remove", "delete");

    public QuantumDetection {
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(version, "version");
        commands = Set.copyOf(commands);
        verbs = Set.copyOf(verbs);
    }

    /** The group's command that removes a stack ({@code rm}, {@code remove} or {@code delete}), or null. */
    public String removeVerb() {
        return REMOVE_VERBS.stream().filter(verbs::contains).findFirst().orElse(null);
    }

    /** Whether the CLI lists {@code command} (or its help could not be read, so it may). */
    public boolean mayKnow(String command) {
        return commands.isEmpty() || commands.contains(command);
    }
}
