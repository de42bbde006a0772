package dev.deployer.audit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Measures the audit against public corpora with recorded findings of other tools, and keeps it from getting
 * worse: each rule's recall and precision must stay at or above the floor measured when the rule was written.
 *
 * <p>Ground truth: zizmor's recorded end-to-end findings for gha-hazmat (at the commit the snapshot was
 * recorded against) and for its {@code several-vulnerabilities.yml} SARIF snapshot; actionlint's recorded
 * "potentially untrusted" findings for its test workflows. The corpora are read in place, never copied:
 * {@code -Ddeployer.audit.corpus=DIR} or {@code DEPLOYER_AUDIT_CORPUS}, default
 * {@code /work/shared/fixtures/workflow-audit}; {@code .github/scripts/fetch-audit-corpus.sh} fetches them.
 */
class CorpusTest {

    /** zizmor's rule → ours. Every rule of ours with a zizmor counterpart appears once. */
    static final Map<String, Set<Rule>> ZIZMOR = new LinkedHashMap<>();

    static {
        ZIZMOR.put("dangerous-triggers", EnumSet.of(Rule.DANGEROUS_TRIGGER));
        ZIZMOR.put("excessive-permissions", EnumSet.of(Rule.PERMISSIONS_MISSING, Rule.PERMISSIONS_EXCESSIVE));
        ZIZMOR.put("unpinned-uses", EnumSet.of(Rule.UNPINNED_ACTION));
        ZIZMOR.put("unpinned-images", EnumSet.of(Rule.UNPINNED_IMAGE));
        ZIZMOR.put("template-injection", EnumSet.of(Rule.TEMPLATE_INJECTION));
        ZIZMOR.put("artipacked", EnumSet.of(Rule.CHECKOUT_PERSISTS_CREDENTIALS));
        ZIZMOR.put("secrets-inherit", EnumSet.of(Rule.SECRETS_INHERIT));
        ZIZMOR.put("overprovisioned-secrets", EnumSet.of(Rule.SECRETS_TO_JSON));
        ZIZMOR.put("cache-poisoning", EnumSet.of(Rule.CACHE_IN_RELEASE_PATH));
        ZIZMOR.put("github-env", EnumSet.of(Rule.GITHUB_ENV_INJECTION));
        ZIZMOR.put("unredacted-secrets", EnumSet.of(Rule.SECRETS_UNREDACTED));
        ZIZMOR.put("unsound-contains", EnumSet.of(Rule.SUBSTRING_REF_CHECK));
        ZIZMOR.put("bot-conditions", EnumSet.of(Rule.BOT_ACTOR_CHECK));
    }

    /** Floors: {recall, precision} as measured; raise them when the audit improves, never lower them. */
    static final Map<String, double[]> FLOORS = Map.ofEntries(
            Map.entry("dangerous-triggers", new double[] {1.0, 1.0}),
            Map.entry("excessive-permissions", new double[] {1.0, 1.0}),
            Map.entry("unpinned-uses", new double[] {1.0, 1.0}),
            Map.entry("unpinned-images", new double[] {1.0, 1.0}),
            Map.entry("template-injection", new double[] {1.0, 1.0}),
            Map.entry("artipacked", new double[] {1.0, 1.0}),
            Map.entry("secrets-inherit", new double[] {1.0, 1.0}),
            Map.entry("overprovisioned-secrets", new double[] {1.0, 1.0}),
            Map.entry("cache-poisoning", new double[] {1.0, 1.0}),
            Map.entry("github-env", new double[] {1.0, 1.0}),
            Map.entry("unredacted-secrets", new double[] {1.0, 1.0}),
            Map.entry("unsound-contains", new double[] {1.0, 1.0}),
            Map.entry("bot-conditions", new double[] {1.0, 1.0}),
            Map.entry("zizmor test-data bot-conditions.yml steps → bot-actor-check", new double[] {1.0, 1.0}),
            Map.entry("zizmor test-data unsound-condition.yml steps → unsound-condition", new double[] {1.0, 1.0}),
            Map.entry("zizmor test-data unsound-contains.yml steps → substring-ref-check", new double[] {1.0, 1.0}),
            Map.entry("zizmor test-data github_env.yml → github-env-injection", new double[] {1.0, 1.0}),
            Map.entry("actionlint untrusted input → template-injection", new double[] {0.85, 0.85}),
            Map.entry("actionlint always-true if → unsound-condition", new double[] {1.0, 1.0}),
            Map.entry("scorecard script-injection files → template-injection", new double[] {1.0, 1.0}),
            Map.entry("scorecard pinning files → unpinned-action", new double[] {1.0, 1.0}),
            Map.entry("scorecard dangerous-workflow checkout files → untrusted-checkout", new double[] {1.0, 1.0}));

