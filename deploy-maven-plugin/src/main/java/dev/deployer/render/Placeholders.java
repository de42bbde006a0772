package dev.deployer.render;

import java.util.ArrayList;
import java.util.List;

/**
 * The interpolation placeholders of a Compose value, read the way Compose, {@code docker stack deploy} and
 * quantum-cli read them: {@code ${NAME}} and {@code $NAME}; {@code ${NAME:?error}} / {@code ${NAME?error}} (required);
 * {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:+alt}}, {@code ${NAME+alt}} (optional: the tool
 * has a value without NAME); and {@code $$}, an escaped {@code $} that is no placeholder ({@code $${X}} is the
 * literal text {@code ${X}}).
 */
public final class Placeholders {

    /**
     * One placeholder.
     *
     * @param name     the variable it reads
     * @param required whether the tool needs the variable ({@code ${NAME}}, {@code $NAME}, {@code ${NAME:?…}});
     *                 false for the forms with a default or an alternative
     * @param text     the placeholder as written, e.g. {@code ${NAME:-x}}
     * @param offset   where it starts in the value
     */
    public record Placeholder(String name, boolean required, String text, int offset) {
    }

    private Placeholders() {
    }

    /** The placeholders of {@code value}, in order. */
    public static List<Placeholder> find(String value) {
        List<Placeholder> found = new ArrayList<>();
        int i = 0;
        while (i < value.length() - 1) {
            if (value.charAt(i) != '$') {
                i++;
                continue;
            }
            char next = value.charAt(i + 1);
            if (next == '$') {
                i += 2; // an escaped $
            } else if (next == '{') {
                int close = value.indexOf('}', i + 2);
                int end = nameEnd(value, i + 2);
                if (close < 0 || end == i + 2) {
                    i += 2;
                    continue;
                }
                String name = value.substring(i + 2, end);
                String rest = value.substring(end, close);
                boolean required = rest.isEmpty() || rest.startsWith(":?") || rest.startsWith("?");
                boolean optional = rest.startsWith(":-") || rest.startsWith("-") || rest.startsWith(":+") || rest.startsWith("+");
                if (required || optional) {
                    found.add(new Placeholder(name, required, value.substring(i, close + 1), i));
                }
                i = close + 1;
            } else {
                int end = nameEnd(value, i + 1);
                if (end > i + 1) {
                    found.add(new Placeholder(value.substring(i + 1, end), true, value.substring(i, end), i));
                    i = end;
                } else {
                    i++;
                }
            }
        }
        return found;
    }

    /** The distinct names of {@code value}'s placeholders, in order of first use. */
    public static List<String> names(String value) {
        return find(value).stream().map(Placeholder::name).distinct().toList();
    }

    private static int nameEnd(String value, int start) {
        int end = start;
        while (end < value.length() && (Character.isLetter(value.charAt(end)) && value.charAt(end) < 128 || value.charAt(end) == '_'
                || end > start && value.charAt(end) >= '0' && value.charAt(end) <= '9')) {
            end++;
        }
        return end;
    }
}
