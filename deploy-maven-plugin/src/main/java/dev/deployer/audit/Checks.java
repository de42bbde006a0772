package dev.deployer.audit;

import static dev.deployer.audit.YamlDoc.entries;
import static dev.deployer.audit.YamlDoc.entry;
import static dev.deployer.audit.YamlDoc.get;
import static dev.deployer.audit.YamlDoc.keyText;
import static dev.deployer.audit.YamlDoc.mapping;
import static dev.deployer.audit.YamlDoc.sequence;
import static dev.deployer.audit.YamlDoc.text;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** The rules, applied to one composed workflow or composite action. Collects findings; never throws. */
final class Checks {

    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");
    private static final Set<String> DANGEROUS_TRIGGERS = Set.of("pull_request_target", "workflow_run");
    private static final Set<String> SAFE_INPUT_TYPES = Set.of("boolean", "number", "choice", "environment");

    /** Commands that deploy a service (Maven's deploy phase only counts with a qa/production profile). */
    private static final Pattern DEPLOY_COMMAND = Pattern.compile(
            "deployer:(?:deploy|rollback)\\b|\\bquantum-cli\\b|\\bdocker\\s+stack\\s+deploy\\b"
                    + "|\\bmvnw?\\b[^\\n]*\\sdeploy\\b[^\\n]*-P\\s*(?:[\\w-]+,)*(?:qa|production)\\b"
                    + "|\\bmvnw?\\b[^\\n]*-P\\s*(?:[\\w-]+,)*(?:qa|production)\\b[^\\n]*\\sdeploy\\b"
                    // the usual deploys of other tools (not kubectl apply or docker compose up: CI runs those too)
                    + "|\\bhelm\\s+upgrade\\b|\\bflyctl\\s+deploy\\b|\\bfly\\s+deploy\\b|\\bgcloud\\s+run\\s+deploy\\b"
                    + "|\\baws\\s+ecs\\s+update-service\\b|\\bkubectl\\s+(?:set\\s+image|rollout\\s+restart)\\b"
                    + "|\\bssh\\b[^\\n]*\\bdocker(?:-compose|\\s+compose|\\s+stack|\\s+service)\\b"
                    + "|\\bappleboy/ssh-action@");
    /** Secrets that only a deploy needs, whatever the service: Quantum's, and names that say so. */
    private static final String DEPLOY_SECRET_NAMES = "QUANTUM_\\w+|\\w*DEPLOY\\w*|\\w*KUBE\\w*|PROD(?:UCTION)?_\\w+"
            + "|\\w+_PROD(?:UCTION)?";
    private final YamlDoc doc;
    private final Pattern deploySecret;
    private final Sink sink;
    private final ConditionChecks conditions;
    private final SecretFlowChecks secretFlows;
    private final Set<String> localActions = new LinkedHashSet<>();

    /**
     * @param doc           the composed file
     * @param deploySecrets names of the service's deploy secrets (the templates' {@code <secrets>}), besides the
     *                      ones every deploy has ({@code QUANTUM_*}, {@code *DEPLOY*}, {@code *KUBE*})
     */
    Checks(YamlDoc doc, Set<String> deploySecrets) {
        this.doc = doc;
        this.sink = new Sink(doc);
        this.conditions = new ConditionChecks(sink, doc.root() == null || get(doc.root(), "on") == null ? Set.of()
                : triggers(get(doc.root(), "on")));
        this.secretFlows = new SecretFlowChecks(sink);
        StringBuilder names = new StringBuilder(DEPLOY_SECRET_NAMES);
        deploySecrets.stream().filter(n -> n.matches("[A-Za-z_][A-Za-z0-9_]*")).sorted()
                .forEach(n -> names.append('|').append(n));
        // a signing key is the build's, not the deploy's (signing-key-exposed watches it)
        this.deploySecret = Pattern.compile("secrets\\.(?!\\w*SIGNING)(?:" + names + ")\\b", Pattern.CASE_INSENSITIVE);
    }

    List<Finding> findings() {
        return sink.findings();
    }

    /** {@code ./path} targets of {@code uses:}, for the caller to audit as local actions. */
    Set<String> localActions() {
        return localActions;
    }

    // ---------------------------------------------------------------- workflows

