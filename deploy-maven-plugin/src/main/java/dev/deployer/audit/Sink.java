package dev.deployer.audit;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** Where the rules of one file put their findings, placed at a node or at a line and column of the file. */
final class Sink {

    private final YamlDoc doc;
    private final List<Finding> findings = new ArrayList<>();

    Sink(YamlDoc doc) {
        this.doc = doc;
    }

    YamlDoc doc() {
        return doc;
    }

    List<Finding> findings() {
        return findings;
    }

    /** A finding at a node; {@code severity} null means the rule's own. */
    void add(Node node, Rule rule, Severity severity, String message) {
        add(YamlDoc.line(node), YamlDoc.column(node), rule, severity, message);
    }

    /** A finding at {@code at = {line, column}}. */
    void add(int[] at, Rule rule, Severity severity, String message) {
        add(at[0], at[1], rule, severity, message);
    }

    void add(int line, int column, Rule rule, Severity severity, String message) {
        findings.add(new Finding(doc.path(), line, column, rule, severity == null ? rule.severity() : severity, message,
                rule.fix()));
    }
}