    /** Findings a few lines apart still match (tools anchor a finding on the key, the value or the block). */
    static final int WINDOW = 3;

    private static final Pattern ZIZMOR_FINDING = Pattern.compile(
            "^(?:error|warning|info|help|note)\\[([\\w-]+)]:.*\\R\\s*--> ([^:\\s]+):(\\d+):(\\d+)", Pattern.MULTILINE);
    private static final Pattern ACTIONLINT_UNTRUSTED = Pattern.compile("^[^:]+:(\\d+):(\\d+): .*potentially untrusted.*$",
            Pattern.MULTILINE);
    private static final Pattern ACTIONLINT_ALWAYS_TRUE = Pattern.compile(
            "^[^:]+:(\\d+):(\\d+): .*is always evaluated to true.*$", Pattern.MULTILINE);

    record Expected(String tool, String rule, String file, int line) { }

    record Row(String rule, int expected, int found, int matched, int exact, List<String> missed, List<String> extra) {
        double recall() {
            return expected == 0 ? 1.0 : (double) matched / expected;
        }

        double precision() {
            return found == 0 ? 1.0 : (double) matched / found;
        }
    }

    @Test
    void recallAndPrecisionStayAtOrAboveTheMeasuredFloors() throws IOException {
        Path corpus = corpus();
        List<Expected> expected = new ArrayList<>();
        List<Finding> actual = new ArrayList<>();

        Path hazmat = corpus.resolve("gha-hazmat-at-83e7e24d");
        Path snapshots = corpus.resolve("zizmor/crates/zizmor/tests/integration/snapshots");
        expected.addAll(zizmorText(Files.readString(snapshots.resolve("integration__e2e__gha_hazmat.snap")), "gha-hazmat/"));
        actual.addAll(prefixed(new WorkflowAudit(List.of()).audit(hazmat, hazmat.resolve(".github/workflows")).findings(),
                "gha-hazmat/"));

        String several = "zizmor/several-vulnerabilities.yml";
        expected.addAll(zizmorSarif(Files.readString(snapshots.resolve("integration__e2e__sarif_zizmor_properties.snap")),
                several));
        actual.addAll(new WorkflowAudit(List.of()).auditText(several,
                Files.readString(corpus.resolve("zizmor/crates/zizmor/tests/integration/test-data/several-vulnerabilities.yml")),
                true).findings());

        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Set<Rule>> rule : ZIZMOR.entrySet()) {
            rows.add(compare(rule.getKey(),
                    expected.stream().filter(e -> e.rule().equals(rule.getKey())).toList(),
                    actual.stream().filter(f -> rule.getValue().contains(f.rule())).toList()));
        }

        List<Expected> untrusted = new ArrayList<>();
        List<Finding> injections = new ArrayList<>();
        actionlint(corpus.resolve("actionlint/testdata"), ACTIONLINT_UNTRUSTED, Rule.TEMPLATE_INJECTION, untrusted, injections);
        rows.add(compare("actionlint untrusted input → template-injection", untrusted, injections));
        List<Expected> alwaysTrue = new ArrayList<>();
        List<Finding> unsound = new ArrayList<>();
        actionlint(corpus.resolve("actionlint/testdata"), ACTIONLINT_ALWAYS_TRUE, Rule.UNSOUND_CONDITION, alwaysTrue, unsound);
        rows.add(compare("actionlint always-true if → unsound-condition", alwaysTrue, unsound));