    void workflow() {
        Node root = doc.root();
        if (mapping(root) == null) {
            return;
        }
        Node on = get(root, "on");
        Set<String> triggers = triggers(on);
        dangerousTriggers(root, triggers);
        Taint.Scope inputs = new Taint.Scope(freeInputs(on), false, Set.of());
        List<NodeTuple> jobs = entries(get(root, "jobs"));
        boolean anyDeploys = false;
        for (NodeTuple job : jobs) {
            anyDeploys |= deploys(job.getValueNode());
        }
        new PermissionChecks(sink).permissions(root, jobs);
        concurrency(get(root, "concurrency"), anyDeploys, "the workflow");
        boolean releaseWorkflow = isReleaseTrigger(on, triggers);
        Map<String, String> environments = new LinkedHashMap<>();
        jobs.forEach(j -> environments.put(keyText(j), EnvironmentChecks.name(j.getValueNode())));
        EnvironmentChecks environment = new EnvironmentChecks(sink, triggers, dispatchInputTypes(on), environments);
        UntrustedCodeChecks untrusted = new UntrustedCodeChecks(sink, triggers, get(root, "env"));
        for (NodeTuple job : jobs) {
            job(job, inputs, releaseWorkflow, environment);
            untrusted.job(job);
        }
        secretFlows.expressions(root);
    }

    private void dangerousTriggers(Node root, Set<String> triggers) {
        NodeTuple on = entry(root, "on");
        for (String trigger : triggers) {
            if (DANGEROUS_TRIGGERS.contains(trigger)) {
                Node at = triggerNode(on.getValueNode(), trigger);
                add(at == null ? on.getKeyNode() : at, Rule.DANGEROUS_TRIGGER, null,
                        "'" + trigger + "' runs with the base repository's secrets and a write token on events"
                                + " that outside contributors cause");
            }
        }
    }

    private static Node triggerNode(Node on, String trigger) {
        for (NodeTuple t : entries(on)) {
            if (trigger.equals(keyText(t))) {
                return t.getKeyNode();
            }
        }
        for (Node n : sequence(on)) {
            if (trigger.equals(text(n))) {
                return n;
            }
        }
        return trigger.equals(text(on)) ? on : null;
    }

    private static Set<String> triggers(Node on) {
        Set<String> names = new LinkedHashSet<>();
        if (text(on) != null) {
            names.add(text(on));
        }
        sequence(on).forEach(n -> names.add(text(n)));
        entries(on).forEach(t -> names.add(keyText(t)));
        names.remove(null);
        return names;
    }

    /**
     * Inputs that can carry arbitrary text: declared as {@code string} or without a type. Booleans, numbers and
     * choices cannot, and an input that is not declared expands to nothing.
     */
    private static Set<String> freeInputs(Node on) {
        Set<String> free = new HashSet<>();
        for (String trigger : List.of("workflow_dispatch", "workflow_call")) {
            for (NodeTuple input : entries(get(get(on, trigger), "inputs"))) {
                String type = text(get(input.getValueNode(), "type"));
                if (type == null || !SAFE_INPUT_TYPES.contains(type)) {
                    free.add(keyText(input).toLowerCase(Locale.ROOT));
                }
            }
        }
        return free;
    }

    /** A workflow that only runs for releases (release events, tag pushes): every job is on the release path. */
    private static boolean isReleaseTrigger(Node on, Set<String> triggers) {
        if (triggers.isEmpty()) {
            return false;
        }
        for (String trigger : triggers) {
            if (trigger.equals("release")) {
                continue;
            }
            Node push = get(on, "push");
            if (trigger.equals("push") && push != null && get(push, "tags") != null && get(push, "branches") == null) {
                continue;
            }
            if (trigger.equals("workflow_dispatch")) {
                continue;
            }
            return false;
        }
        return !(triggers.size() == 1 && triggers.contains("workflow_dispatch"));
    }

