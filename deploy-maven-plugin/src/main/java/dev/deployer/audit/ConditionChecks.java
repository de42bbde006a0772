package dev.deployer.audit;

import static dev.deployer.audit.YamlDoc.text;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * {@code if:} conditions that do not guard: always true (an expression plus any other text, a block scalar's line
 * break included, is a non-empty string) or spoofable (a branch, tag or actor checked by substring).
 */
final class ConditionChecks {

    private static final Pattern FENCE = Pattern.compile("\\$\\{\\{(.*?)}}", Pattern.DOTALL);
    /** Values that name a branch or tag and that whoever pushes or opens a pull request chooses. */
    private static final Set<String> REFS = Set.of("github.ref", "github.ref_name", "github.head_ref", "github.base_ref",
            "env.github_ref", "env.github_ref_name", "env.github_head_ref", "env.github_base_ref", "github.event.ref",
            "github.event.pull_request.head.ref", "github.event.pull_request.base.ref", "github.event.workflow_run.head_branch");
    /** Values that name a user, chosen by whoever signs up. */
    private static final Set<String> ACTORS = Set.of("github.actor", "github.triggering_actor", "env.github_actor",
            "github.event.sender.login", "github.event.pull_request.user.login");
    /** Full refs ({@code github.ref} and the like), as opposed to short names. */
    private static final Set<String> FULL_REFS = Set.of("github.ref", "env.github_ref", "github.event.ref");

    /** Bots' numeric ids (dependabot, renovate, github-actions). */
    private static final Set<String> BOT_IDS = Set.of("49699333", "29139614", "41898282");
    private static final Set<String> PRIVILEGED = Set.of("pull_request_target", "workflow_run", "issue_comment");

    private final Sink sink;
    private final Severity botSeverity;

    /** @param triggers the workflow's triggers (empty for an action): a bot check only matters for pull requests */
    ConditionChecks(Sink sink, Set<String> triggers) {
        this.sink = sink;
        this.botSeverity = triggers.stream().anyMatch(PRIVILEGED::contains) ? Severity.HIGH
                : triggers.contains("pull_request") || triggers.contains("pull_request_review") ? Severity.MEDIUM : null;
    }

    /**
     * @param node      the value of an {@code if:}
     * @param sensitive why the job is worth attacking (deploys, holds deploy secrets), or null: high there, medium
     *                  elsewhere
     */
    void condition(Node node, String sensitive) {
        String value = text(node);
        if (value == null) {
            return;
        }
        Severity severity = sensitive == null ? Severity.MEDIUM : Severity.HIGH;
        String where = sensitive == null ? "" : "; this job " + sensitive;
        Matcher fence = FENCE.matcher(value);
        boolean fenced = fence.find();
        if (fenced && !(fence.start() == 0 && fence.end() == value.length())) {
            sink.add(node, Rule.UNSOUND_CONDITION, severity, "the condition \"" + value.replace("\n", "\\n")
                    + "\" is an expression plus other text" + (YamlDoc.block(node) ? " (the block scalar's line break)" : "")
                    + ": GitHub makes it a non-empty string, which is always true" + where);
        }
        if (fenced) {
            for (YamlDoc.Expression e : sink.doc().expressions(node)) {
                substrings(e.text(), severity, where, e::at);
            }
        } else {
            String source = sink.doc().source(node);
            int base = Math.max(0, source.indexOf(value.strip()));
            substrings(value, severity, where, i -> sink.doc().position(node, source, base + i));
        }
    }

    private void substrings(String expression, Severity severity, String where, java.util.function.IntFunction<int[]> at) {
        Expr.Node root = Expr.parse(expression);
        if (root == null) {
            return;
        }
        for (Expr.Node node : Expr.all(root)) {
            if (node instanceof Expr.Bin bin && bin.op().equals("==") && botSeverity != null) {
                bot(expression, bin, at);
            }
            if (!(node instanceof Expr.Call call) || call.args().size() != 2
                    || !Set.of("contains", "startswith", "endswith").contains(call.name())) {
                continue;
            }
            String text = expression.substring(call.start(), call.end());
            Expr.Node haystack = call.args().get(0);
            Expr.Node needle = call.args().get(1);
            String subject = path(haystack);
            if (subject != null && REFS.contains(subject) && needle instanceof Expr.Lit lit && lit.string()) {
                if (!call.name().equals("startswith") || !safePrefix(subject, lit.value())) {
                    sink.add(at.apply(call.start()), Rule.SUBSTRING_REF_CHECK, severity, "'" + text + "' is true for any"
                            + " branch or tag " + (call.name().equals("startswith") ? "that starts with" : call.name()
                            .equals("endswith") ? "that ends with" : "that contains") + " '" + lit.value() + "' (e.g. '"
                            + example(call.name(), lit.value()) + "'), which anyone who can push or open a pull request"
                            + " can create" + where);
                }
            } else if (call.name().equals("contains") && haystack instanceof Expr.Lit list && list.string()
                    && !(needle instanceof Expr.Lit)) {
                String value = path(needle);
                boolean ref = value != null && REFS.contains(value);
                boolean actor = value != null && ACTORS.contains(value);
                sink.add(at.apply(call.start()), Rule.SUBSTRING_REF_CHECK, ref || actor ? severity : Severity.LOW,
                        "'" + text + "' is a substring check, not a list: any " + (ref ? "branch or tag" : actor ? "user"
                                : "value") + " named like a part of '" + list.value() + "' passes" + (ref || actor ? where : ""));
            }
        }
    }

    private void bot(String expression, Expr.Bin bin, java.util.function.IntFunction<int[]> at) {
        for (Expr.Node[] sides : List.of(new Expr.Node[] {bin.left(), bin.right()}, new Expr.Node[] {bin.right(), bin.left()})) {
            String actor = path(sides[0]);
            if (actor == null || !(sides[1] instanceof Expr.Lit lit)) {
                continue;
            }
            boolean bot = (actor.equals("github.actor") || actor.equals("github.triggering_actor"))
                    && lit.value().toLowerCase(java.util.Locale.ROOT).endsWith("[bot]");
            if (bot || (actor.equals("github.actor_id") && BOT_IDS.contains(lit.value()))) {
                sink.add(at.apply(bin.start()), Rule.BOT_ACTOR_CHECK, botSeverity, "'"
                        + expression.substring(bin.start(), bin.end()) + "' trusts " + actor + ", the last actor: anyone"
                        + " can open a pull request whose last action the bot took (e.g. a Dependabot update of their fork)");
                return;
            }
        }
    }

    private static String example(String function, String literal) {
        return switch (function) {
            case "startswith" -> literal + "-evil";
            case "endswith" -> "evil" + literal;
            default -> "evil-" + literal + "-x";
        };
    }

    /** A prefix that ends a path segment ({@code refs/heads/release/}), or a tag prefix of a full ref. */
    private static boolean safePrefix(String subject, String prefix) {
        if (FULL_REFS.contains(subject)) {
            return prefix.startsWith("refs/tags/") || (prefix.startsWith("refs/") && prefix.endsWith("/"));
        }
        return prefix.endsWith("/");
    }

    private static String path(Expr.Node node) {
        return node instanceof Expr.Ref r ? r.path() : null;
    }
}
