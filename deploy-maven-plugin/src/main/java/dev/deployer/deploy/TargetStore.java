package dev.deployer.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Small named records kept on the target itself, so that every machine that deploys sees the same lock and
 * history (a fresh checkout included). Compose keeps them as created, never started containers with labels;
 * Swarm as Swarm configs. Values are plain text and never secret.
 */
public interface TargetStore {

    /**
     * Creates a record atomically: returns false, changing nothing, when a record of that name already exists.
     *
     * @param name   unique name, e.g. {@code deployer-lock-<stack>}
     * @param labels small key/value pairs (owner, times, versions)
     * @param data   a larger text payload (e.g. the stack file with placeholders), may be empty
     */
    boolean create(String name, Map<String, String> labels, String data);

    /** The record of that name, if any. */
    Optional<StoredRecord> find(String name);

    /** Every record whose labels contain {@code label=value}. */
    List<StoredRecord> list(String label, String value);

    /** Removes the record; returns false when it did not exist. */
    boolean remove(String name);

    /**
     * What {@link #create} does, as the equivalent docker CLI command (a dry run prints it); {@code data} is described,
     * not shown (it may be a whole stack file).
     */
    default String describeCreate(String name, Map<String, String> labels, String data) {
        return "# create the record " + name + " " + new java.util.TreeMap<>(labels);
    }

    /** What {@link #remove} does, as the equivalent docker CLI command. */
    default String describeRemove(String name) {
        return "# remove the record " + name;
    }

    /** What {@link #list} does, as the equivalent docker CLI command. */
    default String describeList(String label, String value) {
        return "# list the records with " + label + "=" + value;
    }

    /**
     * A stored record.
     *
     * @param name    its name
     * @param labels  its labels
     * @param data    its payload
     * @param created when it was created, as the target recorded it
     */
    record StoredRecord(String name, Map<String, String> labels, String data, Instant created) {
        public StoredRecord {
            Objects.requireNonNull(name, "name");
            labels = Map.copyOf(labels);
            data = data == null ? "" : data;
            Objects.requireNonNull(created, "created");
        }
    }
}