    private void job(NodeTuple entry, Taint.Scope workflowScope, boolean releaseWorkflow, EnvironmentChecks environment) {
        String name = keyText(entry);
        Node job = entry.getValueNode();
        NodeTuple uses = entry(job, "uses");
        if (uses != null) {
            usesRef(uses.getValueNode(), true);
            Node secrets = get(job, "secrets");
            if ("inherit".equals(text(secrets))) {
                add(secrets, Rule.SECRETS_INHERIT, null,
                        "job '" + name + "' passes every repository secret to " + text(uses.getValueNode()));
            }
        }
        images(job);
        boolean deploys = deploys(job);
        String sensitive = sensitive(job, deploys);
        Taint.Scope scope = new Taint.Scope(workflowScope.freeInputs(), dynamicMatrix(job), dynamicMatrixKeys(job), sensitive);
        List<Node> steps = sequence(get(job, "steps"));
        conditions.condition(get(job, "if"), sensitive);
        steps(steps, scope);
        secretFlows.steps(steps, java.util.Arrays.asList(get(doc.root(), "env"), get(job, "env")), scope);
        if (uses == null) {
            environment.job(entry, deploys, jobText(job)); // a called workflow's jobs are checked where they are defined
        } else {
            environment.call(entry);
        }
        concurrency(get(job, "concurrency"), deploys || get(job, "environment") != null, "job '" + name + "'");
        if (releaseWorkflow || deploys || ReleasePathChecks.publishes(job, runText(job))) {
            new ReleasePathChecks(sink).caches(steps, name);
        }
    }

    private void images(Node job) {
        Node container = get(job, "container");
        image(text(container) != null ? container : get(container, "image"));
        for (NodeTuple service : entries(get(job, "services"))) {
            image(get(service.getValueNode(), "image"));
        }
    }

    private void image(Node node) {
        String image = text(node);
        if (image == null || image.isBlank() || image.contains("${{") || image.contains("@sha256:")) {
            return;
        }
        String name = image.substring(image.lastIndexOf('/') + 1);
        if (!name.contains(":") || name.endsWith(":latest")) {
            add(node, Rule.UNPINNED_IMAGE, null, "image '" + image + "' has no version: whatever is pushed next runs here");
        }
    }

    private static boolean dynamicMatrix(Node job) {
        Node matrix = get(get(job, "strategy"), "matrix");
        String value = text(matrix);
        return value != null && value.contains("${{");
    }

    private static Set<String> dynamicMatrixKeys(Node job) {
        Set<String> keys = new HashSet<>();
        for (NodeTuple t : entries(get(get(job, "strategy"), "matrix"))) {
            String value = text(t.getValueNode());
            if (value != null && value.contains("${{")) {
                keys.add(keyText(t).toLowerCase(Locale.ROOT));
            }
        }
        return keys;
    }

    // ---------------------------------------------------------------- steps (workflows and composite actions)

    private void steps(List<Node> steps, Taint.Scope scope) {
        for (int i = 0; i < steps.size(); i++) {
            Node step = steps.get(i);
            NodeTuple uses = entry(step, "uses");
            String action = uses == null ? null : text(uses.getValueNode());
            if (action != null) {
                usesRef(uses.getValueNode(), false);
                if (Actions.is(action, "actions/checkout")) {
                    checkout(step, steps.subList(i + 1, steps.size()));
                }
                if (Actions.is(action, "actions/github-script")) {
                    injection(get(get(step, "with"), "script"), scope, "the github-script script");
                }
                if (Actions.is(action, "appleboy/ssh-action")) {
                    injection(get(get(step, "with"), "script"), scope, "the script ssh-action runs on the server");
                }
            }
            injection(get(step, "run"), scope, "the run script");
            conditions.condition(get(step, "if"), scope.sensitive());
        }
    }

    private void usesRef(Node node, boolean workflow) {
        String uses = text(node);
        if (uses == null || uses.isBlank() || uses.contains("${{")) {
            return;
        }
        if (uses.startsWith("./")) {
            if (!workflow) {
                localActions.add(uses.substring(2));
            }
            return;
        }
        if (uses.startsWith("docker://")) {
            if (!uses.contains("@sha256:")) {
                add(node, Rule.UNPINNED_IMAGE, null,
                        "'" + uses + "' runs whatever image the tag points to when the job starts");
            }
            return;
        }
        int at = uses.lastIndexOf('@');
        String ref = at < 0 ? "" : uses.substring(at + 1);
        if (!FULL_SHA.matcher(ref).matches()) {
            add(node, Rule.UNPINNED_ACTION, null, "'" + uses + "' is "
                    + (ref.isEmpty() ? "not pinned at all" : "pinned to '" + ref + "', which can be moved to other code"));
        }
    }

