package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import dev.deployer.testing.RecordingLog;
import dev.deployer.verify.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackLockTest {

    /** An in-memory store with the same atomic create as the engine's. */
    static final class MemoryStore implements TargetStore {
        final Map<String, StoredRecord> records = new ConcurrentHashMap<>();

        @Override
        public boolean create(String name, Map<String, String> labels, String data) {
            return records.putIfAbsent(name, new StoredRecord(name, labels, data, Instant.EPOCH)) == null;
        }

        @Override
        public Optional<StoredRecord> find(String name) {
            return Optional.ofNullable(records.get(name));
        }

        @Override
        public List<StoredRecord> list(String label, String value) {
            return records.values().stream().filter(r -> value.equals(r.labels().get(label))).toList();
        }

        @Override
        public boolean remove(String name) {
            return records.remove(name) != null;
        }
    }

    private final FakeClock clock = new FakeClock();
    private final MemoryStore store = new MemoryStore();
    private final RecordingLog log = new RecordingLog("");
    private final StackLock lock = new StackLock(store, clock, clock.sleeper(), log);

    @Test
    void aFreeLockIsTakenAtOnceAndReleased() {
        lock.acquire("tdep-x", Map.of(StackLock.OWNER_LABEL, "me@here pid 1"), Duration.ofSeconds(10));
        assertTrue(store.find("deployer-lock-tdep-x").isPresent());
        assertTrue(clock.pauses().isEmpty());
        assertTrue(lock.release("tdep-x"));
        assertFalse(lock.release("tdep-x"));
    }

    @Test
    void aHeldLockIsWaitedForShowingOwnerAndAgeThenFails() {
        lock.acquire("tdep-x", Map.of(StackLock.OWNER_LABEL, "ci@runner pid 42", StackLock.RUN_LABEL, "https://github.com/a/b/actions/runs/7"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(90));
        DeployerException e = assertThrows(DeployerException.class,
                () -> lock.acquire("tdep-x", Map.of(StackLock.OWNER_LABEL, "me@here pid 2"), Duration.ofSeconds(20)));
        assertTrue(e.getMessage().contains("locked by another deploy: ci@runner pid 42, CI run https://github.com/a/b/actions/runs/7"), e.getMessage());
        assertTrue(e.getMessage().contains("deployer:unlock"), e.getMessage());
        assertTrue(log.text().contains("Waiting for the deploy lock of 'tdep-x', held by ci@runner pid 42"), log.text());
        assertTrue(log.text().contains("(90 s ago)"), log.text());
        Duration waited = clock.pauses().stream().reduce(Duration.ZERO, Duration::plus);
        assertEquals(Duration.ofSeconds(20), waited, "waits exactly the lock timeout");
    }

    @Test
    void theLockIsTakenOnceItsHolderReleasesIt() {
        lock.acquire("tdep-x", Map.of(StackLock.OWNER_LABEL, "other"), Duration.ofSeconds(1));
        StackLock waiting = new StackLock(store, clock, duration -> {
            clock.advance(duration);
            store.remove("deployer-lock-tdep-x"); // the other deploy finishes while we wait
        }, log);
        waiting.acquire("tdep-x", Map.of(StackLock.OWNER_LABEL, "me"), Duration.ofSeconds(30));
        assertEquals("me", store.find("deployer-lock-tdep-x").orElseThrow().labels().get(StackLock.OWNER_LABEL));
    }
}
