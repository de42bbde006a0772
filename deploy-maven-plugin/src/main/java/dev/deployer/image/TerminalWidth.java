package dev.deployer.image;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The width of the terminal the live progress line is drawn on: asked from the terminal itself ({@code stty size}
 * on {@code /dev/tty}), else {@code COLUMNS}, else 80. A line that fits the width can be redrawn in place; one that
 * wraps leaves its first rows behind.
 */
final class TerminalWidth {

    static final int FALLBACK = 80;

    private TerminalWidth() {
    }

    /** The width now; {@code env} for {@code COLUMNS}. Never throws. */
    static int detect(Function<String, String> env) {
        int asked = stty();
        if (asked > 0) {
            return asked;
        }
        String columns = env.apply("COLUMNS");
        if (columns != null) {
            try {
                int value = Integer.parseInt(columns.strip());
                if (value > 0) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // not a number: the fallback
            }
        }
        return FALLBACK;
    }

    /** {@code stty size < /dev/tty}: "rows columns"; 0 when there is no terminal or no stty. */
    private static int stty() {
        File tty = new File("/dev/tty");
        if (!tty.exists()) {
            return 0;
        }
        try {
            Process process = new ProcessBuilder("stty", "size").redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!process.waitFor(2, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroy();
                return 0;
            }
            String[] parts = out.split("\\s+");
            return parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