    private void checkout(Node step, List<Node> later) {
        String persist = text(get(get(step, "with"), "persist-credentials"));
        if (persist != null && (persist.equals("false") || persist.contains("${{"))) {
            return;
        }
        boolean uploads = later.stream().map(s -> text(get(s, "uses")))
                .anyMatch(u -> Actions.is(u, "actions/upload-artifact"));
        add(step, Rule.CHECKOUT_PERSISTS_CREDENTIALS, uploads ? Severity.HIGH : null, uploads
                ? "checkout keeps the token in .git/config and a later step uploads files as an artifact"
                : "checkout keeps the token in .git/config, readable by every later step");
    }

    private void injection(Node script, Taint.Scope scope, String where) {
        for (YamlDoc.Expression e : doc.expressions(script)) {
            for (Taint.Tainted t : Taint.analyse(e.text(), scope)) {
                int[] at = e.at(t.index());
                sink.add(at, Rule.TEMPLATE_INJECTION, t.severity(),
                        "${{ " + t.context() + " }} is expanded into " + where + " before it runs: " + t.why());
            }
        }
    }

    // ---------------------------------------------------------------- secrets, deploys, caches

    /** Why a job is worth attacking, for severities: it deploys, holds deploy secrets, signs, or pushes packages. */
    private String sensitive(Node job, boolean deploys) {
        if (deploys) {
            return "deploys or holds deploy secrets";
        }
        if (UntrustedCodeChecks.SIGNING_SECRET.matcher(jobText(job)).find()) {
            return "holds a signing key";
        }
        Node perms = get(job, "permissions") != null ? get(job, "permissions") : get(doc.root(), "permissions");
        if ("write-all".equals(text(perms)) || "write".equals(text(get(perms, "packages")))) {
            return "can push packages (packages: write)";
        }
        return null;
    }

    /** {@code workflow_dispatch} inputs (lower case) and their declared type ("" when none). */
    private static Map<String, String> dispatchInputTypes(Node on) {
        Map<String, String> types = new LinkedHashMap<>();
        for (NodeTuple input : entries(get(get(on, "workflow_dispatch"), "inputs"))) {
            String type = text(get(input.getValueNode(), "type"));
            types.put(keyText(input).toLowerCase(Locale.ROOT), type == null ? "" : type);
        }
        return types;
    }

    private boolean deploys(Node job) {
        String text = jobText(job);
        return DEPLOY_COMMAND.matcher(text).find() || deploySecret.matcher(text).find();
    }

    /** Every run script of a job, with backslash continuations joined so one command is one line. */
    private static String runText(Node job) {
        StringBuilder all = new StringBuilder();
        for (Node step : sequence(get(job, "steps"))) {
            String run = text(get(step, "run"));
            if (run != null) {
                all.append(run.replaceAll("\\\\\\r?\\n", " ")).append('\n');
            }
        }
        return all.toString();
    }

    /** A job's scripts plus every scalar of its env and with blocks (where deploy secrets show up). */
    private static String jobText(Node job) {
        StringBuilder all = new StringBuilder(runText(job));
        for (ScalarNode s : YamlDoc.scalars(job)) {
            all.append(s.getValue()).append('\n');
        }
        return all.toString();
    }

    private void concurrency(Node concurrency, boolean deploys, String where) {
        Node cancel = get(concurrency, "cancel-in-progress");
        if (deploys && "true".equals(text(cancel))) {
            add(cancel, Rule.DEPLOY_CONCURRENCY_CANCELS, null,
                    where + " deploys, and 'cancel-in-progress: true' can stop a deployment halfway");
        }
    }

    // ---------------------------------------------------------------- composite actions

    void action() {
        Node runs = get(doc.root(), "runs");
        if (!"composite".equals(text(get(runs, "using")))) {
            return;
        }
        Set<String> inputs = new HashSet<>();
        entries(get(doc.root(), "inputs")).forEach(t -> inputs.add(keyText(t).toLowerCase(Locale.ROOT)));
        Taint.Scope scope = new Taint.Scope(inputs, false, Set.of());
        steps(sequence(get(runs, "steps")), scope);
        secretFlows.steps(sequence(get(runs, "steps")), List.of(), scope);
        secretFlows.expressions(doc.root());
    }

    // ---------------------------------------------------------------- output

    private void add(Node node, Rule rule, Severity severity, String message) {
        sink.add(node, rule, severity, message);
    }
}
