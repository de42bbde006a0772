package dev.deployer.audit;

import static dev.deployer.audit.RulesTest.audit;
import static dev.deployer.audit.RulesTest.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deploy-pipeline rules where the pairs (PairsTest) do not show it: severities outside deploy jobs, how rules
 * interact with suppressions, the parts of the analysis (expressions, shell, upload paths), SARIF.
 */
class DeployRulesTest {

    private static final String CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683";

    @Test
    void suppressingTheTriggerDoesNotHideTheCheckoutOfThePullRequest() {
        String yaml = yaml(
                "on: pull_request_target",
                "permissions: {contents: read}",
                "jobs:",
                "  test:",
                "    steps:",
                "      - uses: " + CHECKOUT,
                "        with: {ref: '${{ github.event.pull_request.head.sha }}', persist-credentials: false}",
                "      - run: make test");
        AuditReport report = new WorkflowAudit(List.of(Ignore.parse("dangerous-trigger:*:labels only", "test")))
                .auditText(".github/workflows/w.yml", yaml, true);
        assertEquals(List.of("7:21 high untrusted-checkout"), report.findings().stream()
                .map(f -> f.line() + ":" + f.column() + " " + f.severity().label() + " " + f.ruleId()).toList());
        assertEquals(List.of("dangerous-trigger"), report.suppressed().stream().map(Finding::ruleId).toList());
    }

    @Test
    void actionNamesAreMatchedWithoutRegardToCase() {
        assertEquals(List.of("6:9 medium checkout-persist-credentials"), audit(yaml(
                "on: push",
                "permissions: {contents: read}",
                "jobs:",
                "  a:",
                "    steps:",
                "      - uses: Actions/Checkout@11bd71901bbe5b1630ceea73d27597364c9af683")));
    }

    @Test
    void outsideDeployJobsConditionsAndInputsAreMediumAndCheapValuesLow() {
        assertEquals(List.of("8:13 medium unsound-condition", "9:13 medium substring-ref-check",
                "10:13 low substring-ref-check", "11:23 medium template-injection"), audit(yaml(
                "on:",
                "  workflow_dispatch:",
                "    inputs: {name: {type: string}}",
                "permissions: {contents: read}",
                "jobs:",
                "  a:",
                "    steps:",
                "      - if: \"${{ github.event_name == 'push' }} \"",
                "      - if: contains(github.ref, 'main')",
                "      - if: contains('runner1,runner2', runner.name)",
                "        run: echo ${{ inputs.name }}")));
    }

    @Test
    void aBlockScalarConditionWithoutExpressionAndAnExactBlockAreFine() {
        assertEquals(List.of(), audit(yaml(
                "on: push",
                "permissions: {contents: read}",
                "jobs:",
                "  a:",
                "    steps:",
                "      - if: |",
                "          github.event_name == 'push'",
                "        run: make",
                "      - if: |-",
                "          ${{ github.event_name == 'push' }}",
                "        run: make")));
    }

    @Test
    void testingASecretOrAnEventValueIsNotLeakingIt() {
        assertEquals(List.of(), audit(yaml(
                "on: issues",
                "permissions: {contents: read}",
                "jobs:",
                "  a:",
                "    steps:",
                "      - run: |",
                "          if [ -z \"$TOKEN\" ]; then echo \"TOKEN is not set\"; exit 1; fi",
                "          [ -n \"$TITLE\" ] && echo \"HAS_TITLE=1\" >> \"$GITHUB_ENV\"",
                "          printf '%s' \"$TOKEN\" | gh auth login --with-token >/dev/null",
                "        env:",
                "          TOKEN: ${{ secrets.TOKEN }}",
                "          TITLE: ${{ github.event.issue.title }}")));
    }

    @Test
    void aStepThatRedefinesAVariableHidesTheWorkflowsSecretAndAContinuedLineIsPlacedAtItsStart() {
        assertEquals(List.of("12:11 high secret-leak"), audit(yaml(
                "on: push",
                "permissions: {contents: read}",
                "env:",
                "  TOKEN: ${{ secrets.TOKEN }}",
                "jobs:",
                "  a:",
                "    steps:",
                "      - run: echo \"$TOKEN\"",
                "        env:",
                "          TOKEN: not a secret",
                "      - run: |",
                "          make \\",
                "          && echo \"$TOKEN\" \\",
                "            >> \"$GITHUB_ENV\"")));
    }

