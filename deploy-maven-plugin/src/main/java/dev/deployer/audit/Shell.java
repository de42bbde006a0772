package dev.deployer.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a {@code run:} script's shell to follow a value: logical lines, variables assigned from other
 * variables, where a line redirects its output, and which commands print to the log. A heuristic, not a parser:
 * it errs towards following a value (a derived variable stays derived), never towards reporting unrelated lines.
 */
final class Shell {

    /** A logical line (backslash continuations joined) and the offset in the script where it starts. */
    record Line(String text, int offset) { }

    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?:^|[\\s;&|(])(?:export\\s+|local\\s+|declare\\s+(?:-\\w+\\s+)*)?([A-Za-z_]\\w*)="
                    + "(\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|\\$\\((?:[^()]|\\([^()]*\\))*\\)|\\S*)");
    private static final Pattern REDIRECT = Pattern.compile("(?:>>?|\\btee\\s+(?:-a\\s+)?)\\s*(\"[^\"]*\"|'[^']*'|[^\\s;&|)]+)");
    private static final Pattern PRINT = Pattern.compile("^(?:(?:then|do|else|\\{)\\s+)*(?:echo|printf|cat)\\b");

    private Shell() {
    }

    static List<Line> lines(String script) {
        List<Line> out = new ArrayList<>();
        int start = 0;
        StringBuilder current = new StringBuilder();
        String[] physical = script.split("\n", -1);
        int offset = 0;
        for (String line : physical) {
            if (current.length() == 0) {
                start = offset;
            }
            offset += line.length() + 1;
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            out.add(new Line(current.toString(), start));
            current.setLength(0);
        }
        return out;
    }

    /**
     * The variables whose value comes from one of {@code seeds} (or from a line {@code direct} accepts), through
     * assignments anywhere in the script, each with the seed it came from.
     */
    static Map<String, String> derived(List<Line> lines, Map<String, String> seeds, Pattern direct) {
        Map<String, String> vars = new HashMap<>(seeds);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Line line : lines) {
                Matcher m = ASSIGNMENT.matcher(line.text());
                while (m.find()) {
                    String name = m.group(1);
                    if (vars.containsKey(name)) {
                        continue;
                    }
                    String from = used(m.group(2), vars.keySet());
                    if (from != null) {
                        vars.put(name, vars.get(from));
                        changed = true;
                    } else if (direct != null && direct.matcher(m.group(2)).find()) {
                        vars.put(name, m.group(2));
                        changed = true;
                    }
                }
            }
        }
        return vars;
    }

    /** The first of {@code vars} the text expands ({@code $X}, {@code ${X}}, {@code ${X...}}), or null. */
    static String used(String text, Set<String> vars) {
        for (String var : vars) {
            if (Pattern.compile("\\$\\{?" + Pattern.quote(var) + "(?![\\w])").matcher(text).find()) {
                return var;
            }
        }
        return null;
    }

    /** {@code files} (e.g. GITHUB_ENV) and the variables the script assigns from them ({@code F=$GITHUB_ENV}). */
    static Set<String> aliases(List<Line> lines, Set<String> files) {
        Set<String> names = new LinkedHashSet<>(files);
        for (Line line : lines) {
            Matcher m = ASSIGNMENT.matcher(line.text());
            while (m.find()) {
                String value = m.group(2).replaceAll("[\"'{}$]", "");
                if (files.contains(value)) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** The files a line writes to ({@code > f}, {@code >> "$F"}, {@code tee -a f}), unquoted, as written. */
    static List<String> targets(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = REDIRECT.matcher(line);
        while (m.find()) {
            String target = m.group(1).replaceAll("^[\"']|[\"']$", "");
            if (!target.startsWith("&") && !target.equals("/dev/null") && !target.equals("/dev/stderr")) {
                out.add(target);
            }
        }
        return out;
    }

    /** The variable of {@code names} a target expands to ({@code $GITHUB_ENV}, {@code ${F}}), or null. */
    static String variable(String target, Set<String> names) {
        String name = target.replaceAll("^\\$\\{?|}$", "");
        return target.startsWith("$") && names.contains(name) ? name : null;
    }

    private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*['\"]?(\\w+)['\"]?");
    private static final Pattern GROUP_END = Pattern.compile("^\\s*}\\s*(?:>|\\|\\s*tee\\b)");

    /**
     * The files each line's text ends up in through an enclosing construct rather than its own redirect: the body
     * of a here-document ({@code cat <<EOF >> "$GITHUB_ENV"}) and the lines of a group ({@code { …; } >> file}).
     * Indexed like {@code lines}; an empty list where there is none.
     */
    static List<List<String>> enclosingTargets(List<Line> lines) {
        List<List<String>> out = new ArrayList<>();
        lines.forEach(l -> out.add(new ArrayList<>()));
        java.util.Deque<Integer> groups = new java.util.ArrayDeque<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).text();
            int start = unquoted(text, "<<");
            Matcher heredoc = HEREDOC.matcher(text);
            if (start >= 0 && heredoc.find(start) && heredoc.start() == start) {
                List<String> targets = targets(text);
                int j = i + 1;
                for (; j < lines.size() && !lines.get(j).text().strip().equals(heredoc.group(1)); j++) {
                    out.get(j).addAll(targets);
                }
                i = j;
                continue;
            }
            String strip = text.strip();
            if (strip.equals("{") || (strip.startsWith("{ ") && !strip.contains("}"))) {
                groups.push(i);
            } else if (GROUP_END.matcher(text).find() && !groups.isEmpty()) {
                List<String> targets = targets(text);
                for (int j = groups.pop() + 1; j < i; j++) {
                    out.get(j).addAll(targets);
                }
            }
        }
        return out;
    }

    /** Where {@code token} first occurs outside quotes, or -1. */
    private static int unquoted(String text, String token) {
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && text.startsWith(token, i)) {
                return i;
            }
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else if (c == '\\' && quote == '"') {
                i++;
            }
        }
        return -1;
    }

    /** The commands of a line: {@code ;}, {@code &&} and {@code ||} separate them; a pipeline stays one command. */
    static List<String> commands(String line) {
        return List.of(line.split(";|&&|\\|\\|"));
    }

    /**
     * The commands of a line ({@code ;}, {@code &&}, {@code ||} separate them) that print to the log: echo,
     * printf or cat whose output is neither piped nor redirected.
     */
    static List<String> printed(String line) {
        List<String> out = new ArrayList<>();
        for (String command : commands(line)) {
            String c = command.strip();
            if (PRINT.matcher(c).find() && !c.contains("|") && !c.contains(">") && !c.contains("::add-mask::")) {
                out.add(c);
            }
        }
        return out;
    }
}
