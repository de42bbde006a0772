package dev.deployer.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which context references inside a {@code ${{ ... }}} expression an attacker can control, and how
 * badly. Pure functions of the expression text and what the workflow declares about its inputs and matrix.
 */
final class Taint {

    /** A dangerous reference: the context path, where it starts in the expression text, and its severity. */
    record Tainted(String context, int index, Severity severity, String why) { }

    /**
     * What the enclosing workflow or action declares, so that safe inputs and static matrices are not reported.
     *
     * @param freeInputs        inputs declared as free text (lower case); other inputs are typed or undefined
     * @param dynamicMatrix     the whole matrix comes from an expression
     * @param dynamicMatrixKeys matrix keys whose values come from an expression (lower case)
     * @param sensitive         why the job is worth attacking ("holds deploy secrets"), or null: free-form inputs
     *                          expanded there are high, not medium
     */
    record Scope(Set<String> freeInputs, boolean dynamicMatrix, Set<String> dynamicMatrixKeys, String sensitive) {
        static final Scope NONE = new Scope(Set.of(), false, Set.of(), null);

        Scope(Set<String> freeInputs, boolean dynamicMatrix, Set<String> dynamicMatrixKeys) {
            this(freeInputs, dynamicMatrix, dynamicMatrixKeys, null);
        }

        Scope sensitive(String why) {
            return new Scope(freeInputs, dynamicMatrix, dynamicMatrixKeys, why);
        }
    }

    private static final Pattern ROOT = Pattern.compile("(?<![\\w.-])(?:github\\.event(?![\\w-])|github\\.head_ref(?![\\w-])"
            + "|inputs\\.|matrix(?![\\w-]))");

    /** github.event paths whose value an outside contributor chooses (issue titles, branch names, ...). */
    private static final Pattern UNTRUSTED_EVENT = Pattern.compile(
            "github\\.event(?:"
                    + "|\\..*\\.(?:title|body|page_name|display_title)"
                    + "|\\..*\\.(?:head_commit|commits\\.[^.]+)\\.(?:message|author\\.(?:name|email)|committer\\.(?:name|email))"
                    + "|\\.(?:head_commit|commits\\.[^.]+)\\.(?:message|author\\.(?:name|email)|committer\\.(?:name|email))"
                    + "|\\..*\\.head\\.(?:ref|label|repo\\.default_branch)"
                    + "|\\.workflow_run\\.head_branch"
                    + "|\\.client_payload(?:\\..*)?"
                    + "|\\.(?:issue|pull_request|comment|review|review_comment|discussion|head_commit|commits|workflow_run|pages|release)"
                    + ")");

    private static final Pattern BOOLEAN_ONLY = Pattern.compile(
            "^\\s*!|==|!=|<=|>=|<|>|^\\s*(?:contains|startsWith|endsWith|always|success|failure|cancelled)\\s*\\(",
            Pattern.CASE_INSENSITIVE);

    private Taint() {
    }

    /**
     * The attacker-controllable references in an expression that is expanded into a script: only those the
     * expression can evaluate to ({@code a == b && github.event.issue.title || ''} can be the title).
     */
    static List<Tainted> analyse(String expression, Scope scope) {
        Expr.Node node = Expr.parse(expression);
        if (node == null) {
            return scan(expression, scope);
        }
        List<Tainted> found = new ArrayList<>();
        for (Expr.Ref ref : Expr.valueRefs(node)) {
            String path = ref.path().replace("github.event.inputs.", "inputs.");
            Tainted t = classify(expression.substring(ref.start(), ref.end()), path, ref.start(), scope);
            if (t != null) {
                found.add(t);
            }
        }
        return found;
    }

    /** For expressions the parser does not understand: every reference, unless the whole is a condition. */
    private static List<Tainted> scan(String expression, Scope scope) {
        List<Tainted> found = new ArrayList<>();
        String code = withoutStrings(expression);
        if (BOOLEAN_ONLY.matcher(code).find()) {
            return found; // the expression can only expand to true or false
        }
        Matcher m = ROOT.matcher(code);
        while (m.find()) {
            int end = pathEnd(code, m.end());
            String ref = code.substring(m.start(), end);
            Tainted t = classify(ref, normalise(ref).toLowerCase(Locale.ROOT), m.start(), scope);
            if (t != null) {
                found.add(t);
            }
        }
        return found;
    }

    /** Where a context path that starts before {@code from} ends: {@code .name}, {@code .*} and nested {@code [...]}. */
    private static int pathEnd(String code, int from) {
        int i = from;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '*') {
                i++;
            } else if (c == '[') {
                int depth = 0;
                int j = i;
                for (; j < code.length(); j++) {
                    if (code.charAt(j) == '[') {
                        depth++;
                    } else if (code.charAt(j) == ']' && --depth == 0) {
                        break;
                    }
                }
                if (j >= code.length()) {
                    return i;
                }
                i = j + 1;
            } else {
                break;
            }
        }
        return i;
    }

    /** {@code a[x].b} and {@code a.*.b} alike: any index becomes {@code .*}; event inputs become inputs. */
    static String normalise(String ref) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (char c : ref.toCharArray()) {
            if (c == '[') {
                if (depth++ == 0) {
                    out.append(".*");
                }
            } else if (c == ']') {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString().replaceAll("\\.+$", "").replace("github.event.inputs.", "inputs.");
    }

    private static Tainted classify(String ref, String normal, int index, Scope scope) {
        if (normal.equals("github.head_ref")) {
            return new Tainted(ref, index, Severity.HIGH, "the pull request's branch name is chosen by its author");
        }
        if (normal.startsWith("inputs.")) {
            String name = normal.substring("inputs.".length()).toLowerCase(Locale.ROOT);
            if (!scope.freeInputs().contains(name)) {
                return null; // a boolean, number or choice, or not declared at all (expands to nothing)
            }
            if (scope.sensitive() != null) {
                return new Tainted(ref, index, Severity.HIGH, "a free-form input is chosen by whoever starts the run or"
                        + " calls the workflow, and this job " + scope.sensitive());
            }
            return new Tainted(ref, index, Severity.MEDIUM, "a free-form input is chosen by whoever starts the run or calls the workflow");
        }
        if (normal.startsWith("matrix")) {
            String key = normal.equals("matrix") ? null : normal.substring("matrix.".length());
            if (key != null && (scope.dynamicMatrix() || scope.dynamicMatrixKeys().contains(key))) {
                return new Tainted(ref, index, Severity.MEDIUM, "the matrix value comes from an expression");
            }
            return null;
        }
        if (normal.startsWith("github.event") && UNTRUSTED_EVENT.matcher(normal).matches()) {
            return new Tainted(ref, index, Severity.HIGH, "its value is chosen by whoever opens the issue, pull request or comment");
        }
        return null;
    }

    /** Blanks out single-quoted string literals (keeping offsets) so that their contents are not read as code. */
    static String withoutStrings(String expression) {
        StringBuilder out = new StringBuilder(expression.length());
        boolean inString = false;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\'') {
                inString = !inString;
                out.append(c);
            } else {
                out.append(inString ? ' ' : c);
            }
        }
        return out.toString();
    }
}
