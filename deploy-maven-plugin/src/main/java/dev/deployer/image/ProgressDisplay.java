package dev.deployer.image;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import java.io.PrintStream;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Renders Jib's events. Log events go to the {@link Log} (lifecycle at info, Jib's own detail at debug), each with
 * every known secret masked. Progress goes, in {@link ConsoleMode#RICH}, to one live line redrawn in place on the
 * terminal, never wider than it (a wrapped line cannot be redrawn: its first rows would stay behind); in
 * {@link ConsoleMode#PLAIN}, to a log line at each quarter naming the step under way. In a parallel build
 * ({@code -T}) every progress line names the module.
 */
final class ProgressDisplay {

    private static final int BAR = 30;
    private static final int MIN_BAR = 10;
    private static final long REDRAW_MILLIS = 100;
    /** ANSI: carriage return, then erase to the end of the line. */
    private static final String CLEAR_LINE = "\r\u001b[K";

    private final Log log;
    private final ConsoleMode mode;
    private final PrintStream terminal;
    private final List<Secret> secrets;
    private final String module;
    private final IntSupplier columns;
    private int width;
    private int lastQuarter;
    private long lastDraw;
    private boolean lineShown;

    ProgressDisplay(Log log, ConsoleMode mode, PrintStream terminal, List<Secret> secrets) {
        this(log, mode, terminal, secrets, null, () -> TerminalWidth.FALLBACK);
    }

    /**
     * @param module  the module's name, shown on every progress line; null outside a parallel build
     * @param columns the terminal's width, asked once, when the first live line is drawn
     */
    ProgressDisplay(Log log, ConsoleMode mode, PrintStream terminal, List<Secret> secrets, String module, IntSupplier columns) {
        this.log = log;
        this.mode = mode;
        this.terminal = terminal;
        this.secrets = List.copyOf(secrets);
        this.module = module == null || module.isBlank() ? null : module;
        this.columns = columns;
    }

    synchronized void log(LogEvent event) {
        String message = mask(event.getMessage());
        if (message.isBlank()) {
            return;
        }
        switch (event.getLevel()) {
            case ERROR:
                clear();
                log.error(message);
                break;
            case WARN:
                clear();
                log.warn(message);
                break;
            case LIFECYCLE:
                clear();
                log.info(message);
                break;
            default:
                log.debug(message);
        }
    }

    synchronized void progress(ProgressEventHandler.Update update) {
        double progress = Math.min(1.0, update.getProgress());
        String step = update.getUnfinishedLeafTasks().isEmpty() ? "" : mask(update.getUnfinishedLeafTasks().get(0));
        String prefix = module == null ? "" : "[" + module + "] ";
        if (mode == ConsoleMode.PLAIN) {
            int quarter = (int) Math.floor(progress * 4);
            if (quarter > lastQuarter) {
                lastQuarter = quarter;
                log.info(prefix + "Progress " + quarter * 25 + "%" + (step.isEmpty() ? "" : ": " + step));
            }
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastDraw < REDRAW_MILLIS && progress < 1.0) {
            return;
        }
        lastDraw = now;
        if (width == 0) {
            width = Math.max(20, columns.getAsInt());
        }
        terminal.print(CLEAR_LINE + line(prefix, progress, step, width));
        terminal.flush();
        lineShown = true;
    }

    /** The live line for a terminal {@code width} columns wide: at most {@code width - 1} characters, so it never wraps. */
    static String line(String prefix, double progress, String step, int width) {
        int room = width - 1;
        int bar = Math.max(MIN_BAR, Math.min(BAR, (room - prefix.length() - 9) / 3));
        int filled = (int) Math.round(progress * bar);
        String line = String.format("%s[%s%s] %5.1f%%%s", prefix, "=".repeat(filled), " ".repeat(bar - filled),
                progress * 100, step.isEmpty() ? "" : " " + step);
        return line.length() <= room ? line : line.substring(0, Math.max(0, room - 1)) + "…";
    }

    /** Removes the live line, before a log line or at the end. */
    synchronized void clear() {
        if (lineShown) {
            terminal.print(CLEAR_LINE);
            terminal.flush();
            lineShown = false;
        }
    }
    String mask(String text) {
        String masked = text;
        for (Secret secret : secrets) {
            masked = secret.maskIn(masked);
        }
        return masked;
    }
}
