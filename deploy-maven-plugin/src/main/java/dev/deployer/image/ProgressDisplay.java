package dev.deployer.image;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import java.io.PrintStream;
import java.util.List;

/**
 * Renders Jib's events. Log events go to the {@link Log} (lifecycle at info, Jib's own detail at debug), each with
 * every known secret masked. Progress goes, in {@link ConsoleMode#RICH}, to one live line redrawn on the terminal;
 * in {@link ConsoleMode#PLAIN}, to a log line at each quarter.
 */
final class ProgressDisplay {

    private static final int WIDTH = 30;
    private static final long REDRAW_MILLIS = 100;

    private final Log log;
    private final ConsoleMode mode;
    private final PrintStream terminal;
    private final List<Secret> secrets;
    private int lastQuarter;
    private long lastDraw;
    private boolean lineShown;

    ProgressDisplay(Log log, ConsoleMode mode, PrintStream terminal, List<Secret> secrets) {
        this.log = log;
        this.mode = mode;
        this.terminal = terminal;
        this.secrets = List.copyOf(secrets);
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
        if (mode == ConsoleMode.PLAIN) {
            int quarter = (int) Math.floor(progress * 4);
            if (quarter > lastQuarter) {
                lastQuarter = quarter;
                log.info("Progress: " + quarter * 25 + "%");
            }
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastDraw < REDRAW_MILLIS && progress < 1.0) {
            return;
        }
        lastDraw = now;
        int filled = (int) Math.round(progress * WIDTH);
        String task = update.getUnfinishedLeafTasks().isEmpty() ? "" : update.getUnfinishedLeafTasks().get(0);
        String line = String.format("[%s%s] %5.1f%% %s", "=".repeat(filled), " ".repeat(WIDTH - filled), progress * 100,
                mask(task));
        if (line.length() > 100) {
            line = line.substring(0, 99) + "…";
        }
        terminal.print("\r" + line + " ".repeat(Math.max(0, 100 - line.length())));
        terminal.flush();
        lineShown = true;
    }

    /** Removes the live line, before a log line or at the end. */
    synchronized void clear() {
        if (lineShown) {
            terminal.print("\r" + " ".repeat(102) + "\r");
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
