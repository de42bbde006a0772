package dev.deployer.audit;

import static dev.deployer.audit.YamlDoc.entries;
import static dev.deployer.audit.YamlDoc.get;
import static dev.deployer.audit.YamlDoc.keyText;
import static dev.deployer.audit.YamlDoc.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Values that travel where they should not: secrets out of the step (log, {@code $GITHUB_ENV}, outputs, the job
 * summary, uploaded files), event data into {@code $GITHUB_ENV}, and expressions that hand out more secrets than
 * the step names.
 */
final class SecretFlowChecks {

    private static final Set<String> STEP_FILES = Set.of("GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_PATH");
    private static final Set<String> ENV_FILES = Set.of("GITHUB_ENV", "GITHUB_PATH");
    /** A secret expanded straight into the script. */
    private static final Pattern SECRET_EXPRESSION = Pattern.compile("\\$\\{\\{[^}]*\\bsecrets\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENVSUBST = Pattern.compile("\\benvsubst\\b");

    /** A file a step wrote a secret into: where, and how. */
    private record Written(String file, int[] at, String how) { }

    private final Sink sink;

    SecretFlowChecks(Sink sink) {
        this.sink = sink;
    }

    /** Expressions anywhere in the file that expose all secrets, or decode one so its parts are not masked. */
    void expressions(Node root) {
        for (ScalarNode scalar : YamlDoc.scalars(root)) {
            for (YamlDoc.Expression e : sink.doc().expressions(scalar)) {
                String code = Taint.withoutStrings(e.text()).replaceAll("\\s+", "");
                if (code.toLowerCase(Locale.ROOT).contains("tojson(secrets)") || code.contains("secrets[")) {
                    sink.add(e.line(), e.column(), Rule.SECRETS_TO_JSON, null,
                            "'${{ " + e.text() + " }}' hands every secret of the repository to this step");
                }
                Expr.Node expr = Expr.parse(e.text());
                for (Expr.Node node : expr == null ? List.<Expr.Node>of() : Expr.all(expr)) {
                    if (node instanceof Expr.Call call && call.name().equals("fromjson")
                            && call.args().stream().flatMap(a -> Expr.valueRefs(a).stream()).anyMatch(SecretFlowChecks::secret)) {
                        sink.add(e.line(), e.column(), Rule.SECRETS_UNREDACTED, null, "'${{ " + e.text()
                                + " }}' decodes a secret: GitHub masks the secret's whole text, not the values inside it");
                    }
                }
            }
        }
    }

    /**
     * The steps of one job (or composite action).
     *
     * @param outerEnv the {@code env:} blocks that reach every step (workflow, job)
     * @param scope    what decides whether an expression is attacker-controlled
     */
    void steps(List<Node> steps, List<Node> outerEnv, Taint.Scope scope) {
        List<Written> written = new ArrayList<>();
        for (Node step : steps) {
            List<Node> envs = new ArrayList<>(outerEnv);
            envs.add(get(step, "env"));
            Node run = get(step, "run");
            if (text(run) != null) {
                script(run, envs, scope, written);
            }
            uploads(step, written);
        }
    }

    private void script(Node run, List<Node> envs, Taint.Scope scope, List<Written> written) {
        Map<String, String> secretVars = new LinkedHashMap<>();
        Map<String, String> taintedVars = new LinkedHashMap<>();
        for (Node env : envs) { // workflow, job, step: a later definition replaces an earlier one
            for (NodeTuple var : entries(env)) {
                secretVars.remove(keyText(var));
                taintedVars.remove(keyText(var));
                for (YamlDoc.Expression e : sink.doc().expressions(var.getValueNode())) {
                    Expr.Node expr = Expr.parse(e.text());
                    if (expr != null && Expr.all(expr).stream().anyMatch(n -> n instanceof Expr.Ref r && secret(r))) {
                        secretVars.put(keyText(var), "${{ " + e.text() + " }}");
                    }
                    if (Taint.analyse(e.text(), scope).stream().anyMatch(t -> t.severity() == Severity.HIGH)) {
                        taintedVars.put(keyText(var), "${{ " + e.text() + " }}");
                    }
                }
            }
        }
        String script = text(run);
        List<Shell.Line> lines = Shell.lines(script);
        Map<String, String> secrets = Shell.derived(lines, secretVars, SECRET_EXPRESSION);
        Map<String, String> tainted = Shell.derived(lines, taintedVars, null);
        Set<String> stepFiles = Shell.aliases(lines, STEP_FILES);
        Set<String> envFiles = Shell.aliases(lines, ENV_FILES);
        String source = sink.doc().source(run);
        int cursor = 0;
        List<List<String>> enclosing = Shell.enclosingTargets(lines);
        for (int n = 0; n < lines.size(); n++) {
            Shell.Line line = lines.get(n);
            int eol = script.indexOf('\n', line.offset());
            String physical = script.substring(line.offset(), eol < 0 ? script.length() : eol).strip();
            int index = physical.isEmpty() ? -1 : source.indexOf(physical, cursor);
            cursor = Math.max(cursor, index);
            int[] at = index < 0 ? new int[] {YamlDoc.line(run), YamlDoc.column(run)} : sink.doc().position(run, source, index);
            for (String command : Shell.commands(line.text())) {
                List<String> targets = new ArrayList<>(Shell.targets(command));
                targets.addAll(enclosing.get(n));
                leaks(command, targets, at, secrets, stepFiles, !secretVars.isEmpty(), written);
                envInjection(command, targets, at, tainted, envFiles);
            }
        }
    }

    private void envInjection(String command, List<String> targets, int[] at, Map<String, String> tainted,
            Set<String> envFiles) {
        String var = Shell.used(command, tainted.keySet());
        String file = targets.stream().map(t -> Shell.variable(t, envFiles)).filter(v -> v != null)
                .findFirst().orElse(null);
        if (var != null && file != null) {
            sink.add(at, Rule.GITHUB_ENV_INJECTION, null, "$" + var + " (from " + tainted.get(var) + ") is written to $"
                    + file + (file.equals("GITHUB_PATH") ? ": it puts a directory of the attacker's choosing first on"
                            + " PATH for every later step" : ": a line break in it sets any variable (LD_PRELOAD, BASH_ENV,"
                            + " PATH) for every later step"));
        }
    }

    /** One command of a script line: where a secret it uses goes. */
    private void leaks(String line, List<String> targets, int[] at, Map<String, String> secrets, Set<String> stepFiles,
            boolean secretsInEnv,
            List<Written> written) {
        String var = Shell.used(line, secrets.keySet());
        boolean direct = SECRET_EXPRESSION.matcher(line).find();
        String what = var != null ? "$" + var + " (from " + secrets.get(var) + ")" : "a secret";
        if (var != null || direct) {
            for (String target : targets) {
                String file = Shell.variable(target, stepFiles);
                if (file != null) {
                    sink.add(at, Rule.SECRET_LEAK, null, what + " is written to $" + file + ": "
                            + (file.equals("GITHUB_STEP_SUMMARY") ? "the run's summary page shows it unmasked once encoded"
                                    : "every later step" + (file.equals("GITHUB_OUTPUT") ? " and job" : "")
                                            + " gets it, third-party actions included"));
                    return;
                }
                written.add(new Written(target, at, what + " is written to " + target));
            }
            if (targets.isEmpty() && !Shell.printed(line).isEmpty()) {
                sink.add(at, Rule.SECRET_LEAK, null, what + " is printed to the log: masking fails as soon as the value"
                        + " is transformed or split");
            }
        }
        if (secretsInEnv && ENVSUBST.matcher(line).find()) {
            Shell.targets(line).forEach(t -> written.add(new Written(t, at,
                    "envsubst fills the step's secrets into " + t)));
        }
    }

    /** A later step that uploads or caches a file a secret was written to. */
    private void uploads(Node step, List<Written> written) {
        String uses = text(get(step, "uses"));
        String name = Actions.name(uses);
        boolean artifact = "actions/upload-artifact".equals(name);
        boolean cache = name != null && name.matches("actions/cache(?:/save)?");
        String paths = text(get(get(step, "with"), "path"));
        if ((!artifact && !cache) || paths == null) {
            return;
        }
        for (Written w : written) {
            for (String path : paths.split("\n")) {
                if (covers(path.strip(), w.file())) {
                    sink.add(w.at(), Rule.SECRET_LEAK, null, w.how() + ", which '" + Actions.name(uses) + "' then "
                            + (artifact ? "uploads as an artifact anyone with read access can download"
                                    : "saves in a cache every branch's runs can read"));
                    break;
                }
            }
        }
    }

    /** Whether an upload path (a file, a directory or a glob) includes {@code file}. */
    static boolean covers(String path, String file) {
        String p = workspaceRelative(path).replaceAll("/+$", "");
        String f = workspaceRelative(file);
        if (p.isEmpty() || p.startsWith("!") || p.startsWith("#")) {
            return false;
        }
        if (p.equals(".") || f.equals(p) || f.startsWith(p + "/")) {
            return true;
        }
        StringBuilder glob = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
                glob.append(".*");
                i++;
            } else if (c == '*') {
                glob.append("[^/]*");
            } else if (c == '?') {
                glob.append("[^/]");
            } else {
                glob.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return f.matches(glob + "(?:/.*)?");
    }

    /** {@code ${{ github.workspace }}/a}, {@code $GITHUB_WORKSPACE/a} and {@code ./a} are all {@code a}. */
    private static String workspaceRelative(String path) {
        return path.strip().replaceFirst("^(?:\\$\\{\\{\\s*github\\.workspace\\s*}}|\\$\\{?GITHUB_WORKSPACE}?)/", "")
                .replaceFirst("^\\./", "");
    }

    private static boolean secret(Expr.Ref ref) {
        return ref.path() != null && (ref.path().equals("secrets") || ref.path().startsWith("secrets."));
    }
}
