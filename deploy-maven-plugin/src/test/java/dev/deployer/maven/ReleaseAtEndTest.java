package dev.deployer.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The release the reactor root owns is deployed once, by the last project of the build to reach deployer:deploy. */
class ReleaseAtEndTest {

    @Test
    void theRootIsBuiltFirstAndItsDeployRunsWhenTheLastModuleArrives() {
        ReleaseAtEnd state = new ReleaseAtEnd(Set.of("root", "api", "web", "lib"));
        AtomicInteger deploys = new AtomicInteger();

        assertTrue(state.arrive("root", deploys::incrementAndGet).isEmpty(), "the root defers");
        assertEquals(List.of("api", "lib", "web"), state.waitingFor());
        assertTrue(state.arrive("api", null).isEmpty());
        assertTrue(state.arrive("lib", null).isEmpty(), "a library is waited for too: the deploy is at the end");
        Optional<Runnable> last = state.arrive("web", null);

        assertTrue(last.isPresent(), "the last one runs the root's deploy");
        last.get().run();
        assertEquals(1, deploys.get());
        assertEquals(List.of(), state.waitingFor());
        assertTrue(state.arrive("web", null).isEmpty(), "never twice");
    }

    @Test
    void aRootThatArrivesLastDeploysAtOnce() {
        ReleaseAtEnd state = new ReleaseAtEnd(Set.of("root", "api"));
        assertTrue(state.arrive("api", null).isEmpty(), "nothing to deploy yet: the root has not handed over its deploy");
        assertTrue(state.arrive("root", () -> { }).isPresent());
    }

    @Test
    void aModuleThatNeverArrivesMeansNothingIsDeployed() {
        ReleaseAtEnd state = new ReleaseAtEnd(Set.of("root", "api", "web"));
        assertTrue(state.arrive("root", () -> { }).isEmpty());
        assertTrue(state.arrive("api", null).isEmpty(), "web failed (Maven never runs its deployer:deploy)");
        assertEquals(List.of("web"), state.waitingFor());
        assertEquals(List.of(), state.failedOnce(id -> false), "web may still come");
        assertEquals(List.of("web"), state.failedOnce(id -> id.equals("web")), "web failed: the release will not be deployed");
        assertEquals(List.of(), state.failedOnce(id -> id.equals("web")), "said once");
    }

    @Test
    void withoutTheRootInTheBuildNothingIsDeployed() {
        ReleaseAtEnd state = new ReleaseAtEnd(Set.of("api", "web"));
        assertTrue(state.arrive("api", null).isEmpty());
        assertTrue(state.arrive("web", null).isEmpty());
    }

    @Test
    void underParallelArrivalsExactlyOneRunsTheDeploy() throws Exception {
        for (int round = 0; round < 50; round++) {
            List<String> modules = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                modules.add("m" + i);
            }
            List<String> expected = new ArrayList<>(modules);
            expected.add("root");
            ReleaseAtEnd state = new ReleaseAtEnd(Set.copyOf(expected));
            AtomicInteger deploys = new AtomicInteger();
            Collections.shuffle(expected);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<Optional<Runnable>>> results = new ArrayList<>();
                for (String id : expected) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return state.arrive(id, id.equals("root") ? deploys::incrementAndGet : null);
                    }));
                }
                start.countDown();
                int ran = 0;
                for (Future<Optional<Runnable>> result : results) {
                    Optional<Runnable> deploy = result.get(60, TimeUnit.SECONDS);
                    if (deploy.isPresent()) {
                        deploy.get().run();
                        ran++;
                    }
                }
                assertEquals(1, ran, "round " + round);
                assertEquals(1, deploys.get());
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
