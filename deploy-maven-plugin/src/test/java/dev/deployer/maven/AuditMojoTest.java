package dev.deployer.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deployer:audit} configured from a POM (src/test/resources/audit-mojo/pom.xml) through the harness, on a
 * throw-away repository: a module below the git root audits the root's workflows and fails on a high finding.
 */
@MojoTest
class AuditMojoTest {

    private static final String POM = "src/test/resources/audit-mojo/pom.xml";
    private static final String BAD = String.join("\n",
            "on: pull_request_target",
            "permissions: {}",
            "jobs:",
            "  greet:",
            "    runs-on: ubuntu-24.04",
            "    steps:",
            "      - run: echo \"${{ github.event.pull_request.title }}\"",
            "");

    @TempDir
    Path repo;

    private final List<String> lines = new ArrayList<>();

    /** A repository with .git and one workflow; the project is the module {@code service/} inside it. */
    private void prepare(AuditMojo mojo, String workflow) throws Exception {
        Files.createDirectories(repo.resolve(".git"));
        Files.createDirectories(repo.resolve(".github/workflows"));
        Files.writeString(repo.resolve(".github/workflows/greet.yml"), workflow);
        Files.createDirectories(repo.resolve("service"));
        mojo.project.setFile(repo.resolve("service/pom.xml").toFile());
        mojo.github = new dev.deployer.core.GitHubActions(name -> null, System.out); // no annotations from tests
        mojo.project.getBuild().setDirectory(repo.resolve("service/target").toString());
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add("[INFO] " + content);
            }

            @Override
            public void warn(CharSequence content) {
                lines.add("[WARNING] " + content);
            }

            @Override
            public void error(CharSequence content) {
                lines.add("[ERROR] " + content);
            }
        });
    }

    @Test
    @InjectMojo(goal = "audit", pom = POM)
    void aHighFindingFailsTheBuildWithFileLineRuleAndFix(AuditMojo mojo) throws Exception {
        prepare(mojo, BAD);

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage().startsWith(".github/workflows/greet.yml:1:5: 2 workflow security findings at or above high:\n"
                + "  .github/workflows/greet.yml:1:5 [high] dangerous-trigger 'pull_request_target' runs with the base"
                + " repository's secrets"), e.getMessage());
        assertTrue(e.getMessage().contains("\n  .github/workflows/greet.yml:7:24 [high] template-injection"
                + " ${{ github.event.pull_request.title }} is expanded into the run script before it runs"), e.getMessage());
        assertTrue(e.getMessage().endsWith("\n  Fix: fix each finding as described; to accept one deliberately, add"
                + " deployer.audit.ignore=rule-id:path:reason (see docs/audit.md)"), e.getMessage());
        assertTrue(lines.contains("[INFO] Auditing GitHub workflows in .github/workflows: .github/workflows/greet.yml"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("[ERROR] .github/workflows/greet.yml:7:24 [high] template-injection")),
                lines.toString());
    }

    @Test
    @InjectMojo(goal = "audit", pom = POM)
    void ignoresWithAReasonAndSarifOutput(AuditMojo mojo) throws Exception {
        prepare(mojo, BAD);
        Path sarif = repo.resolve("service/target/deployer/audit.sarif");
        MojoExtension.setVariableValueToObject(mojo, "sarif", sarif.toFile());
        MojoExtension.setVariableValueToObject(mojo, "ignores", List.of(
                "dangerous-trigger:.github/workflows/greet.yml:labels only, never runs PR code",
                "template-injection:*:the title is only echoed in a sandbox"));

        mojo.execute();

        assertTrue(lines.contains("[INFO] Suppressed .github/workflows/greet.yml:1:5 dangerous-trigger (labels only, never runs PR code)"),
                lines.toString());
        assertTrue(lines.contains("[INFO] Audit: 1 file, 0 findings (0 high, 0 medium, 0 low, 0 info), 2 suppressed"), lines.toString());
        JsonNode doc = new ObjectMapper().readTree(sarif.toFile());
        assertEquals("2.1.0", doc.path("version").asText());
        assertEquals(0, doc.path("runs").path(0).path("results").size());
    }

    @Test
    @InjectMojo(goal = "audit", pom = POM)
    void mediumFindingsGoToSarifAndFailOnlyWhenAskedTo(AuditMojo mojo) throws Exception {
        prepare(mojo, BAD.replace("on: pull_request_target", "on: push")
                .replace("github.event.pull_request.title", "github.event.pull_request.number")
                .replace("permissions: {}\n", ""));
        Path sarif = repo.resolve("service/target/deployer/audit.sarif");
        MojoExtension.setVariableValueToObject(mojo, "sarif", sarif.toFile());

        mojo.execute();

        JsonNode result = new ObjectMapper().readTree(sarif.toFile()).path("runs").path(0).path("results").path(0);
        assertEquals("permissions-missing", result.path("ruleId").asText());
        assertEquals("warning", result.path("level").asText());
        assertEquals(".github/workflows/greet.yml", result.at("/locations/0/physicalLocation/artifactLocation/uri").asText());
        assertEquals(3, result.at("/locations/0/physicalLocation/region/startLine").asInt());

        MojoExtension.setVariableValueToObject(mojo, "failOn", "medium");
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> runAsAnotherBuild(mojo));
        assertTrue(e.getMessage().contains("[medium] permissions-missing job 'greet' has no 'permissions'"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "audit", pom = POM)
    void badConfigurationNamesTheParameter(AuditMojo mojo) throws Exception {
        prepare(mojo, BAD);
        MojoExtension.setVariableValueToObject(mojo, "failOn", "severe");
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("<failOn> (-Ddeployer.audit.failOn): Unknown severity 'severe'\n  Fix: use one of high, medium, low, info or none"
                + " (never fail)", e.getMessage());

        MojoExtension.setVariableValueToObject(mojo, "failOn", "high");
        MojoExtension.setVariableValueToObject(mojo, "ignores", List.of("template-injection:*"));
        e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("<ignores> (-Ddeployer.audit.ignore): Ignore entry 'template-injection:*' needs a rule id,"
                + " a file and a reason"), e.getMessage());
    }

    /** The same workflows are audited once per build: a second module of the same build skips them. */
    @Test
    @InjectMojo(goal = "audit", pom = POM)
    void aSecondModuleOfTheSameBuildDoesNotAuditTheSameWorkflowsAgain(AuditMojo mojo) throws Exception {
        prepare(mojo, BAD);
        String first = mojo.project.getId();
        assertThrows(MojoFailureException.class, mojo::execute);
        lines.clear();
        mojo.project.setArtifactId("other-module");

        mojo.execute();

        assertEquals(List.of("[INFO] Workflows in " + repo.resolve(".github/workflows").toAbsolutePath().normalize()
                + " already audited in this build by " + first), lines);
    }

    private static void runAsAnotherBuild(AuditMojo mojo) throws Exception {
        org.apache.maven.execution.DefaultMavenExecutionRequest request = new org.apache.maven.execution.DefaultMavenExecutionRequest();
        MojoExtension.setVariableValueToObject(mojo, "session",
                new org.apache.maven.execution.MavenSession(null, null, request, null));
        mojo.execute();
    }
}