    @Test
    void aDeploymentEventNamesItsEnvironment() {
        assertEquals(List.of(), audit(yaml(
                "on: deployment",
                "permissions: {contents: read}",
                "jobs:",
                "  deploy:",
                "    environment: ${{ github.event.deployment.environment }}",
                "    steps:",
                "      - run: ./mvnw -B deploy -Pqa")));
        assertEquals(List.of("5:22 high environment-unprotected"), audit(yaml(
                "on: deployment",
                "permissions: {contents: read}",
                "jobs:",
                "  deploy:",
                "    environment: ${{ github.event.deployment.payload.target }}",
                "    steps:",
                "      - run: ./mvnw -B deploy -Pqa")));
    }

    @Test
    void expressionsKnowWhichReferencesCanBeTheirValue() {
        assertEquals(List.of("github.event.issue.title"), paths("a == b && github.event.issue.title || ''"));
        assertEquals(List.of("github.event.issue.body"), paths("!x && github.event.issue.body || ''"));
        assertEquals(List.of(), paths("github.event.issue.title == 'x' && 'yes' || 'no'"));
        assertEquals(List.of(), paths("contains(github.event.issue.title, 'x')"));
        assertEquals(List.of("github.event.issue.title", "inputs.name"),
                paths("format('{0} {1}', github.event.issue.title, inputs.name)"));
        assertEquals(List.of("github.event.pages.*.page_name", "github.event.issue.title"),
                paths("github.event.pages[github.event.issue.title].page_name"));
        assertEquals(List.of("secrets.json"), paths("fromJSON(secrets.json).field"));
        assertEquals(List.of("github.event.issue.title"), paths("GitHub.Event['issue'].Title"));
        assertEquals(null, Expr.parse("a == == b"));
    }

    private static List<String> paths(String expression) {
        return Expr.valueRefs(Expr.parse(expression)).stream().map(Expr.Ref::path).toList();
    }

    @Test
    void shellFollowsAssignmentsAliasesAndRedirects() {
        List<Shell.Line> lines = Shell.lines("a=$(echo \"$T\" | tr -d x)\nb=\"$a\" c=plain\nf=$GITHUB_ENV\n"
                + "echo \"x=$b\" \\\n  >> \"$f\"\n");
        assertEquals(java.util.Set.of("T", "a", "b"), Shell.derived(lines, java.util.Map.of("T", "title"), null).keySet());
        assertEquals(java.util.Set.of("GITHUB_ENV", "f"), Shell.aliases(lines, java.util.Set.of("GITHUB_ENV")));
        assertEquals(List.of("\"$f\"".replace("\"", "")), Shell.targets(lines.get(3).text()).stream()
                .map(t -> t.replace("\"", "")).toList());
        assertEquals(List.of(), Shell.printed("printf '%s' \"$K\" | docker login --password-stdin"));
        assertEquals(List.of(), Shell.printed("echo \"::add-mask::$K\""));
        assertEquals(List.of("echo $K"), Shell.printed("set -e; echo $K"));
    }

    @Test
    void uploadPathsCoverFilesDirectoriesAndGlobs() {
        assertTrue(SecretFlowChecks.covers("target/deployer/", "target/deployer/production/stack.yml"));
        assertTrue(SecretFlowChecks.covers("./target/**/*.yml", "target/deployer/production/stack.yml"));
        assertTrue(SecretFlowChecks.covers("stack.yml", "./stack.yml"));
        assertTrue(SecretFlowChecks.covers("${{ github.workspace }}/target/deployer", "$GITHUB_WORKSPACE/target/deployer/a.yml"));
        assertTrue(!SecretFlowChecks.covers("target/site", "target/deployer/stack.yml"));
        assertTrue(!SecretFlowChecks.covers("!target/deployer", "target/deployer/stack.yml"));
    }

    @Test
    void theNewRulesAreInTheSarifWithTheirLevels() {
        var sarif = Sarif.document(List.of(), "test");
        List<String> ids = new java.util.ArrayList<>();
        sarif.path("runs").path(0).path("tool").path("driver").path("rules").forEach(r -> ids.add(r.path("id").asText()));
        assertTrue(ids.containsAll(List.of("untrusted-checkout", "signing-key-exposed", "unsound-condition",
                "substring-ref-check", "secret-leak", "secrets-unredacted", "github-env-injection", "environment-unprotected")),
                ids.toString());
    }

    /** Every rule is documented in docs/audit.md's rules table. */
    @Test
    void everyRuleIsDocumented() throws Exception {
        Path root = WorkflowAudit.gitRoot(Path.of("").toAbsolutePath());
        String docs = Files.readString(root.resolve("docs/audit.md"));
        for (Rule rule : Rule.values()) {
            assertTrue(docs.contains("| `" + rule.id() + "` |"), "docs/audit.md has no row for " + rule.id());
        }
    }
}
