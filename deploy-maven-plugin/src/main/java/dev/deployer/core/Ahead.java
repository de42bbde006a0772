package dev.deployer.core;

import dev.deployer.core.DeployerException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * A value worked out at most once, either ahead on a daemon thread ({@link #start}) so that it overlaps other work,
 * or on first use ({@link #lazy}). {@link #get()} waits for it and throws what the work threw.
 *
 * <p>Used where a cold JVM (every Maven run) spends noticeable time on something the runbook needs a moment later:
 * opening the engine connection (docker-java's JSON mapper and HttpClient 5 with its TLS defaults, about a second),
 * and reading the rollback point while the stack file is rendered.
 */
public final class Ahead<T> implements Supplier<T> {

    private final String what;
    private final FutureTask<T> work;

    private Ahead(String what, Callable<T> work) {
        this.what = what;
        this.work = new FutureTask<>(work);
    }

    /** Works it out on first {@link #get()}, on the caller's thread; {@code what} names it in errors. */
    public static <T> Ahead<T> lazy(String what, Callable<T> work) {
        return new Ahead<>(what, work);
    }

    /** Starts working it out now, on a daemon thread; {@code what} names it in errors and in the thread's name. */
    public static <T> Ahead<T> start(String what, Callable<T> work) {
        Ahead<T> ahead = new Ahead<>(what, work);
        Thread thread = new Thread(ahead.work, "deployer: " + what);
        thread.setDaemon(true);
        thread.setContextClassLoader(Ahead.class.getClassLoader());
        thread.start();
        return ahead;
    }

    /** {@link #start} when {@code ahead}, else {@link #lazy}. */
    public static <T> Ahead<T> of(boolean ahead, String what, Callable<T> work) {
        return ahead ? start(what, work) : lazy(what, work);
    }

    @Override
    public T get() {
        work.run(); // does the work here unless it has started (or finished) elsewhere
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeployerException.of("Interrupted while " + what, null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