        Path scorecard = corpus.resolve("scorecard/checks");
        rows.add(fileLevel("scorecard script-injection files → template-injection", Rule.TEMPLATE_INJECTION,
                scorecard.resolve("testdata/.github/workflows"), "script-injection", name -> name.contains("untrusted")));
        rows.add(fileLevel("scorecard pinning files → unpinned-action", Rule.UNPINNED_ACTION,
                scorecard.resolve("raw/testdata/.github/workflows"), "",
                name -> name.contains("not-pinned") || name.contains("non-pinned") || name.contains("unpinned")));
        rows.add(fileLevel("scorecard dangerous-workflow checkout files → untrusted-checkout", Rule.UNTRUSTED_CHECKOUT,
                scorecard.resolve("testdata/.github/workflows"), "checkout", name -> name.contains("untrusted-checkout")));

        Path testData = corpus.resolve("zizmor/crates/zizmor/tests/integration/test-data");
        rows.add(stepLabelled("zizmor test-data unsound-condition.yml steps → unsound-condition", Rule.UNSOUND_CONDITION,
                testData.resolve("unsound-condition.yml"), name -> name.contains("not-ok")));
        rows.add(stepLabelled("zizmor test-data unsound-contains.yml steps → substring-ref-check", Rule.SUBSTRING_REF_CHECK,
                testData.resolve("unsound-contains.yml"), name -> name.contains("vulnerable") && !name.startsWith("not-")));
        rows.add(stepLabelled("zizmor test-data bot-conditions.yml steps → bot-actor-check", Rule.BOT_ACTOR_CHECK,
                testData.resolve("bot-conditions.yml"), name -> name.startsWith("vulnerable")));
        rows.add(stepLabelled("zizmor test-data github_env.yml → github-env-injection", Rule.GITHUB_ENV_INJECTION,
                testData.resolve("github_env.yml"), name -> name.equals("Passes the title around")));

        String table = table(rows);
        Path out = Path.of("target", "audit-corpus.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table, StandardCharsets.UTF_8);
        System.out.println(table);

        List<String> regressions = new ArrayList<>();
        for (Row row : rows) {
            double[] floor = FLOORS.get(row.rule());
            if (row.recall() + 1e-9 < floor[0] || row.precision() + 1e-9 < floor[1]) {
                regressions.add(String.format(Locale.ROOT, "%s: recall %.2f (floor %.2f), precision %.2f (floor %.2f)",
                        row.rule(), row.recall(), floor[0], row.precision(), floor[1]));
            }
        }
        assertTrue(regressions.isEmpty(), "The audit got worse on the corpus (table in " + out + "):\n"
                + String.join("\n", regressions));
    }

    /** Robustness: every YAML file of the corpora (about 400) is audited without a crash; invalid YAML is a clear error. */
    @Test
    void everyCorpusFileIsAuditedWithoutACrash() throws IOException {
        Path corpus = corpus();
        List<Path> files;
        try (Stream<Path> all = Files.walk(corpus)) {
            files = all.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        int audited = 0;
        List<String> invalid = new ArrayList<>();
        for (Path file : files) {
            String name = corpus.relativize(file).toString();
            boolean action = file.getFileName().toString().startsWith("action.");
            try {
                new WorkflowAudit(List.of()).auditText(name, Files.readString(file), !action);
                audited++;
            } catch (dev.deployer.core.DeployerException e) {
                assertTrue(e.location().startsWith(name), e.getMessage());
                assertTrue(e.problem().startsWith("Not valid YAML"), e.getMessage());
                invalid.add(name);
            }
        }
        assertTrue(files.size() > 300, "corpus files: " + files.size());
        assertTrue(invalid.size() < 15, "invalid: " + invalid);
        System.out.println("Audited " + audited + " corpus files; not valid YAML (reported with file and line): " + invalid);
    }

    static Path corpus() {
        String configured = System.getProperty("deployer.audit.corpus", System.getenv("DEPLOYER_AUDIT_CORPUS"));
        Path dir = configured == null || configured.isBlank() ? besideCheckout() : Path.of(configured);
        if (!Files.isDirectory(dir.resolve("gha-hazmat-at-83e7e24d")) || !Files.isDirectory(dir.resolve("zizmor"))) {
            fail("The workflow-audit corpus is not at " + dir + ": run .github/scripts/fetch-audit-corpus.sh DIR and set"
                    + " DEPLOYER_AUDIT_CORPUS=DIR (or -Ddeployer.audit.corpus=DIR)");
        }
        return dir;
    }

    /** {@code shared/fixtures/workflow-audit} beside the checkout (where the workplace keeps it), else /work/shared. */
    private static Path besideCheckout() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/fixtures/workflow-audit");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return Path.of("/work/shared/fixtures/workflow-audit");
    }

