package dev.deployer.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Small named records kept on the target itself, so that every machine that deploys sees the same lock and
 * history (a fresh checkout included). Compose keeps them as named volumes with labels
 * (which {@code docker container prune} and {@code docker system prune} do not delete), Swarm as Swarm configs,
 * Quantum as Swarm configs on {@code DOCKER_HOST} or, without it, in the stack itself. Values are plain text and
 * never secret.
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
     * Removes exactly {@code record} as {@link #find} or {@link #list} returned it, and not a record created later
     * under the same name (the lock's release after it was broken and taken by another deploy): stores remove it
     * by its {@link StoredRecord#id()} where the target has one. Returns false when that record is gone.
     * The default compares the labels (each lock carries its own token) before removing by name.
     */
    default boolean remove(StoredRecord record) {
        Optional<StoredRecord> now = find(record.name());
        if (now.isEmpty() || !now.get().labels().equals(record.labels())) {
            return false;
        }
        return remove(record.name());
    }

    /**
     * A stored record.
     *
     * @param id      the target's own identity of this record (a Swarm config's ID, …), which a record created
     *                later under the same name does not share; the name where the target has none
     * @param name    its name
     * @param labels  its labels
     * @param data    its payload
     * @param created when it was created, as the target recorded it
     */
    record StoredRecord(String id, String name, Map<String, String> labels, String data, Instant created) {
        public StoredRecord {
            Objects.requireNonNull(name, "name");
            id = id == null || id.isEmpty() ? name : id;
            labels = Map.copyOf(labels);
            data = data == null ? "" : data;
            Objects.requireNonNull(created, "created");
        }

        /** A record whose identity is its name. */
        public StoredRecord(String name, Map<String, String> labels, String data, Instant created) {
            this(name, name, labels, data, created);
        }
    }
}
