package dev.deployer.audit;

import static dev.deployer.audit.YamlDoc.get;
import static dev.deployer.audit.YamlDoc.keyText;
import static dev.deployer.audit.YamlDoc.text;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Environments that protect nothing: a deploy without one, an environment whose name the event or the person
 * starting the run chooses, one written so that its name is not the protected one, one given only as a URL, and a
 * production deploy in another environment.
 */
final class EnvironmentChecks {

    /** A deploy that targets production: the profile, the property, or production secrets. */
    static final Pattern PRODUCTION = Pattern.compile(
            "-P\\s*(?:[\\w-]+,)*production\\b|deployer\\.environment=production"
                    + "|secrets\\.(?:PROD(?:UCTION)?_\\w+|\\w+_PROD(?:UCTION)?)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern PRODUCTION_NAME = Pattern.compile("(?i)prod(?:uction)?");
    /**
     * Context values the event (its author) chooses, so an environment named after one is chosen by them; a
     * deployment event's environment is chosen by whoever may create deployments (write access), so it is not.
     */
    private static final Pattern EVENT_CHOSEN = Pattern.compile(
            "github\\.(?:event(?!\\.deployment\\.environment$)(?:\\..*)?|head_ref|base_ref|ref|ref_name|actor|triggering_actor)"
                    + "|env\\.github_\\w+");
    private static final Set<String> TYPED = Set.of("environment", "choice", "boolean", "number");

    private final Sink sink;
    private final Set<String> triggers;
    private final Map<String, String> dispatchInputTypes;
    private final Map<String, String> environments;

    /**
     * @param triggers           the workflow's triggers
     * @param dispatchInputTypes {@code workflow_dispatch} inputs (lower case) and their declared type ("" if none)
     * @param environments       every job's environment name as written, by job, for messages about the wrong job
     */
    EnvironmentChecks(Sink sink, Set<String> triggers, Map<String, String> dispatchInputTypes, Map<String, String> environments) {
        this.sink = sink;
        this.triggers = triggers;
        this.dispatchInputTypes = dispatchInputTypes;
        this.environments = environments;
    }

    /** The environment name a job declares as written (scalar or {@code name:}), or null. */
    static String name(Node job) {
        Node env = get(job, "environment");
        return text(env) != null ? text(env) : text(get(env, "name"));
    }

    /**
     * @param entry    the job
     * @param deploys  whether it deploys or reads deploy secrets
     * @param jobText  its scripts and scalars, where production shows
     */
    void job(NodeTuple entry, boolean deploys, String jobText) {
        Node job = entry.getValueNode();
        Node env = get(job, "environment");
        Node nameNode = text(env) != null ? env : get(env, "name");
        String jobName = keyText(entry);
        if (env != null && nameNode == null) {
            sink.add(env, Rule.ENVIRONMENT_UNPROTECTED, deploys ? Severity.HIGH : Severity.MEDIUM, "job '" + jobName
                    + "' gives its environment only a 'url', no 'name': it runs in no environment, so no reviewer or"
                    + " branch rule applies");
            return;
        }
        String name = text(nameNode);
        named(nameNode, jobName);
        if (!deploys) {
            return;
        }
        if (name == null || name.isBlank()) {
            sink.add(entry.getKeyNode(), Rule.DEPLOY_WITHOUT_ENVIRONMENT, null, "job '" + jobName
                    + "' deploys or reads deploy secrets but names no 'environment': nobody has to approve it and"
                    + " any branch can run it" + elsewhere(jobName));
        } else if (PRODUCTION.matcher(jobText).find() && !name.contains("${{")
                && !PRODUCTION_NAME.matcher(name.strip()).matches()) {
            sink.add(nameNode, Rule.DEPLOY_WITHOUT_ENVIRONMENT, null, "job '" + jobName
                    + "' deploys to production but runs in environment '" + name.strip() + "', not 'production'");
        }
    }

    /**
     * A job that calls a reusable workflow: the environment it hands over ({@code with: environment:}) is checked
     * as if the job named it itself, since the called workflow's deploy job runs in it.
     */
    void call(NodeTuple entry) {
        for (NodeTuple input : YamlDoc.entries(get(entry.getValueNode(), "with"))) {
            if (keyText(input) != null && keyText(input).toLowerCase(Locale.ROOT).matches("(?:target-?)?environment|env")) {
                named(input.getValueNode(), keyText(entry));
            }
        }
    }

    private void named(Node nameNode, String jobName) {
        String name = text(nameNode);
        if (name != null && !name.equals(name.strip())) {
            sink.add(nameNode, Rule.ENVIRONMENT_UNPROTECTED, null, "job '" + jobName + "' runs in environment '"
                    + name.replace("\n", "\\n") + "' (a block scalar keeps its line break), not in '" + name.strip()
                    + "' and its protection rules");
        } else if (name != null && name.contains("${{")) {
            expressionName(nameNode, jobName);
        }
    }

    /** ", while environment 'production' is on job 'approve' (which does not deploy)", or "". */
    private String elsewhere(String jobName) {
        String others = environments.entrySet().stream().filter(e -> !e.getKey().equals(jobName) && e.getValue() != null)
                .map(e -> "'" + e.getValue().strip() + "' is on job '" + e.getKey() + "'").collect(Collectors.joining(", "));
        return others.isEmpty() ? "" : "; environment " + others + ": an approval there does not protect this job";
    }

    private void expressionName(Node nameNode, String jobName) {
        for (YamlDoc.Expression e : sink.doc().expressions(nameNode)) {
            Expr.Node expr = Expr.parse(e.text());
            if (expr == null) {
                continue;
            }
            boolean fallback = !Expr.valueLiterals(expr).isEmpty(); // inputs.env || 'qa': a push run gets 'qa'
            for (Expr.Ref ref : Expr.valueRefs(expr)) {
                String path = ref.path().replace("github.event.inputs.", "inputs.");
                String why = controlled(path, fallback);
                if (why != null) {
                    sink.add(e.at(ref.start()), Rule.ENVIRONMENT_UNPROTECTED, null, "job '" + jobName
                            + "' takes its environment's name from ${{ " + e.text().substring(ref.start(), ref.end())
                            + " }}: " + why);
                }
            }
        }
    }

    /** Why an environment named after this context value protects nothing, or null when it is fine. */
    private String controlled(String path, boolean fallback) {
        if (path.startsWith("inputs.")) {
            String other = fallback ? null : triggers.stream()
                    .filter(t -> !t.equals("workflow_call") && !t.equals("workflow_dispatch")).sorted().findFirst().orElse(null);
            if (other != null) {
                return "in a '" + other + "' run there are no inputs, so the job runs in no environment at all";
            }
            String input = path.substring("inputs.".length()).toLowerCase(Locale.ROOT);
            String type = dispatchInputTypes.get(input);
            if (triggers.contains("workflow_dispatch") && type != null && !TYPED.contains(type)) {
                return "whoever starts the workflow can type any name, and a name that does not exist yet creates a new"
                        + " environment without protection";
            }
            return null;
        }
        if (EVENT_CHOSEN.matcher(path).matches()) {
            return "whoever pushes the branch or opens the event chooses the environment, and a name that does not exist"
                    + " yet creates a new one without protection";
        }
        return null;
    }
}