    static List<Expected> zizmorText(String snapshot, String prefix) {
        List<Expected> out = new ArrayList<>();
        Matcher m = ZIZMOR_FINDING.matcher(snapshot);
        while (m.find()) {
            out.add(new Expected("zizmor", m.group(1), prefix + m.group(2), Integer.parseInt(m.group(3))));
        }
        return out;
    }

    static List<Expected> zizmorSarif(String snapshot, String file) throws IOException {
        List<Expected> out = new ArrayList<>();
        JsonNode sarif = new ObjectMapper().readTree(snapshot.substring(snapshot.indexOf('{')));
        for (JsonNode result : sarif.path("runs").path(0).path("results")) {
            String rule = result.path("ruleId").asText().replaceFirst("^zizmor/", "");
            int line = result.path("locations").path(0).path("physicalLocation").path("region").path("startLine").asInt();
            out.add(new Expected("zizmor", rule, file, line));
        }
        return out;
    }

    /** actionlint's test workflows: the lines its recorded output reports (matching {@code recorded}) vs our findings of a rule. */
    static void actionlint(Path testdata, Pattern recorded, Rule rule, List<Expected> expected, List<Finding> actual)
            throws IOException {
        for (String dir : List.of("err", "examples", "ok")) {
            List<Path> yamls;
            try (Stream<Path> files = Files.list(testdata.resolve(dir))) {
                yamls = files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
            }
            for (Path yaml : yamls) {
                String name = "actionlint/" + dir + "/" + yaml.getFileName();
                String stem = yaml.getFileName().toString().replaceFirst("\\.ya?ml$", "");
                Path out = yaml.resolveSibling(stem + ".out");
                if (Files.exists(out)) {
                    Matcher m = recorded.matcher(Files.readString(out));
                    while (m.find()) {
                        expected.add(new Expected("actionlint", rule.id(), name, Integer.parseInt(m.group(1))));
                    }
                }
                try {
                    new WorkflowAudit(List.of()).auditText(name, Files.readString(yaml), true).findings().stream()
                            .filter(f -> f.rule() == rule).forEach(actual::add);
                } catch (dev.deployer.core.DeployerException e) {
                    // a fixture that is not valid YAML on purpose: nothing to compare
                }
            }
        }
    }

