package dev.deployer.image;

import dev.deployer.core.Log;
import java.util.ArrayList;
import java.util.List;

/** A {@link Log} that keeps every line, debug included, for assertions. */
final class RecordingLog implements Log {

    final List<String> lines = new ArrayList<>();

    @Override public synchronized void debug(String message) { lines.add("[DEBUG] " + message); }
    @Override public synchronized void info(String message) { lines.add("[INFO] " + message); }
    @Override public synchronized void warn(String message) { lines.add("[WARN] " + message); }
    @Override public synchronized void error(String message) { lines.add("[ERROR] " + message); }

    synchronized String text() {
        return String.join("\n", lines);
    }
}
