package dev.deployer.audit;

import dev.deployer.core.DeployerException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML file composed into snakeyaml nodes, which keep their source positions, with the helpers the rules
 * need to walk it and to find {@code ${{ ... }}} expressions at their exact line and column.
 */
final class YamlDoc {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{(.*?)}}", Pattern.DOTALL);

    /**
     * An expression found in a scalar: its inner text (trimmed), where its {@code $} is, and how to place a
     * character of the inner text.
     */
    record Expression(String text, int line, int column, YamlDoc doc, Node node, String source, int innerOffset) {

        /** Line and column of the character at {@code index} of {@link #text()}. */
        int[] at(int index) {
            return doc.position(node, source, innerOffset + Math.max(0, index));
        }
    }

    private final String path;
    private final int[] codePoints;
    private final Node root;

    private YamlDoc(String path, int[] codePoints, Node root) {
        this.path = path;
        this.codePoints = codePoints;
        this.root = root;
    }

    /** Composes {@code text}; a syntax error becomes a {@link DeployerException} at its line and column. */
    static YamlDoc parse(String path, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        try {
            Node root = yaml.compose(new StringReader(text));
            return new YamlDoc(path, text.codePoints().toArray(), root);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? path : path + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            throw new DeployerException("Not valid YAML: " + e.getProblem(), where,
                    "fix the YAML syntax (GitHub rejects this file too)", e);
        } catch (YAMLException e) {
            throw new DeployerException("Not valid YAML: " + e.getMessage(), path,
                    "fix the YAML syntax (GitHub rejects this file too)", e);
        }
    }

    String path() {
        return path;
    }

    /** The document's root node, or null for an empty file. */
    Node root() {
        return root;
    }

    static MappingNode mapping(Node node) {
        return node instanceof MappingNode m ? m : null;
    }

    static List<Node> sequence(Node node) {
        return node instanceof SequenceNode s ? s.getValue() : List.of();
    }

    /** The value of {@code key} in a mapping node, or null. */
    static Node get(Node mapping, String key) {
        NodeTuple entry = entry(mapping, key);
        return entry == null ? null : entry.getValueNode();
    }

    /** The key/value pair of {@code key} in a mapping node, or null. */
    static NodeTuple entry(Node mapping, String key) {
        if (!(mapping instanceof MappingNode m)) {
            return null;
        }
        for (NodeTuple tuple : m.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return tuple;
            }
        }
        return null;
    }

    /** The entries of a mapping node (empty for anything else). */
    static List<NodeTuple> entries(Node node) {
        return node instanceof MappingNode m ? m.getValue() : List.of();
    }

    /** A scalar's string value, or null for anything else. */
    static String text(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    /** Whether a scalar is written as a block ({@code |} or {@code >}, with or without chomping). */
    static boolean block(Node node) {
        return node instanceof ScalarNode s && (s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.LITERAL
                || s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.FOLDED);
    }

    static String keyText(NodeTuple tuple) {
        return text(tuple.getKeyNode());
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    static int column(Node node) {
        return node.getStartMark().getColumn() + 1;
    }

    /** The source text of a node, exactly as written (quotes and block indicators included). */
    String source(Node node) {
        int start = node.getStartMark().getIndex();
        int end = Math.min(node.getEndMark().getIndex(), codePoints.length);
        return new String(codePoints, start, Math.max(0, end - start));
    }

    /** Every {@code ${{ ... }}} in a scalar, with positions in the file. */
    List<Expression> expressions(Node node) {
        List<Expression> found = new ArrayList<>();
        if (!(node instanceof ScalarNode)) {
            return found;
        }
        String source = source(node);
        Matcher m = EXPRESSION.matcher(source);
        while (m.find()) {
            int[] at = position(node, source, m.start());
            int inner = m.start(1) + leadingSpaces(m.group(1));
            found.add(new Expression(m.group(1).trim(), at[0], at[1], this, node, source, inner));
        }
        return found;
    }

    /** Line and column (1-based) of a character offset inside a node's source. */
    int[] position(Node node, String source, int offset) {
        int line = line(node);
        int column = column(node);
        for (int i = 0; i < offset; i = source.offsetByCodePoints(i, 1)) {
            char c = source.charAt(i);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    private static int leadingSpaces(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Every scalar below {@code node} (values and keys), depth first. */
    static List<ScalarNode> scalars(Node node) {
        List<ScalarNode> out = new ArrayList<>();
        collect(node, out, new java.util.IdentityHashMap<>());
        return out;
    }

    private static void collect(Node node, List<ScalarNode> out, java.util.IdentityHashMap<Node, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof ScalarNode s) {
            out.add(s);
        } else if (node instanceof SequenceNode s) {
            s.getValue().forEach(n -> collect(n, out, seen));
        } else if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                collect(t.getKeyNode(), out, seen);
                collect(t.getValueNode(), out, seen);
            }
        }
    }
}
