package dev.deployer.audit;

import static dev.deployer.audit.YamlDoc.entries;
import static dev.deployer.audit.YamlDoc.entry;
import static dev.deployer.audit.YamlDoc.get;
import static dev.deployer.audit.YamlDoc.keyText;
import static dev.deployer.audit.YamlDoc.sequence;
import static dev.deployer.audit.YamlDoc.text;

import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** The token's permissions: missing (the repository's default), {@code write-all}, workflow-wide writes, unused {@code contents: write}. */
final class PermissionChecks {

    private static final Pattern CONTENTS_WRITE_USE = Pattern.compile(
            "\\bgit\\s+push\\b|\\bgit\\s+tag\\b|\\bgh\\s+release\\b|\\bgh\\s+pr\\s+(?:create|merge)\\b|release:perform"
                    + "|\\bmvnw?\\b[^\\n]*\\srelease:");
    private static final Pattern CONTENTS_WRITE_ACTION = Pattern.compile(
            "(?i)^[^@]*(?:release|commit|push|tag|pages|changeset|publish|version|pull-request)[^@]*@.*");

    private final Sink sink;

    PermissionChecks(Sink sink) {
        this.sink = sink;
    }

    void permissions(Node root, List<NodeTuple> jobs) {
        List<NodeTuple> unscoped = jobs.stream().filter(j -> get(j.getValueNode(), "permissions") == null).toList();
        NodeTuple top = entry(root, "permissions");
        if (top == null) {
            if (unscoped.size() > 1) {
                sink.add(root, Rule.PERMISSIONS_MISSING, null,
                        "no 'permissions' at the top of the workflow: " + unscoped.size()
                                + " jobs get the repository's default token permissions");
            }
            for (NodeTuple job : unscoped) {
                sink.add(job.getKeyNode(), Rule.PERMISSIONS_MISSING, null,
                        "job '" + keyText(job) + "' has no 'permissions' and the workflow sets none:"
                                + " it gets the repository's default token permissions");
            }
        } else if (!unscoped.isEmpty()) {
            excessive(top, "the workflow (applies to every job)", true);
        }
        for (NodeTuple job : jobs) {
            NodeTuple perms = entry(job.getValueNode(), "permissions");
            if (perms != null) {
                excessive(perms, "job '" + keyText(job) + "'", false);
                contentsWrite(job, perms.getValueNode());
            }
        }
    }

    private void excessive(NodeTuple perms, String where, boolean workflowLevel) {
        Node value = perms.getValueNode();
        if ("write-all".equals(text(value))) {
            sink.add(value, Rule.PERMISSIONS_EXCESSIVE, null, where + " grants 'write-all': every scope can be written");
            return;
        }
        if (!workflowLevel) {
            return;
        }
        for (NodeTuple scope : entries(value)) {
            if ("write".equals(text(scope.getValueNode()))) {
                sink.add(scope.getKeyNode(), Rule.PERMISSIONS_EXCESSIVE, null,
                        where + " grants '" + keyText(scope) + ": write'; grant it only to the job that needs it");
            }
        }
    }

    private void contentsWrite(NodeTuple job, Node perms) {
        NodeTuple contents = entry(perms, "contents");
        if (contents == null || !"write".equals(text(contents.getValueNode()))) {
            return;
        }
        for (Node step : sequence(get(job.getValueNode(), "steps"))) {
            String run = text(get(step, "run"));
            String uses = text(get(step, "uses"));
            if ((run != null && CONTENTS_WRITE_USE.matcher(run).find())
                    || (uses != null && CONTENTS_WRITE_ACTION.matcher(uses).matches())) {
                return;
            }
        }
        if (get(job.getValueNode(), "uses") != null) {
            return; // a reusable workflow may need it; it is audited where it is defined
        }
        sink.add(contents.getKeyNode(), Rule.PERMISSIONS_EXCESSIVE, Severity.MEDIUM,
                "job '" + keyText(job) + "' grants 'contents: write' but no step pushes, tags or releases");
    }
}
