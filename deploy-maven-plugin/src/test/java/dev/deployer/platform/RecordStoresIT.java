package dev.deployer.platform;

import dev.deployer.deploy.StackLock;
import dev.deployer.deploy.TargetStore;
import dev.deployer.testing.TestInfra;
import dev.deployer.verify.Sleeper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lock and history stores against the real engine: records that survive {@code docker container prune} and
 * {@code docker system prune}, creation that is atomic under concurrency, and removal of exactly the record that
 * was read (never one created later under the same name).
 *
 * <p>The engine is shared: a plain {@code docker container prune} would delete every stopped container of every
 * other user of it. So the prunes here carry {@code --filter label=dev.deployer.test=<this run's id>}: the engine
 * applies its usual deletion rules (stopped containers, unused networks, dangling images; volumes never, for
 * {@code system prune} without {@code --volumes}) to the objects carrying that label only, which are this test's.
 * The old container record carrying the same label is deleted by the same command, which shows the filter did
 * select the test's objects and the prune did run.
 */
class RecordStoresIT {

    private static final String TEST_LABEL = "dev.deployer.test";
    private final String run = "lockst-" + UUID.randomUUID().toString().substring(0, 8);
    private final DockerEngine.Connection engine = DockerEngine.open(System::getenv);
    private final List<Runnable> cleanup = new ArrayList<>();

    @BeforeAll
    static void infrastructure() {
        TestInfra.require();
    }

    @AfterEach
    void removeWhatThisTestCreated() throws IOException {
        cleanup.forEach(Runnable::run);
        engine.client().close();
    }

    private VolumeStore volumes() {
        VolumeStore store = new VolumeStore(engine::http, new ContainerStore(engine::client));
        cleanup.add(() -> store.list(TEST_LABEL, run).forEach(r -> store.remove(r.name())));
        return store;
    }

    private ConfigStore configs() {
        ConfigStore store = new ConfigStore(engine::http);
        cleanup.add(() -> store.list(TEST_LABEL, run).forEach(r -> store.remove(r.name())));
        return store;
    }

    private Map<String, String> labels(String kind) {
        return Map.of(StackLock.KIND_LABEL, kind, StackLock.STACK_LABEL, run, TEST_LABEL, run);
    }

    @Test
    void volumeRecordsSurviveContainerPruneAndSystemPruneWhichDeleteContainerRecords() throws Exception {
        VolumeStore store = volumes();
        ContainerStore old = new ContainerStore(engine::client);
        assertTrue(store.create("deployer-lock-" + run, labels("lock"), ""));
        assertTrue(store.create("deployer-history-" + run + "-1", labels("history"), "services:\n  app:\n    image: x\n"));
        assertTrue(old.create("deployer-history-" + run + "-old", labels("history"), "old"), "a record as the Compose target kept it before");

        String containerPrune = docker("container", "prune", "--force", "--filter", "label=" + TEST_LABEL + "=" + run);
        assertTrue(old.find("deployer-history-" + run + "-old").isEmpty(),
                "container prune deletes a stopped-container record (the old store): " + containerPrune);
        assertTrue(store.find("deployer-lock-" + run).isPresent(), "the lock survives container prune");

        assertTrue(old.create("deployer-history-" + run + "-old2", labels("history"), "old"));
        String systemPrune = docker("system", "prune", "--force", "--filter", "label=" + TEST_LABEL + "=" + run);
        assertTrue(old.find("deployer-history-" + run + "-old2").isEmpty(), "system prune deletes it too: " + systemPrune);
        assertTrue(store.find("deployer-lock-" + run).isPresent(), "the lock survives system prune");
        TargetStore.StoredRecord history = store.find("deployer-history-" + run + "-1").orElseThrow();
        assertEquals("services:\n  app:\n    image: x\n", history.data(), "the payload survives");
        assertEquals("history", history.labels().get(StackLock.KIND_LABEL));
        assertEquals(2, store.list(StackLock.STACK_LABEL, run).size(), "both records are listed: " + store.list(StackLock.STACK_LABEL, run));
    }

    @Test
    void legacyContainerRecordsAreStillReadAndRemoved() {
        VolumeStore store = volumes();
        ContainerStore old = new ContainerStore(engine::client);
        assertTrue(old.create("deployer-history-" + run + "-legacy", labels("history"), "legacy"));
        assertTrue(store.list(StackLock.STACK_LABEL, run).stream().anyMatch(r -> r.data().equals("legacy")), "an older history is read");
        assertTrue(store.remove("deployer-history-" + run + "-legacy"));
        assertTrue(old.find("deployer-history-" + run + "-legacy").isEmpty());
    }

    @Test
    void volumeRecordsAreCreatedOnceUnderConcurrency() throws Exception {
        assertCreatedOnceUnderConcurrency(volumes());
    }

    @Test
    void configRecordsAreCreatedOnceUnderConcurrency() throws Exception {
        assertCreatedOnceUnderConcurrency(configs());
    }

    private void assertCreatedOnceUnderConcurrency(TargetStore store) throws Exception {
        String name = "deployer-lock-" + run + "-race";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                attempts.add(() -> store.create(name, labels("lock"), ""));
            }
            long created = 0;
            for (Future<Boolean> attempt : pool.invokeAll(attempts)) {
                created += attempt.get() ? 1 : 0;
            }
            assertEquals(1, created, "exactly one of eight concurrent creates wins");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void volumeRemovalByRecordLeavesALaterRecordOfTheSameName() {
        assertRemovalByRecordLeavesALaterOne(volumes());
    }

    @Test
    void configRemovalByRecordLeavesALaterRecordOfTheSameName() {
        assertRemovalByRecordLeavesALaterOne(configs());
    }

    private void assertRemovalByRecordLeavesALaterOne(TargetStore store) {
        String name = "deployer-lock-" + run + "-later";
        assertTrue(store.create(name, labels("lock"), ""));
        TargetStore.StoredRecord first = store.find(name).orElseThrow();
        assertTrue(store.remove(name));
        assertTrue(store.create(name, labels("lock"), ""));
        assertFalse(store.remove(first), "the first record is gone; the later one is not it");
        assertTrue(store.find(name).isPresent(), "the later record stays");
        assertTrue(store.remove(store.find(name).orElseThrow()));
        assertTrue(store.find(name).isEmpty());
    }

    @Test
    void aBrokenLockIsNotReleasedByItsFormerHolderOnTheEngine() {
        VolumeStore store = volumes();
        StackLock first = new StackLock(store, Clock.systemUTC(), Sleeper.real(), dev.deployer.core.Log.silent());
        StackLock second = new StackLock(store, Clock.systemUTC(), Sleeper.real(), dev.deployer.core.Log.silent());
        first.acquire(run, Map.of(StackLock.OWNER_LABEL, "first", TEST_LABEL, run), Duration.ofSeconds(5));
        assertTrue(new StackLock(store, Clock.systemUTC(), Sleeper.real(), dev.deployer.core.Log.silent())
                .breakLock(run, Duration.ofMinutes(5), true).isPresent());
        second.acquire(run, Map.of(StackLock.OWNER_LABEL, "second", TEST_LABEL, run), Duration.ofSeconds(5));
        assertFalse(first.release(run));
        assertEquals("second", store.find(StackLock.name(run)).orElseThrow().labels().get(StackLock.OWNER_LABEL));
        assertTrue(second.release(run));
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", argv) + ": " + output);
        return output;
    }

}
