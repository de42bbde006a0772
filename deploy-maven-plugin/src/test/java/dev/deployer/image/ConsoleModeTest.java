package dev.deployer.image;

import dev.deployer.testing.RecordingLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.Allocation;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import dev.deployer.core.DeployerException;
import dev.deployer.core.Secret;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleModeTest {

    @Test
    void autoIsRichOnlyOnATerminalOutsideBatchModeAndCi() {
        assertEquals(ConsoleMode.RICH, ConsoleMode.resolve("auto", true, false, name -> null));
        assertEquals(ConsoleMode.PLAIN, ConsoleMode.resolve("auto", false, false, name -> null));
        assertEquals(ConsoleMode.PLAIN, ConsoleMode.resolve("auto", true, true, name -> null));
        assertEquals(ConsoleMode.PLAIN, ConsoleMode.resolve("auto", true, false, Map.of("CI", "true")::get));
        assertEquals(ConsoleMode.PLAIN, ConsoleMode.resolve(null, true, false, Map.of("GITHUB_ACTIONS", "true")::get));
        assertEquals(ConsoleMode.RICH, ConsoleMode.resolve("rich", false, true, name -> null));
        assertEquals(ConsoleMode.PLAIN, ConsoleMode.resolve("PLAIN", true, false, name -> null));
        DeployerException e = assertThrows(DeployerException.class, () -> ConsoleMode.resolve("fancy", true, false, n -> null));
        assertEquals("deployer.console", e.location());
    }

    @Test
    void plainModeLogsQuartersAndMasksSecretsInJibMessages() {
        RecordingLog log = new RecordingLog();
        ProgressDisplay display = new ProgressDisplay(log, ConsoleMode.PLAIN, System.out, List.of(Secret.of("p", "hunter2-secret")));
        ProgressEventHandler handler = new ProgressEventHandler(display::progress);
        Allocation root = Allocation.newRoot("build", 4);
        handler.accept(new ProgressEvent(root, 0));
        for (int i = 0; i < 4; i++) {
            handler.accept(new ProgressEvent(root.newChild("step " + i, 1), 1));
        }
        display.log(LogEvent.lifecycle("Using credentials hunter2-secret for 127.0.0.1"));
        assertEquals(List.of("[INFO] Progress: 25%", "[INFO] Progress: 50%", "[INFO] Progress: 75%",
                "[INFO] Progress: 100%", "[INFO] Using credentials [REDACTED] for 127.0.0.1"), log.lines());
    }

    @Test
    void richModeRedrawsOneLineAndClearsItBeforeLogLines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordingLog log = new RecordingLog();
        ProgressDisplay display = new ProgressDisplay(log, ConsoleMode.RICH, new PrintStream(out, true, StandardCharsets.UTF_8), List.of());
        ProgressEventHandler handler = new ProgressEventHandler(display::progress);
        Allocation root = Allocation.newRoot("pushing", 2);
        handler.accept(new ProgressEvent(root, 0));
        handler.accept(new ProgressEvent(root.newChild("layer", 1), 1));
        handler.accept(new ProgressEvent(root.newChild("manifest", 1), 1));
        display.log(LogEvent.lifecycle("Pushed"));
        String drawn = out.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.startsWith("\r[ "), drawn);
        assertTrue(drawn.contains("\r[" + "=".repeat(30) + "] 100.0%"), drawn);
        assertTrue(drawn.contains("100.0%"), drawn);
        assertTrue(drawn.endsWith("\r"), "cleared before the log line: " + drawn);
        assertEquals(List.of("[INFO] Pushed"), log.lines());
    }
}