    /**
     * File-level comparison where the fixture's name is the only recorded verdict (Scorecard keeps its expected
     * results in Go test code, not in data): a positive file must get at least one finding of the rule, a negative
     * file none. Counted per file.
     */
    static Row fileLevel(String label, Rule rule, Path dir, String nameContains, java.util.function.Predicate<String> positive)
            throws IOException {
        List<Expected> expected = new ArrayList<>();
        List<Finding> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().contains(nameContains)).sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (positive.test(name)) {
                expected.add(new Expected("scorecard", rule.id(), name, 1));
            }
            boolean hit = new WorkflowAudit(List.of()).auditText(name, Files.readString(file), true).findings().stream()
                    .anyMatch(f -> f.rule() == rule);
            if (hit) {
                found.add(new Finding(name, 1, 1, rule, rule.severity(), "file has a finding", rule.fix()));
            }
        }
        return compare(label, expected, found);
    }

    /**
     * Where a fixture names its verdict per step ({@code 4-not-ok}, {@code vulnerable-1}, {@code not-vulnerable}):
     * each positive step must get a finding of the rule inside it, each other step none. Counted per step.
     */
    static Row stepLabelled(String label, Rule rule, Path file, java.util.function.Predicate<String> positive) throws IOException {
        String name = "zizmor/" + file.getFileName();
        String text = Files.readString(file);
        List<Expected> expected = new ArrayList<>();
        List<Finding> found = new ArrayList<>();
        List<Finding> findings = new WorkflowAudit(List.of()).auditText(name, text, true).findings().stream()
                .filter(f -> f.rule() == rule).toList();
        YamlDoc doc = YamlDoc.parse(name, text);
        for (org.yaml.snakeyaml.nodes.NodeTuple job : YamlDoc.entries(YamlDoc.get(doc.root(), "jobs"))) {
            for (org.yaml.snakeyaml.nodes.Node step : YamlDoc.sequence(YamlDoc.get(job.getValueNode(), "steps"))) {
                int first = YamlDoc.line(step);
                int last = step.getEndMark().getLine() + 1;
                String stepName = String.valueOf(YamlDoc.text(YamlDoc.get(step, "name")));
                if (positive.test(stepName)) {
                    expected.add(new Expected("zizmor", rule.id(), name, first));
                }
                findings.stream().filter(f -> f.line() >= first && f.line() <= last).findFirst()
                        .ifPresent(f -> found.add(new Finding(name, first, 1, rule, f.severity(), f.message(), f.fix())));
            }
        }
        return compare(label, expected, found);
    }

    /** One-to-one matching in the same file: exact lines first, then the nearest within {@link #WINDOW} lines. */
    static Row compare(String rule, List<Expected> expected, List<Finding> found) {
        List<Expected> open = new ArrayList<>(expected);
        List<Finding> unmatched = new ArrayList<>(found);
        int matched = 0;
        int exact = 0;
        for (int distance = 0; distance <= WINDOW; distance++) {
            for (var it = open.iterator(); it.hasNext(); ) {
                Expected e = it.next();
                final int d = distance;
                Finding hit = unmatched.stream()
                        .filter(f -> f.file().equals(e.file()) && Math.abs(f.line() - e.line()) == d)
                        .findFirst().orElse(null);
                if (hit != null) {
                    unmatched.remove(hit);
                    it.remove();
                    matched++;
                    exact += d == 0 ? 1 : 0;
                }
            }
        }
        return new Row(rule, expected.size(), found.size(), matched, exact,
                open.stream().map(e -> e.file() + ":" + e.line()).toList(),
                unmatched.stream().map(f -> f.file() + ":" + f.line() + " " + f.ruleId()).toList());
    }

    static String table(List<Row> rows) {
        StringBuilder md = new StringBuilder();
        md.append("| recorded rule | ours | recorded | found | matched (same line) | recall | precision |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            Set<Rule> ours = ZIZMOR.containsKey(row.rule()) ? ZIZMOR.get(row.rule())
                    : EnumSet.of(Rule.byId(row.rule().substring(row.rule().lastIndexOf(' ') + 1)));
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d (%d) | %.2f | %.2f |\n", row.rule(),
                    String.join(", ", ours.stream().map(Rule::id).toList()), row.expected(), row.found(), row.matched(),
                    row.exact(),
                    row.recall(), row.precision()));
        }
        md.append("\nMissed (recorded, not found) and extra (found, not recorded):\n\n");
        for (Row row : rows) {
            row.missed().forEach(m -> md.append("- missed ").append(row.rule()).append(" at ").append(m).append('\n'));
            row.extra().forEach(x -> md.append("- extra ").append(row.rule()).append(" at ").append(x).append('\n'));
        }
        return md.toString();
    }

    private static List<Finding> prefixed(List<Finding> findings, String prefix) {
        return findings.stream().map(f -> new Finding(prefix + f.file(), f.line(), f.column(), f.rule(), f.severity(),
                f.message(), f.fix())).toList();
    }
}
