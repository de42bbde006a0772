package dev.deployer.render;

import dev.deployer.core.DeployerException;
import java.util.Map;

/**
 * {@code $vars} in templates: {@code $vars.NAME}, {@code $vars.has("NAME")} for optional ones, and
 * {@code $vars.quoted("NAME")} for a value emitted as one double-quoted YAML scalar.
 *
 * <p>A value is text put into a file whose structure the template decides, so it must not change that structure:
 * {@code $vars.NAME} refuses a value with a line break or another control character (a newline followed by
 * {@code privileged: true} would add a YAML key); {@code $vars.quoted("NAME")} takes any value and escapes it.
 */
public final class Variables {

    private final Map<String, String> values;

    Variables(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** {@code $vars.NAME}. Fails for a variable that is not defined, or whose value has a line break or control character. */
    public String get(String name) {
        String value = value(name);
        int bad = value.codePoints().filter(Variables::control).findFirst().orElse(-1);
        if (bad >= 0) {
            throw new DeployerException("The value of $vars." + name + " contains a line break or control character (U+"
                    + String.format("%04X", bad) + "), which could change the structure of the rendered file (add YAML keys)",
                    null, "keep variables on one line, or emit the value as one quoted YAML scalar with $vars.quoted('"
                    + name + "') (without quotes around it)");
        }
        return value;
    }

    /**
     * {@code $vars.quoted("NAME")}: the value as a double-quoted YAML scalar ({@code "…"}, with {@code \}, {@code "}
     * and control characters escaped), so whatever it holds it stays one value.
     */
    public String quoted(String name) {
        return yamlQuoted(value(name));
    }

    /** {@code #if($vars.has("NAME"))}: whether the variable is defined. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    private String value(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new DeployerException("Undefined variable $vars." + name, null,
                    "define it in the plugin's <variables><" + name + ">…</" + name + "></variables>,"
                            + " or pass -Ddeployer.var." + name + "=… (or a <deployer.var." + name
                            + "> property in a profile)");
        }
        return value;
    }

    /** {@code text} as a YAML double-quoted scalar. */
    static String yamlQuoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x85 -> out.append("\\N");
                case 0x2028 -> out.append("\\L");
                case 0x2029 -> out.append("\\P");
                default -> {
                    if (control(c)) {
                        out.append(String.format("\\x%02x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** Line breaks and control characters (tab is allowed in a plain value). */
    private static boolean control(int c) {
        return (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029;
    }

    @Override
    public String toString() {
        return "$vars" + values.keySet();
    }
}
