package dev.deployer.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollerTest {

    private final FakeClock clock = new FakeClock();
    private final Poller poller = new Poller(clock, clock.sleeper(), Backoff.standard());

    @Test
    void pausesGrowByAFifthUpToTheCap() {
        Backoff backoff = Backoff.standard();
        assertEquals(List.of(100L, 120L, 144L, 172L, 207L, 248L, 298L, 358L, 429L, 515L, 619L, 743L, 891L, 1069L, 1283L, 1540L,
                1848L, 2000L, 2000L), java.util.stream.IntStream.range(0, 19).mapToObj(i -> backoff.pause(i).toMillis()).toList());
    }

    @Test
    void pollsWithGrowingBackoffUntilTheConditionHolds() {
        AtomicInteger calls = new AtomicInteger();
        Poller.Outcome<Integer> outcome = poller.poll(Duration.ofSeconds(60),
                () -> calls.incrementAndGet() < 4 ? Poller.Attempt.retry(calls.get(), "not yet") : Poller.Attempt.done(calls.get(), "up"));
        assertTrue(outcome.ok());
        assertEquals(4, outcome.attempts());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(120), Duration.ofMillis(144)), clock.pauses());
        assertEquals(Duration.ofMillis(364), outcome.elapsed());
    }

    @Test
    void givesUpAtTheTimeoutWithoutOversleeping() {
        Poller.Outcome<Void> outcome = poller.poll(Duration.ofSeconds(10), () -> Poller.Attempt.retry(null, "503"));
        assertEquals(Poller.State.TIMED_OUT, outcome.state());
        assertEquals(Duration.ofSeconds(10), outcome.elapsed(), "the last pause is cut to the deadline");
        assertEquals("503", outcome.detail());
        assertTrue(clock.pauses().stream().allMatch(p -> p.compareTo(Duration.ofSeconds(2)) <= 0));
    }

    @Test
    void aFailureStopsPollingAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        Poller.Outcome<Void> outcome = poller.poll(Duration.ofSeconds(60), () -> {
            calls.incrementAndGet();
            return Poller.Attempt.failed(null, "exited with code 1");
        });
        assertEquals(Poller.State.FAILED, outcome.state());
        assertEquals(1, calls.get());
        assertTrue(clock.pauses().isEmpty());
    }
}
