package dev.deployer.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A GitHub Actions expression (the inside of {@code ${{ ... }}}) parsed into a small syntax tree, so that the
 * rules can tell where a value can come from: {@code a && b || c} evaluates to {@code b} or {@code c}, never to
 * {@code a}; comparisons, {@code !x} and {@code contains(...)} are only ever true or false.
 */
final class Expr {

    /** A node of the tree; {@code start} and {@code end} are offsets in the parsed text. */
    sealed interface Node permits Lit, Ref, Call, Not, Bin {
        int start();

        int end();
    }

    /** A literal: a string (value without quotes), number, boolean or null. */
    record Lit(int start, int end, String value, boolean string) implements Node { }

    /**
     * A context reference such as {@code github.event.pages[x].page_name} (rooted in a context name), or a
     * property of a call result such as {@code fromJSON(x).field} ({@code base} is then the call).
     *
     * @param path    the normalised path, lower case, indexes as {@code .*}; null when rooted in a call
     * @param base    the call the path is taken from, or null
     * @param indexes the expressions used as indexes along the way
     */
    record Ref(int start, int end, String path, Node base, List<Node> indexes) implements Node { }

    record Call(int start, int end, String name, List<Node> args) implements Node { }

    record Not(int start, int end, Node operand) implements Node { }

    /** {@code ||}, {@code &&} or a comparison. */
    record Bin(int start, int end, String op, Node left, Node right) implements Node { }

    /** Functions whose result is only ever true or false (or a number, for hashFiles a hash). */
    private static final Set<String> BOOLEAN_FUNCTIONS = Set.of("contains", "startswith", "endswith", "always", "success",
            "failure", "cancelled", "hashfiles");

    private final String text;
    private int pos;

    private Expr(String text) {
        this.text = text;
    }

