package dev.deployer.init;

import dev.deployer.core.DeployerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A POM as text, changed by inserting text only: what is not inserted stays byte for byte as it was (comments,
 * formatting, attribute order, line endings). A small outline of the elements (comments, CDATA, processing
 * instructions and the doctype skipped) tells where.
 */
final class PomText {

    /** An element: offsets of its start tag, its content and its end tag. */
    record Element(String name, int start, int contentStart, int contentEnd, int end, Element parent, List<Element> children) {

        Optional<Element> child(String childName) {
            return children.stream().filter(child -> child.name.equals(childName)).findFirst();
        }

        List<Element> all(String childName) {
            return children.stream().filter(child -> child.name.equals(childName)).toList();
        }

        int depth() {
            return parent == null ? 0 : parent.depth() + 1;
        }
    }

    private String text;
    private Element root;
    private final String newline;
    private final String indent;

    PomText(String text) {
        this.text = text;
        this.newline = text.contains("\r\n") ? "\r\n" : "\n";
        this.root = parse(text);
        this.indent = indentUnit();
    }

    String text() {
        return text;
    }

    Element root() {
        return root;
    }

    /** The element at {@code path} below the root ({@code build/plugins}), first of each name. */
    Optional<Element> find(String... path) {
        Element at = root;
        for (String name : path) {
            Optional<Element> next = at.child(name);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            at = next.get();
        }
        return Optional.of(at);
    }

    /** The text content of an element, trimmed. */
    String content(Element element) {
        return text.substring(element.contentStart, element.contentEnd).strip();
    }

    /**
     * Inserts {@code block} (lines indented by two spaces per level, as the plugin's resources are) as the last
     * children of {@code parent}, indented like the file's elements at that depth.
     */
    void appendTo(Element parent, String block) {
        if (parent.contentStart == parent.contentEnd && text.charAt(parent.contentStart - 2) == '/') {
            throw new IllegalStateException("self-closing " + parent.name);
        }
        int lineStart = text.lastIndexOf('\n', parent.contentEnd - 1) + 1;
        boolean endTagOnOwnLine = text.substring(lineStart, parent.contentEnd).isBlank();
        String childIndent = indent.repeat(parent.depth() + 1);
        StringBuilder insert = new StringBuilder();
        if (!endTagOnOwnLine) {
            insert.append(newline);
        }
        for (String line : block.split("\n", -1)) {
            insert.append(line.isEmpty() ? "" : childIndent + reindent(line)).append(newline);
        }
        String closing = indent.repeat(parent.depth());
        if (endTagOnOwnLine) {
            // insert before the end tag's indentation: the end tag keeps it
            insertAt(lineStart, insert.toString());
        } else {
            insertAt(parent.contentEnd, insert + closing);
        }
    }

    /** Wraps {@code block} in {@code <name>…</name>} and appends it to {@code parent}. */
    void appendElement(Element parent, String name, String block) {
        StringBuilder wrapped = new StringBuilder("<" + name + ">\n");
        for (String line : block.split("\n", -1)) {
            wrapped.append(line.isEmpty() ? "" : "  " + line).append('\n');
        }
        appendTo(parent, wrapped.append("</").append(name).append('>').toString());
    }

    /** Inserts {@code <name>block</name>} as the previous sibling of {@code next}, followed by an empty line. */
    void insertBefore(Element next, String name, String block) {
        int lineStart = text.lastIndexOf('\n', next.start - 1) + 1;
        String ownIndent = indent.repeat(next.depth());
        StringBuilder insert = new StringBuilder();
        insert.append(ownIndent).append('<').append(name).append('>').append(newline);
        for (String line : block.split("\n", -1)) {
            insert.append(line.isEmpty() ? "" : ownIndent + indent + reindent(line)).append(newline);
        }
        insert.append(ownIndent).append("</").append(name).append('>').append(newline).append(newline);
        if (text.substring(lineStart, next.start).isBlank()) {
            insertAt(lineStart, insert.toString());
        } else {
            insertAt(next.start, insert.toString().stripLeading() + ownIndent);
        }
    }

