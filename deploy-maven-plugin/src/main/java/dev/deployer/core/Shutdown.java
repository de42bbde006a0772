package dev.deployer.core;

import java.util.ArrayList;
import java.util.List;

/**
 * One ordered shutdown path (Ctrl-C, SIGTERM): a single JVM shutdown hook runs the registered actions one after the
 * other, the last registered first. The ssh tunnel registers before a deploy starts and the deploy after it, so on a
 * signal the deploy stops, restores, records and releases its lock while the tunnel is still open, and only then does
 * the tunnel close. Several hooks of their own would run at once, in no order.
 */
public final class Shutdown {

    private static final Shutdown JVM = new Shutdown(true);

    private final boolean jvm;
    private final List<Action> actions = new ArrayList<>();
    private boolean hooked;

    private Shutdown(boolean jvm) {
        this.jvm = jvm;
    }

    /** The JVM's shutdown path. */
    public static Shutdown jvm() {
        return JVM;
    }

    /** A path of its own that only {@link #run()} runs: for tests. */
    public static Shutdown manual() {
        return new Shutdown(false);
    }

    /** A registered action; closing it takes it off the path (its work finished normally). */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private record Action(String what, Runnable work) {
    }

    /** Adds {@code work} ({@code what} it does, for the record) to run on shutdown, before everything registered earlier. */
    public synchronized Registration register(String what, Runnable work) {
        Action action = new Action(what, work);
        if (jvm && !hooked) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(this::run, "deployer-shutdown"));
                hooked = true;
            } catch (IllegalStateException shuttingDown) {
                return () -> { };
            }
        }
        actions.add(action);
        return () -> {
            synchronized (Shutdown.this) {
                actions.remove(action);
            }
        };
    }

    /** Runs every registered action, the last registered first, each to its end; a failing one does not stop the others. */
    public void run() {
        List<Action> ordered;
        synchronized (this) {
            ordered = new ArrayList<>(actions);
            actions.clear();
        }
        for (int i = ordered.size() - 1; i >= 0; i--) {
            try {
                ordered.get(i).work().run();
            } catch (RuntimeException e) {
                System.err.println("[deployer] while shutting down, '" + ordered.get(i).what() + "' failed: " + e);
            }
        }
    }
}
