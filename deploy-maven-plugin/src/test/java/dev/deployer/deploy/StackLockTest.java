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

        private final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public boolean create(String name, Map<String, String> labels, String data) {
            // like a Swarm config: every record has an identity of its own, not shared by a later one of the same name
            return records.putIfAbsent(name, new StoredRecord("id-" + ids.incrementAndGet(), name, labels, data, Instant.EPOCH)) == null;
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

        @Override
        public boolean remove(StoredRecord record) {
            StoredRecord now = records.get(record.name());
            return now != null && now.id().equals(record.id()) && records.remove(record.name(), now);
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
    void aDeployWhoseLockWasBrokenNeverReleasesTheLockOfTheDeployThatTookItOver() {
        StackLock first = new StackLock(store, clock, clock.sleeper(), log);
        first.acquire("tdep-x", Map.of(StackLock.OWNER_LABEL, "first@a pid 1"), Duration.ofSeconds(1));
        clock.advance(Duration.ofMinutes(10));
        // the first deploy hangs; someone breaks its (old) lock on purpose and a second deploy takes the stack
        assertTrue(new StackLock(store, clock, clock.sleeper(), log).breakLock("tdep-x", Duration.ofMinutes(5), false).isPresent());
        StackLock second = new StackLock(store, clock, clock.sleeper(), log);
        second.acquire("tdep-x", Map.of(StackLock.OWNER_LABEL, "second@b pid 2"), Duration.ofSeconds(1));

        // the first deploy ends: its finally and its shutdown hook both release
        assertFalse(first.release("tdep-x"), "the first deploy does not hold the lock any more");
        assertFalse(first.release("tdep-x"));
        assertEquals("second@b pid 2", store.find("deployer-lock-tdep-x").orElseThrow().labels().get(StackLock.OWNER_LABEL),
                "the second deploy's lock is untouched");
        assertTrue(log.text().contains("is now held by another deploy (second@b pid 2"), log.text());
        assertTrue(second.release("tdep-x"), "its holder releases it");
        assertTrue(store.find("deployer-lock-tdep-x").isEmpty());
    }

    @Test
    void aLockIsReleasedOnceAndOnlyByTheInstanceThatTookIt() {
        StackLock other = new StackLock(store, clock, clock.sleeper(), log);
        lock.acquire("tdep-x", Map.of(StackLock.OWNER_LABEL, "me@here pid 1"), Duration.ofSeconds(1));
        assertFalse(other.release("tdep-x"), "a deploy that never took the lock cannot release it");
        assertTrue(store.find("deployer-lock-tdep-x").isPresent());
        assertTrue(lock.holds("tdep-x"));
        assertTrue(lock.release("tdep-x"));
        assertFalse(lock.holds("tdep-x"));
    }

    @Test
    void removingARecordByIdentityLeavesALaterRecordOfTheSameName() {
        store.create("deployer-lock-tdep-x", Map.of(StackLock.TOKEN_LABEL, "a"), "");
        TargetStore.StoredRecord old = store.find("deployer-lock-tdep-x").orElseThrow();
        store.remove("deployer-lock-tdep-x");
        store.create("deployer-lock-tdep-x", Map.of(StackLock.TOKEN_LABEL, "b"), "");
        assertFalse(store.remove(old));
        assertTrue(store.find("deployer-lock-tdep-x").isPresent());
    }

    @Test
    void breakingALockShowsWhoWhereSinceWhenAndWhichVersionAndRefusesAYoungOne() {
        Map<String, String> owner = new java.util.HashMap<>(StackLock.owner(Map.of("GITHUB_SERVER_URL", "https://github.com",
                "GITHUB_REPOSITORY", "acme/shop", "GITHUB_RUN_ID", "77")::get, "registry/shop:abc@sha256:1234"));
        lock.acquire("tdep-x", owner, Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(30));
        StackLock breaker = new StackLock(store, clock, clock.sleeper(), log);
        DeployerException young = assertThrows(DeployerException.class, () -> breaker.breakLock("tdep-x", Duration.ofSeconds(300), false));
        assertTrue(young.getMessage().contains("only 30 s old") && young.getMessage().contains("younger than 300 s"), young.getMessage());
        assertTrue(young.getMessage().contains("pid " + ProcessHandle.current().pid()), "who and where: " + young.getMessage());
        assertTrue(young.getMessage().contains("CI run https://github.com/acme/shop/actions/runs/77"), young.getMessage());
        assertTrue(young.getMessage().contains("deploying registry/shop:abc@sha256:1234"), "which version: " + young.getMessage());
        assertTrue(young.getMessage().contains("since 2026-11-22T07:00:00Z (30 s ago)"), "since when: " + young.getMessage());
        assertEquals(StackLock.UNLOCK_YOUNG, young.location());
        assertTrue(young.getMessage().contains("-Ddeployer.unlockYoung=true"), young.getMessage());
        assertTrue(store.find("deployer-lock-tdep-x").isPresent(), "a refused break changes nothing");

        Optional<String> broken = breaker.breakLock("tdep-x", Duration.ofSeconds(300), true);
        assertTrue(broken.orElseThrow().contains("deploying registry/shop:abc@sha256:1234"), broken.toString());
        assertTrue(log.text().contains("Breaking the deploy lock of 'tdep-x' held by"), log.text());
        assertTrue(store.find("deployer-lock-tdep-x").isEmpty());
        assertTrue(breaker.breakLock("tdep-x", Duration.ofSeconds(300), false).isEmpty(), "nothing to break");
    }

    @Test
    void anOldLockIsBrokenWithoutTheExplicitFlag() {
        lock.acquire("tdep-x", Map.of(StackLock.OWNER_LABEL, "dead@host pid 9"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(301));
        assertTrue(new StackLock(store, clock, clock.sleeper(), log).breakLock("tdep-x", Duration.ofSeconds(300), false).isPresent());
        assertTrue(store.find("deployer-lock-tdep-x").isEmpty());
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
