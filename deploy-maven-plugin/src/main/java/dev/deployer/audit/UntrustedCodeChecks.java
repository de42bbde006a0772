package dev.deployer.audit;

import static dev.deployer.audit.YamlDoc.entries;
import static dev.deployer.audit.YamlDoc.get;
import static dev.deployer.audit.YamlDoc.keyText;
import static dev.deployer.audit.YamlDoc.sequence;
import static dev.deployer.audit.YamlDoc.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Code nobody has reviewed running where secrets are: a privileged run (pull_request_target, workflow_run,
 * issue_comment) that checks out the pull request's head, and a signing key given to a job that runs such code.
 * Kept apart from {@code dangerous-trigger}, so that accepting a trigger does not hide a checkout.
 */
final class UntrustedCodeChecks {

    /** Triggers whose runs have the base repository's secrets while the event comes from outside. */
    private static final Set<String> PRIVILEGED = Set.of("pull_request_target", "workflow_run", "issue_comment");
    /** Context values that point at the pull request's (or the triggering run's) code. */
    private static final Pattern HEAD = Pattern.compile(
            "github\\.head_ref|github\\.event\\.(?:pull_request\\.head\\.(?:sha|ref|repo\\.full_name)"
                    + "|pull_request\\.head|workflow_run"
                    + "|workflow_run\\.(?:head_sha|head_branch|head_repository\\.full_name|head_commit\\.id)"
                    + "|workflow_run\\.pull_requests\\.\\*\\.head\\.(?:sha|ref)|(?:issue|pull_request)\\.number|number)");
    private static final Pattern GIT_FETCH = Pattern.compile("\\bgit\\s+(?:fetch|checkout|switch|pull|worktree\\s+add)\\b");
    private static final Pattern GH_CHECKOUT = Pattern.compile("\\bgh\\s+pr\\s+checkout\\b");
    /** Secrets that sign what the project releases. */
    static final Pattern SIGNING_SECRET = Pattern.compile(
            "secrets\\.(\\w*SIGNING\\w*|COSIGN_\\w+|\\w*GPG\\w*KEY\\w*|\\w*GPG_PASSPHRASE\\w*)", Pattern.CASE_INSENSITIVE);
    /** A job condition that keeps it out of pull request runs. */
    private static final Pattern PUSH_ONLY = Pattern.compile(
            "github\\.event_name\\s*==\\s*'(?!pull_request)\\w+'|github\\.ref\\s*==\\s*'refs/(?:heads|tags)/"
                    + "|startsWith\\(\\s*github\\.ref\\s*,\\s*'refs/tags/", Pattern.CASE_INSENSITIVE);

    private final Sink sink;
    private final Set<String> triggers;
    private final Node workflowEnv;

    UntrustedCodeChecks(Sink sink, Set<String> triggers, Node workflowEnv) {
        this.sink = sink;
        this.triggers = triggers;
        this.workflowEnv = workflowEnv;
    }

    void job(NodeTuple entry) {
        Node job = entry.getValueNode();
        String privileged = triggers.stream().filter(PRIVILEGED::contains).sorted().findFirst().orElse(null);
        boolean untrusted = false;
        for (Node step : sequence(get(job, "steps"))) {
            if (privileged != null && checksOutHead(step, privileged)) {
                untrusted = true;
            }
        }
        String why = untrusted ? "checks out the pull request's code in a run triggered by '" + privileged + "'" : null;
        if (why == null && triggers.contains("pull_request") && runsCheckout(job) && !pushOnly(job)) {
            why = "runs on 'pull_request' and checks out the pull request's code";
        }
        if (why != null) {
            signingKeys(entry, why);
        }
    }

    private boolean checksOutHead(Node step, String trigger) {
        if (Actions.is(text(get(step, "uses")), "actions/checkout")) {
            for (String key : List.of("ref", "repository")) {
                Node value = get(get(step, "with"), key);
                String head = head(value);
                if (head != null) {
                    sink.add(value, Rule.UNTRUSTED_CHECKOUT, null, "actions/checkout of " + head + " in a run triggered by '"
                            + trigger + "': the pull request's build scripts, tests and actions run with the base repository's"
                            + " secrets and a write token");
                    return true;
                }
            }
        }
        Node run = get(step, "run");
        String script = text(run);
        if (script == null) {
            return false;
        }
        Set<String> headVars = new java.util.HashSet<>();
        for (Node env : java.util.Arrays.asList(get(step, "env"), workflowEnv)) {
            for (NodeTuple var : entries(env)) {
                if (head(var.getValueNode()) != null) {
                    headVars.add(keyText(var));
                }
            }
        }
        for (Shell.Line line : Shell.lines(script)) {
            String l = line.text();
            boolean fetchesHead = GIT_FETCH.matcher(l).find() && (l.contains("refs/pull/") || headExpression(l)
                    || Shell.used(l, headVars) != null);
            if (GH_CHECKOUT.matcher(l).find() || fetchesHead) {
                sink.add(run, Rule.UNTRUSTED_CHECKOUT, null, "'" + l.strip() + "' fetches the pull request's code in a run"
                        + " triggered by '" + trigger + "', which has the base repository's secrets and a write token");
                return true;
            }
        }
        return false;
    }

    /** The head context a checkout input names ({@code ${{ github.event.pull_request.head.sha }}}, refs/pull/…), or null. */
    private String head(Node value) {
        String text = text(value);
        if (text == null) {
            return null;
        }
        if (text.contains("refs/pull/")) {
            return "'" + text + "'";
        }
        for (YamlDoc.Expression e : sink.doc().expressions(value)) {
            Expr.Node expr = Expr.parse(e.text());
            if (expr != null && Expr.valueRefs(expr).stream().anyMatch(r -> HEAD.matcher(r.path()).matches())) {
                return "${{ " + e.text() + " }}";
            }
        }
        return null;
    }

    private static boolean headExpression(String line) {
        java.util.regex.Matcher m = Pattern.compile("\\$\\{\\{(.*?)}}").matcher(line);
        while (m.find()) {
            Expr.Node expr = Expr.parse(m.group(1).trim());
            if (expr != null && Expr.valueRefs(expr).stream().anyMatch(r -> HEAD.matcher(r.path()).matches())) {
                return true;
            }
        }
        return false;
    }

    private static boolean runsCheckout(Node job) {
        for (Node step : sequence(get(job, "steps"))) {
            String uses = text(get(step, "uses"));
            if (Actions.is(uses, "actions/checkout") || (uses != null && uses.startsWith("./"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean pushOnly(Node job) {
        String condition = text(get(job, "if"));
        return condition != null && PUSH_ONLY.matcher(condition).find();
    }

    /** Every reference to a signing secret the job can read (its own, and the workflow's env). */
    private void signingKeys(NodeTuple entry, String why) {
        List<ScalarNode> scalars = new ArrayList<>(YamlDoc.scalars(workflowEnv));
        scalars.addAll(YamlDoc.scalars(entry.getValueNode()));
        for (ScalarNode scalar : scalars) {
            for (YamlDoc.Expression e : sink.doc().expressions(scalar)) {
                java.util.regex.Matcher m = SIGNING_SECRET.matcher(e.text());
                if (m.find()) {
                    sink.add(e.at(m.start()), Rule.SIGNING_KEY_EXPOSED, null, "secrets." + m.group(1) + " is available to job '"
                            + keyText(entry) + "', which " + why + ": that code can read the key and sign anything");
                }
            }
        }
    }
}