    /** Parses an expression; null when it is not one this parser understands. */
    static Node parse(String text) {
        Expr p = new Expr(text);
        try {
            Node node = p.or();
            p.skipSpace();
            return p.pos == text.length() ? node : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The references whose value the expression can evaluate to (or contains, through format, join, toJSON and
     * fromJSON), including references used as indexes along a path. Comparisons, negations, boolean functions
     * and the left side of {@code &&} contribute nothing: they only decide which side is taken.
     */
    static List<Ref> valueRefs(Node node) {
        List<Ref> out = new ArrayList<>();
        values(node, out);
        return out;
    }

    private static void values(Node node, List<Ref> out) {
        if (node instanceof Ref r) {
            if (r.base() != null) {
                values(r.base(), out);
            } else {
                out.add(r);
            }
            r.indexes().forEach(i -> values(i, out));
        } else if (node instanceof Call c && !BOOLEAN_FUNCTIONS.contains(c.name())) {
            c.args().forEach(a -> values(a, out));
        } else if (node instanceof Bin b && b.op().equals("||")) {
            values(b.left(), out);
            values(b.right(), out);
        } else if (node instanceof Bin b && b.op().equals("&&")) {
            values(b.right(), out);
        }
    }

    /** The string literals the expression can evaluate to (see {@link #valueRefs}). */
    static List<Lit> valueLiterals(Node node) {
        List<Lit> out = new ArrayList<>();
        if (node instanceof Lit l) {
            out.add(l);
        } else if (node instanceof Bin b && b.op().equals("||")) {
            out.addAll(valueLiterals(b.left()));
            out.addAll(valueLiterals(b.right()));
        } else if (node instanceof Bin b && b.op().equals("&&")) {
            out.addAll(valueLiterals(b.right()));
        }
        return out;
    }

    /** Every node of the tree, depth first (the node itself first). */
    static List<Node> all(Node node) {
        List<Node> out = new ArrayList<>();
        walk(node, out);
        return out;
    }

    private static void walk(Node node, List<Node> out) {
        if (node == null) {
            return;
        }
        out.add(node);
        if (node instanceof Ref r) {
            walk(r.base(), out);
            r.indexes().forEach(i -> walk(i, out));
        } else if (node instanceof Call c) {
            c.args().forEach(a -> walk(a, out));
        } else if (node instanceof Not n) {
            walk(n.operand(), out);
        } else if (node instanceof Bin b) {
            walk(b.left(), out);
            walk(b.right(), out);
        }
    }

    // ---------------------------------------------------------------- parser

    private Node or() {
        Node left = and();
        while (eat("||")) {
            Node right = and();
            left = new Bin(left.start(), right.end(), "||", left, right);
        }
        return left;
    }

    private Node and() {
        Node left = comparison();
        while (eat("&&")) {
            Node right = comparison();
            left = new Bin(left.start(), right.end(), "&&", left, right);
        }
        return left;
    }

    private Node comparison() {
        Node left = unary();
        while (true) {
            String op = null;
            for (String candidate : List.of("==", "!=", "<=", ">=", "<", ">")) {
                if (eat(candidate)) {
                    op = candidate;
                    break;
                }
            }
            if (op == null) {
                return left;
            }
            Node right = unary();
            left = new Bin(left.start(), right.end(), op, left, right);
        }
    }

    private Node unary() {
        skipSpace();
        int start = pos;
        if (peek() == '!' && !text.startsWith("!=", pos)) {
            pos++;
            Node operand = unary();
            return new Not(start, operand.end(), operand);
        }
        return postfix(primary());
    }

    private Node primary() {
        skipSpace();
        int start = pos;
        char c = peek();
        if (c == '(') {
            pos++;
            Node inner = or();
            expect(')');
            return inner;
        }
        if (c == '\'') {
            StringBuilder value = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= text.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char s = text.charAt(pos++);
                if (s == '\'') {
                    if (peek() == '\'') {
                        value.append('\'');
                        pos++;
                        continue;
                    }
                    break;
                }
                value.append(s);
            }
            return new Lit(start, pos, value.toString(), true);
        }
        if (Character.isDigit(c) || c == '-' || c == '.') {
            while (pos < text.length() && (Character.isLetterOrDigit(peek()) || "-+.".indexOf(peek()) >= 0)) {
                pos++;
            }
            return new Lit(start, pos, text.substring(start, pos), false);
        }
        String name = identifier();
        skipSpace();
        if (peek() == '(') {
            pos++;
            List<Node> args = new ArrayList<>();
            skipSpace();
            if (peek() != ')') {
                do {
                    args.add(or());
                } while (eat(","));
            }
            expect(')');
            return new Call(start, pos, name.toLowerCase(Locale.ROOT), args);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false") || lower.equals("null")) {
            return new Lit(start, pos, lower, false);
        }
        return new Ref(start, start + name.length(), lower, null, List.of());
    }

    private Node postfix(Node node) {
        while (true) {
            int save = pos;
            skipSpace();
            char c = peek();
            if (c == '.') {
                pos++;
                String name = peek() == '*' ? String.valueOf(text.charAt(pos++)) : identifier();
                node = extend(node, "." + name.toLowerCase(Locale.ROOT), null);
            } else if (c == '[') {
                pos++;
                Node index = or();
                expect(']');
                node = extend(node, index instanceof Lit l && l.string() ? "." + l.value().toLowerCase(Locale.ROOT) : ".*",
                        index);
            } else {
                pos = save;
                return node;
            }
        }
    }

    private Node extend(Node node, String segment, Node index) {
        List<Node> indexes = new ArrayList<>();
        String path;
        Node base;
        if (node instanceof Ref r) {
            indexes.addAll(r.indexes());
            path = r.path() == null ? null : r.path() + segment;
            base = r.base();
        } else {
            path = null;
            base = node;
        }
        if (index != null && !(index instanceof Lit)) {
            indexes.add(index);
        }
        return new Ref(node.start(), pos, path, base, List.copyOf(indexes));
    }

    private String identifier() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '-')) {
            pos++;
        }
        if (start == pos) {
            throw new IllegalArgumentException("identifier expected at " + pos);
        }
        return text.substring(start, pos);
    }

    private boolean eat(String token) {
        skipSpace();
        if (text.startsWith(token, pos)) {
            pos += token.length();
            return true;
        }
        return false;
    }

    private void expect(char c) {
        skipSpace();
        if (peek() != c) {
            throw new IllegalArgumentException("'" + c + "' expected at " + pos);
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