    private void insertAt(int offset, String insert) {
        text = text.substring(0, offset) + insert + text.substring(offset);
        root = parse(text);
    }

    /** Two-space levels of the resources into the file's unit. */
    private String reindent(String line) {
        int spaces = 0;
        while (spaces < line.length() && line.charAt(spaces) == ' ') {
            spaces++;
        }
        return indent.repeat(spaces / 2) + line.substring(spaces);
    }

    /** The indentation of the root's first child, else two spaces. */
    private String indentUnit() {
        if (root.children.isEmpty()) {
            return "  ";
        }
        int start = root.children.get(0).start;
        int lineStart = text.lastIndexOf('\n', start - 1) + 1;
        String before = text.substring(lineStart, start);
        return before.isEmpty() || !before.isBlank() ? "  " : before;
    }

    private static Element parse(String text) {
        List<Object[]> stack = new ArrayList<>();
        Element root = null;
        int i = 0;
        while (i < text.length()) {
            int lt = text.indexOf('<', i);
            if (lt < 0) {
                break;
            }
            if (text.startsWith("<!--", lt)) {
                i = skipTo(text, lt, "-->");
            } else if (text.startsWith("<![CDATA[", lt)) {
                i = skipTo(text, lt, "]]>");
            } else if (text.startsWith("<?", lt)) {
                i = skipTo(text, lt, "?>");
            } else if (text.startsWith("<!", lt)) {
                i = skipTo(text, lt, ">");
            } else if (text.startsWith("</", lt)) {
                int gt = skipTo(text, lt, ">");
                String name = text.substring(lt + 2, gt - 1).strip();
                if (stack.isEmpty() || !((String) stack.get(stack.size() - 1)[0]).equals(name)) {
                    throw invalid("</" + name + "> does not close the open element");
                }
                Object[] open = stack.remove(stack.size() - 1);
                Element element = build(open, lt, gt);
                if (stack.isEmpty()) {
                    root = element;
                } else {
                    children(stack.get(stack.size() - 1)).add(element);
                }
                i = gt;
            } else {
                int gt = tagEnd(text, lt);
                boolean selfClosing = text.charAt(gt - 2) == '/';
                String tag = text.substring(lt + 1, selfClosing ? gt - 2 : gt - 1);
                String name = tag.split("[\\s/>]", 2)[0];
                Object[] open = {name, lt, gt, new ArrayList<Object[]>(), new ArrayList<Element>()};
                if (selfClosing) {
                    Element element = build(open, gt, gt);
                    if (stack.isEmpty()) {
                        root = element;
                    } else {
                        children(stack.get(stack.size() - 1)).add(element);
                    }
                } else {
                    stack.add(open);
                }
                i = gt;
            }
        }
        if (root == null || !stack.isEmpty()) {
            throw invalid("the document has no complete root element");
        }
        return link(root, null);
    }

    @SuppressWarnings("unchecked")
    private static List<Element> children(Object[] open) {
        return (List<Element>) open[4];
    }

    private static Element build(Object[] open, int contentEnd, int end) {
        return new Element((String) open[0], (int) open[1], (int) open[2], contentEnd, end, null, children(open));
    }

    /** Sets each element's parent (built bottom-up, records are immutable: rebuilt top-down). */
    private static Element link(Element element, Element parent) {
        List<Element> children = new ArrayList<>();
        Element linked = new Element(element.name, element.start, element.contentStart, element.contentEnd, element.end,
                parent, children);
        for (Element child : element.children) {
            children.add(link(child, linked));
        }
        return linked;
    }

    private static int skipTo(String text, int from, String end) {
        int at = text.indexOf(end, from);
        if (at < 0) {
            throw invalid("unclosed " + text.substring(from, Math.min(text.length(), from + 10)));
        }
        return at + end.length();
    }

    private static int tagEnd(String text, int lt) {
        char quote = 0;
        for (int i = lt + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return i + 1;
            }
        }
        throw invalid("unclosed tag");
    }

    private static DeployerException invalid(String what) {
        return new DeployerException("pom.xml cannot be read as XML: " + what, "pom.xml",
                "fix the POM (./mvnw validate shows where), or add the printed snippet by hand");
    }
}
