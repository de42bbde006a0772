package dev.deployer.verify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when its {@link #sleeper()} is asked to sleep; records every pause. */
public final class FakeClock extends Clock {

    private Instant now = Instant.parse("2026-11-22T07:00:00Z");
    private final List<Duration> pauses = new ArrayList<>();

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    public Sleeper sleeper() {
        return duration -> {
            pauses.add(duration);
            advance(duration);
        };
    }

    public List<Duration> pauses() {
        return List.copyOf(pauses);
    }
}
