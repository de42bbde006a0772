package dev.deployer.verify;

import java.time.Duration;

/** Waits. Real code sleeps; unit tests advance a fake clock instead, so no test ever sleeps. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep}. */
    static Sleeper real() {
        return duration -> Thread.sleep(Math.max(0, duration.toMillis()));
    }
}
