package dev.deployer.render;

import dev.deployer.core.Log;
import java.util.ArrayList;
import java.util.List;

/** A {@link Log} that keeps every line, with its level, for assertions. */
final class RecordingLog implements Log {

    final List<String> lines = new ArrayList<>();

    @Override public void debug(String message) { lines.add("[DEBUG] " + message); }
    @Override public void info(String message) { lines.add("[INFO] " + message); }
    @Override public void warn(String message) { lines.add("[WARNING] " + message); }
    @Override public void error(String message) { lines.add("[ERROR] " + message); }

    String all() {
        return String.join("\n", lines);
    }
}
