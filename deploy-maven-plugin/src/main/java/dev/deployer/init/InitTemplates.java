package dev.deployer.init;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;

/**
 * The files {@code deployer:init} writes, from the plugin's resources ({@code dev/deployer/init/}): lines between
 * {@code #init FLAG} and {@code #init end} are kept only when the flag is on ({@code #init else} turns the block
 * around), and {@code @@name@@} is replaced by its value. Blocks nest.
 */
final class InitTemplates {

    private InitTemplates() {
    }

    /** The resource {@code name}, processed. */
    static String render(String name, Map<String, String> values, Set<String> flags) {
        return process(read(name), values, flags);
    }

    static String process(String text, Map<String, String> values, Set<String> flags) {
        StringBuilder out = new StringBuilder();
        Deque<boolean[]> blocks = new ArrayDeque<>();
        for (String line : text.split("\n", -1)) {
            String marker = line.strip();
            if (marker.startsWith("#init ")) {
                String word = marker.substring(6).strip();
                switch (word) {
                    case "end" -> blocks.pop();
                    case "else" -> blocks.peek()[0] = !blocks.peek()[0];
                    default -> blocks.push(new boolean[] {flags.contains(word)});
                }
                continue;
            }
            if (blocks.stream().allMatch(block -> block[0])) {
                out.append(line).append('\n');
            }
        }
        if (!blocks.isEmpty()) {
            throw new IllegalStateException("unclosed #init block");
        }
        String result = out.toString().replaceAll("\n+$", "");
        for (Map.Entry<String, String> value : values.entrySet()) {
            result = result.replace("@@" + value.getKey() + "@@", value.getValue());
        }
        if (result.contains("@@")) {
            throw new IllegalStateException("unreplaced @@ in " + result);
        }
        return result;
    }

    private static String read(String name) {
        try (InputStream in = InitTemplates.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/deployer/init/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
