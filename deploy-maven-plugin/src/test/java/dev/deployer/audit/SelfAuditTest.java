package dev.deployer.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** This repository's own workflows (.github/workflows and the actions they use) pass the audit. */
class SelfAuditTest {

    @Test
    void theRepositorysOwnWorkflowsHaveNoFindings() {
        Path root = WorkflowAudit.gitRoot(Path.of("").toAbsolutePath());
        assertNotNull(root, "the tests run inside the git checkout");
        // As in the example release (example-service/stack), whose templates use $secrets.REDIS_PASSWORD.
        AuditReport report = new WorkflowAudit(List.of(), java.util.Set.of("REDIS_PASSWORD"))
                .audit(root, root.resolve(".github/workflows"));
        assertEquals(List.of(".github/workflows/ci.yml", ".github/workflows/deploy-qa.yml", ".github/workflows/deploy.yml",
                ".github/workflows/deployer.yml", ".github/workflows/release.yml"), report.files());
        assertEquals(List.of(), report.atOrAbove(Severity.HIGH), "high findings in this repository's workflows");
        assertEquals(List.of(), report.findings().stream().map(Finding::format).toList(),
                "this repository's workflows should have no findings at all");
    }

    /** The clean result is not vacuous: weakening the deploy job of the reusable workflow is caught. */
    @Test
    void weakeningTheReusableDeployJobIsCaught() throws IOException {
        Path root = WorkflowAudit.gitRoot(Path.of("").toAbsolutePath());
        String yaml = Files.readString(root.resolve(".github/workflows/deployer.yml"));
        String weakened = yaml.replace("    environment: ${{ inputs.environment }}\n", "")
                .replace("cancel-in-progress: false", "cancel-in-progress: true")
                .replace("persist-credentials: false", "persist-credentials: true")
                .replace("actions/setup-java@c5195efecf7bdfc987ee8bae7a71cb8b11521c00", "actions/setup-java@v4");
        List<String> rules = new WorkflowAudit(List.of()).auditText(".github/workflows/deployer.yml", weakened, true)
                .findings().stream().map(Finding::ruleId).distinct().sorted().toList();
        assertEquals(List.of("checkout-persist-credentials", "deploy-concurrency-cancels", "deploy-without-environment",
                "unpinned-action"), rules);
    }

    /** The deploy-pipeline rules are not vacuous on the real reusable workflow either. */
    @Test
    void leakingOrSpoofingInTheReusableWorkflowIsCaught() throws IOException {
        Path root = WorkflowAudit.gitRoot(Path.of("").toAbsolutePath());
        String yaml = Files.readString(root.resolve(".github/workflows/deployer.yml"));
        String weakened = yaml.replace("    if: inputs.rollback-to == ''\n", "    if: |\n      ${{ inputs.rollback-to == '' }}\n")
                .replace("          echo \"digests=${digests[*]}\" >> \"$GITHUB_OUTPUT\"\n",
                        "          echo \"digests=${digests[*]}\" >> \"$GITHUB_OUTPUT\"\n"
                                + "          echo \"token=$GITHUB_TOKEN\" >> \"$GITHUB_OUTPUT\"\n")
                .replace("./mvnw -B -ntp -pl \"$MODULE\" -am deploy -P", "./mvnw -B -ntp -pl ${{ inputs.module }} -am deploy -P");
        assertNotEquals(yaml, weakened);
        List<String> rules = new WorkflowAudit(List.of()).auditText(".github/workflows/deployer.yml", weakened, true)
                .findings().stream().map(f -> f.severity().label() + " " + f.ruleId()).sorted().toList();
        assertEquals(List.of("high secret-leak", "high template-injection", "high unsound-condition"), rules);
    }

    /** The workflows docs/adopt.md tells service repositories to copy pass the audit too (release SHA filled in). */
    @Test
    void theWorkflowsOfTheAdoptionGuidePass() throws IOException {
        Path root = WorkflowAudit.gitRoot(Path.of("").toAbsolutePath());
        String guide = Files.readString(root.resolve("docs/adopt.md"));
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("```yaml\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(guide);
        int workflows = 0;
        while (block.find()) {
            String yaml = block.group(1).replace("<SHA of v0.1.0>", "0123456789abcdef0123456789abcdef01234567");
            if (!yaml.contains("\non:")) {
                continue;
            }
            workflows++;
            List<String> findings = new WorkflowAudit(List.of()).auditText("docs/adopt.md#workflow-" + workflows, yaml, true)
                    .findings().stream().map(Finding::format).toList();
            assertEquals(List.of(), findings, "workflow " + workflows + " of docs/adopt.md");
        }
        assertEquals(3, workflows, "ci.yml, deploy-qa.yml and deploy.yml in docs/adopt.md");
    }
}
