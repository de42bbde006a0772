package dev.deployer.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule on small workflows: exact rule, line, column and severity; and the safe variant stays quiet. */
class RulesTest {

    private static final String CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683";

    /** Findings as {@code line:col severity rule-id}, in order. */
    static List<String> audit(String yaml) {
        return new WorkflowAudit(List.of()).auditText(".github/workflows/w.yml", yaml, true).findings().stream()
                .map(f -> f.line() + ":" + f.column() + " " + f.severity().label() + " " + f.ruleId()).toList();
    }

    static String yaml(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    @Test
    void pullRequestTargetAndWorkflowRunAreDangerousTriggers() {
        assertEquals(List.of("3:3 high dangerous-trigger", "4:3 high dangerous-trigger"), audit(yaml(
                "permissions: {}",
                "on:",
                "  pull_request_target:",
                "  workflow_run:",
                "    workflows: [CI]",
                "jobs: {}")));
        assertEquals(List.of("2:5 high dangerous-trigger"), audit(yaml("permissions: {}", "on: pull_request_target", "jobs: {}")));
        assertEquals(List.of(), audit(yaml("permissions: {}", "on: [pull_request, push]", "jobs: {}")));
    }

    @Test
    void missingPermissionsAreReportedPerJobAndOnceForTheWorkflowWhenSeveralJobsShareTheDefault() {
        assertEquals(List.of("1:1 medium permissions-missing", "3:3 medium permissions-missing",
                "6:3 medium permissions-missing"), audit(yaml(
                "on: push",
                "jobs:",
                "  a:",
                "    runs-on: ubuntu-24.04",
                "    steps: [{run: echo a}]",
                "  b:",
                "    runs-on: ubuntu-24.04",
                "    steps: [{run: echo b}]")));
        assertEquals(List.of("3:3 medium permissions-missing"), audit(yaml(
                "on: push",
                "jobs:",
                "  only:",
                "    runs-on: ubuntu-24.04",
                "    steps: [{run: echo a}]")));
        assertEquals(List.of(), audit(yaml(
                "on: push",
                "jobs:",
                "  scoped:",
                "    permissions: {contents: read}",
                "    runs-on: ubuntu-24.04",
                "    steps: [{run: echo a}]")));
    }

    @Test
    void writeAllAndWorkflowWideWritesAreExcessive() {
        assertEquals(List.of("3:3 high permissions-excessive", "8:18 high permissions-excessive"), audit(yaml(
                "on: push",
                "permissions:",
                "  packages: write",
                "  contents: read",
                "jobs:",
                "  a:",
                "    runs-on: ubuntu-24.04",
                "    permissions: write-all",
                "    steps: [{run: echo a}]",
                "  b:",
                "    runs-on: ubuntu-24.04",
                "    steps: [{run: echo b}]")));
    }

    @Test
    void contentsWriteWithoutAnythingThatPushesIsExcessive() {
        assertEquals(List.of("5:7 medium permissions-excessive"), audit(yaml(
                "on: push",
                "jobs:",
                "  a:",
                "    permissions:",
                "      contents: write",
                "    runs-on: ubuntu-24.04",
                "    steps: [{run: ./mvnw -B verify}]")));
        assertEquals(List.of(), audit(yaml(
                "on: push",
                "jobs:",
                "  a:",
                "    permissions:",
                "      contents: write",
                "    runs-on: ubuntu-24.04",
                "    steps: [{run: git push origin HEAD:main}]")));
    }

    @Test
    void actionsMustBePinnedToAFullCommitSha() {
        assertEquals(List.of("6:15 high unpinned-action", "7:15 high unpinned-action", "10:15 medium unpinned-image",
                "13:11 high unpinned-action"), audit(yaml(
                "permissions: {}",
                "on: push",
                "jobs:",
                "  a:",
                "    steps:",
                "      - uses: actions/setup-java@v4",
                "      - uses: actions/setup-java@c5195ef",
                "      - uses: " + CHECKOUT + " # v4.2.2",
                "        with: {persist-credentials: false}",
                "      - uses: docker://alpine:latest",
                "      - uses: docker://alpine@sha256:0000000000000000000000000000000000000000000000000000000000000000",
                "  b:",
                "    uses: org/repo/.github/workflows/w.yml@main",
                "  c:",
                "    uses: ./.github/workflows/local.yml",
                "  d:",
                "    steps: [{uses: ./.github/actions/local}]")));
    }

    @Test
    void containerImagesNeedAVersion() {
        assertEquals(List.of("5:16 medium unpinned-image", "8:16 medium unpinned-image"), audit(yaml(
                "permissions: {}",
                "on: push",
                "jobs:",
                "  a:",
                "    container: redis",
                "    services:",
                "      db:",
                "        image: postgres:latest",
                "      cache:",
                "        image: redis:7.4.3",
                "    steps: [{run: echo}]")));
    }

    @Test
    void attackerControlledContextsInRunAndGithubScriptAreTemplateInjection() {
        // line 21 also echoes a secret to the log
        assertEquals(List.of("17:28 high template-injection", "18:20 high template-injection",
                "19:21 medium template-injection", "21:11 high secret-leak", "23:42 high template-injection",
                "26:23 medium template-injection"),
                audit(yaml(
                "permissions: {}",
                "on:",
                "  issues:",
                "  workflow_dispatch:",
                "    inputs:",
                "      name: {type: string}",
                "      dry: {type: boolean}",
                "jobs:",
                "  a:",
                "    strategy:",
                "      matrix:",
                "        fixed: [1, 2]",
                "        dynamic: ${{ fromJSON(github.event.issue.body) }}",
                "    runs-on: ubuntu-24.04",
                "    steps:",
                "      - run: |",
                "          echo \"title: ${{ github.event.issue.title }}\"",
                "          echo ${{ github.head_ref }}",
                "          echo \"${{ inputs.name }} ${{ inputs.dry }}\"",
                "          echo \"${{ github.event.issue.number }} ${{ github.event_name }} ${{ matrix.fixed }}\"",
                "          echo \"${{ github.event.issue.title == 'x' }} ${{ secrets.TOKEN }}\"",
                "      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1",
                "        with: {script: 'console.log(\"${{ github.event.comment.body }}\")'}",
                "      - env: {TITLE: '${{ github.event.issue.title }}'}",
                "        run: echo \"$TITLE\"",
                "      - run: echo ${{ matrix.dynamic }}")));
    }

    @Test
    void nestedIndexesAreReadAsSeparateReferences() {
        List<String> found = audit(yaml(
                "permissions: {}",
                "on: pull_request",
                "jobs:",
                "  a:",
                "    steps:",
                "      - run: echo ${{ github.event.pages[github.event.issue.title].page_name }}"));
        assertEquals(List.of("6:23 high template-injection", "6:42 high template-injection"), found);
    }

    @Test
    void checkoutMustNotPersistCredentialsAndIsWorseBeforeAnUpload() {
        assertEquals(List.of("6:9 medium checkout-persist-credentials", "9:9 high checkout-persist-credentials"), audit(yaml(
                "permissions: {}",
                "on: push",
                "jobs:",
                "  a:",
                "    steps:",
                "      - uses: " + CHECKOUT,
                "  b:",
                "    steps:",
                "      - uses: " + CHECKOUT,
                "        with: {fetch-depth: 0}",
                "      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02",
                "  c:",
                "    steps:",
                "      - uses: " + CHECKOUT,
                "        with:",
                "          persist-credentials: false")));
    }

    @Test
    void secretsInheritAndAllSecretsAtOnce() {
        // each of the three steps also prints what it gets to the log
        assertEquals(List.of("6:14 high secrets-inherit", "9:14 high secret-leak", "10:21 high secrets-to-json",
                "11:14 high secret-leak", "11:19 high secrets-to-json", "12:14 high secret-leak"),
                audit(yaml(
                "permissions: {}",
                "on: push",
                "jobs:",
                "  call:",
                "    uses: ./.github/workflows/reusable.yml",
                "    secrets: inherit",
                "  a:",
                "    steps:",
                "      - run: echo \"$ALL\"",
                "        env: {ALL: '${{ toJSON(secrets) }}'}",
                "      - run: echo ${{ secrets[format('{0}', 'X')] }}",
                "      - run: echo ${{ toJSON(secrets.ONE) }}")));
    }

    @Test
    void aJobThatDeploysNeedsAProtectedEnvironmentAndProductionNeedsProduction() {
        assertEquals(List.of("4:3 high deploy-without-environment", "8:18 high deploy-without-environment"), audit(yaml(
                "permissions: {contents: read}",
                "on: push",
                "jobs:",
                "  prod:",
                "    steps:",
                "      - run: ./mvnw -B deploy -Pproduction",
                "  prod-in-qa:",
                "    environment: qa",
                "    steps:",
                "      - run: ./mvnw -B deployer:deploy -Ddeployer.environment=production",
                "  qa-secret:",
                "    environment: {name: qa, url: 'https://qa.example.com'}",
                "    steps:",
                "      - run: ./deploy.sh",
                "        env: {KEY: '${{ secrets.QA_SSH_PRIVATE_KEY }}'}",
                "  ok:",
                "    environment: production",
                "    steps:",
                "      - run: quantum-cli stacks update --create --wait --stack shop",
                "  build-only:",
                "    steps:",
                "      - run: ./mvnw -B package -Pproduction")));
        assertEquals(List.of("4:3 high deploy-without-environment"), audit(yaml(
                "permissions: {contents: read}",
                "on: push",
                "jobs:",
                "  swarm:",
                "    steps:",
                "      - run: docker stack deploy -c stack.yml shop",
                "        env: {QUANTUM_API_KEY: '${{ secrets.QUANTUM_API_KEY }}'}")));
    }

    @Test
    void readingAConfiguredDeploySecretMakesAJobADeploy() {
        String yaml = yaml(
                "permissions: {contents: read}",
                "on: push",
                "jobs:",
                "  smoke:",
                "    steps:",
                "      - run: ./smoke.sh",
                "        env: {REDIS_PASSWORD: '${{ secrets.REDIS_PASSWORD }}'}");
        assertEquals(List.of(), audit(yaml));
        assertEquals(List.of("4:3 high deploy-without-environment"),
                new WorkflowAudit(List.of(), java.util.Set.of("REDIS_PASSWORD")).auditText(".github/workflows/w.yml", yaml, true)
                        .findings().stream().map(f -> f.line() + ":" + f.column() + " " + f.severity().label() + " " + f.ruleId())
                        .toList());
    }

    @Test
    void deployConcurrencyMustNotCancelInProgress() {
        assertEquals(List.of("5:23 high deploy-concurrency-cancels", "10:27 high deploy-concurrency-cancels"), audit(yaml(
                "permissions: {contents: read}",
                "on: push",
                "concurrency:",
                "  group: deploy",
                "  cancel-in-progress: true",
                "jobs:",
                "  prod:",
                "    environment: production",
                "    concurrency:",
                "      cancel-in-progress: true",
                "      group: prod",
                "    steps:",
                "      - run: ./mvnw -B deploy -Pproduction")));
        assertEquals(List.of(), audit(yaml(
                "permissions: {contents: read}",
                "on: pull_request",
                "concurrency: {group: ci, cancel-in-progress: true}",
                "jobs:",
                "  test:",
                "    steps: [{run: ./mvnw -B verify}]")));
    }

    @Test
    void cachesAreNotRestoredInJobsThatPublishOrDeploy() {
        assertEquals(List.of("7:9 high cache-in-release-path", "9:9 high cache-in-release-path"), audit(yaml(
                "permissions: {contents: read}",
                "on: push",
                "jobs:",
                "  publish:",
                "    environment: production",
                "    steps:",
                "      - uses: actions/setup-java@c5195efecf7bdfc987ee8bae7a71cb8b11521c00",
                "        with: {distribution: temurin, java-version: '17', cache: maven}",
                "      - uses: actions/cache@5a3ec84eff668545956fd18022155c47e93e2684",
                "        with: {path: ~/.m2, key: m2}",
                "      - run: ./mvnw -B deploy -Pproduction",
                "  ci:",
                "    steps:",
                "      - uses: actions/setup-java@c5195efecf7bdfc987ee8bae7a71cb8b11521c00",
                "        with: {distribution: temurin, java-version: '17', cache: maven}",
                "      - run: ./mvnw -B verify")));
    }

    @Test
    void aReleaseOnlyWorkflowPutsEveryJobOnTheReleasePath() {
        assertEquals(List.of("6:9 high cache-in-release-path"), audit(yaml(
                "permissions: {contents: read}",
                "on: {push: {tags: ['v*']}}",
                "jobs:",
                "  build:",
                "    steps:",
                "      - uses: Swatinem/rust-cache@82a92a6e8fbeee089604da2575dc567ae9ddeaab",
                "      - run: make")));
    }

    @Test
    void compositeActionsAreAuditedForStepRules() {
        List<String> found = new WorkflowAudit(List.of()).auditText(".github/actions/x/action.yml", yaml(
                "name: x",
                "inputs:",
                "  ref: {description: which ref}",
                "runs:",
                "  using: composite",
                "  steps:",
                "    - uses: actions/checkout@v4",
                "    - run: git checkout ${{ inputs.ref }} && echo ${{ github.event.issue.title }}",
                "      shell: bash"), false).findings().stream()
                .map(f -> f.line() + ":" + f.column() + " " + f.severity().label() + " " + f.ruleId()).toList();
        assertEquals(List.of("7:7 medium checkout-persist-credentials", "7:13 high unpinned-action",
                "8:29 medium template-injection", "8:55 high template-injection"), found);
    }

    @Test
    void findingsPrintWithPathLineColumnSeverityRuleMessageAndFix() {
        Finding f = new WorkflowAudit(List.of()).auditText(".github/workflows/w.yml",
                yaml("permissions: {}", "on: pull_request_target", "jobs: {}"), true).findings().get(0);
        assertEquals(".github/workflows/w.yml:2:5 [high] dangerous-trigger 'pull_request_target' runs with the base"
                + " repository's secrets and a write token on events that outside contributors cause — "
                + Rule.DANGEROUS_TRIGGER.fix(), f.format());
    }

    @Test
    void invalidYamlNamesFileLineAndFix() {
        DeployerException e = assertThrows(DeployerException.class, () -> audit(yaml("on: push", "jobs:", "  a: [", "b: c")));
        assertTrue(e.location().startsWith(".github/workflows/w.yml:"), e.location());
        assertTrue(e.getMessage().contains("Not valid YAML"), e.getMessage());
    }
}
