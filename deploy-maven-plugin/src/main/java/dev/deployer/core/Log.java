package dev.deployer.core;

/**
 * Where the core reports what it does. The Maven layer renders it with Maven's logger; tests collect it.
 *
 * <p>Lifecycle lines go to {@link #info}; the output of tools goes to {@link #debug} and is replayed at
 * {@link #error} when the tool fails. Callers never pass secret values here.
 */
public interface Log {

    void debug(String message);

    void info(String message);

    void warn(String message);

    void error(String message);

    /** A log that drops everything: for callers that have nothing to report to. */
    static Log silent() {
        return new Log() {
            @Override public void debug(String message) { }
            @Override public void info(String message) { }
            @Override public void warn(String message) { }
            @Override public void error(String message) { }
        };
    }
}
