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
    void plainModeLogsQuartersNamingTheStepAndMasksSecretsInJibMessages() {
        RecordingLog log = new RecordingLog();
        ProgressDisplay display = new ProgressDisplay(log, ConsoleMode.PLAIN, System.out, List.of(Secret.of("p", "hunter2-secret")));
        ProgressEventHandler handler = new ProgressEventHandler(display::progress);
        Allocation root = Allocation.newRoot("build", 4);
        handler.accept(new ProgressEvent(root, 0));
        Allocation pulling = root.newChild("pulling base image", 1);
        Allocation layers = root.newChild("building application layers", 1);
        Allocation pushing = root.newChild("pushing blob for hunter2-secret", 1);
        Allocation manifest = root.newChild("pushing manifest", 1);
        handler.accept(new ProgressEvent(pulling, 0));
        handler.accept(new ProgressEvent(layers, 0));
        handler.accept(new ProgressEvent(pushing, 0));
        handler.accept(new ProgressEvent(manifest, 0));
        handler.accept(new ProgressEvent(pulling, 1));
        handler.accept(new ProgressEvent(layers, 1));
        handler.accept(new ProgressEvent(pushing, 1));
        handler.accept(new ProgressEvent(manifest, 1));
        display.log(LogEvent.lifecycle("Using credentials hunter2-secret for 127.0.0.1"));
        assertEquals(List.of("[INFO] Progress 25%: building application layers", "[INFO] Progress 50%: pushing blob for [REDACTED]",
                "[INFO] Progress 75%: pushing manifest", "[INFO] Progress 100%",
                "[INFO] Using credentials [REDACTED] for 127.0.0.1"), log.lines());
    }

    @Test
    void underAParallelBuildEveryProgressLineNamesTheModule() {
        RecordingLog log = new RecordingLog();
        ProgressDisplay display = new ProgressDisplay(log, ConsoleMode.PLAIN, System.out, List.of(), "orders", () -> 80);
        ProgressEventHandler handler = new ProgressEventHandler(display::progress);
        Allocation root = Allocation.newRoot("build", 1);
        handler.accept(new ProgressEvent(root, 1));
        assertEquals(List.of("[INFO] [orders] Progress 100%"), log.lines());
        assertTrue(ProgressDisplay.line("[orders] ", 0.5, "pushing", 80).startsWith("[orders] ["), "rich too");
    }

    @Test
    void richModeRedrawsOneLineInPlaceAndClearsItBeforeLogLines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordingLog log = new RecordingLog();
        ProgressDisplay display = new ProgressDisplay(log, ConsoleMode.RICH, new PrintStream(out, true, StandardCharsets.UTF_8),
                List.of(), null, () -> 80);
        ProgressEventHandler handler = new ProgressEventHandler(display::progress);
        Allocation root = Allocation.newRoot("pushing", 2);
        handler.accept(new ProgressEvent(root, 0));
        handler.accept(new ProgressEvent(root.newChild("layer", 1), 1));
        handler.accept(new ProgressEvent(root.newChild("manifest", 1), 1));
        display.log(LogEvent.lifecycle("Pushed"));
        String drawn = out.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.startsWith("\r\u001b[K["), drawn);
        assertTrue(drawn.contains("\r\u001b[K[" + "=".repeat(23) + "] 100.0%"), drawn);
        assertTrue(drawn.endsWith("] 100.0%\r\u001b[K"), "cleared before the log line: " + drawn);
        for (String drawnLine : drawn.split("\r\u001b\\[K")) {
            assertTrue(drawnLine.length() <= 79, "never wider than the terminal: " + drawnLine);
        }
        assertEquals(List.of("[INFO] Pushed"), log.lines());
    }

    @Test
    void theLiveLineFitsNarrowAndWideTerminals() {
        String step = "pushing blob for sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        for (int width : new int[] {20, 40, 80, 100, 200}) {
            String line = ProgressDisplay.line("[a-module] ", 0.42, step, width);
            assertTrue(line.length() <= width - 1, width + ": " + line);
            assertTrue(line.startsWith("[a-module] ["), line);
        }
        assertEquals("[" + "=".repeat(13) + " ".repeat(17) + "]  42.0% " + step,
                ProgressDisplay.line("", 0.42, step, 200));
        assertTrue(ProgressDisplay.line("", 0.42, step, 80).endsWith("…"));
    }
}
