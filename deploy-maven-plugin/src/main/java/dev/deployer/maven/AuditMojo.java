package dev.deployer.maven;

import dev.deployer.audit.AuditRequest;
import dev.deployer.audit.AuditRunner;
import dev.deployer.audit.Ignore;
import dev.deployer.audit.Severity;
import dev.deployer.audit.WorkflowAudit;
import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Audits the repository's GitHub Actions workflows and local composite actions for security problems
 * (dangerous triggers, token permissions, unpinned actions, template injection, unprotected deploys, ...) and
 * fails the build on findings at or above {@code deployer.audit.failOn}. In a multi-module build the repository's
 * workflows are audited once, by the first module that gets to them.
 */
@Mojo(name = "audit", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class AuditMojo extends AbstractDeployerMojo {

    /**
     * The workflow directory to audit. Default: {@code .github/workflows} of the git repository that contains
     * the project (the nearest directory above it that holds {@code .git}).
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.audit.workflowDirectory")
    File workflowDirectory;

    /**
     * Where to write the findings as SARIF 2.1.0 for GitHub code scanning, e.g. {@code target/deployer/audit.sarif}.
     * Not written when unset.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.audit.sarif")
    File sarif;

    /**
     * The severity that fails the build: {@code high}, {@code medium}, {@code low}, {@code info}, or {@code none}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.audit.failOn", defaultValue = "high")
    String failOn;

    /**
     * Deliberate suppressions, each {@code rule-id:path:reason} (path relative to the repository root, or
     * {@code *}); the reason is printed whenever it applies. On the command line, separate entries with commas.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.audit.ignore")
    List<String> ignores;

    /**
     * Skips the audit only (the other goals still run).
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.audit.skip", defaultValue = "false")
    boolean skipAudit;

    /**
     * The service's deploy secrets: the names its templates use as {@code $secrets.NAME} (the same list as
     * {@code deployer:render}'s). A workflow job that reads one of them is a deploy and must name a protected
     * environment. {@code QUANTUM_*} and names containing {@code DEPLOY} or {@code KUBE} always count.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.secrets")
    List<String> secrets;

    /** Where annotations go; tests replace it. */
    GitHubActions github = GitHubActions.fromSystem();

    /** The plugin's version, for SARIF. */
    @Parameter(defaultValue = "${plugin.version}", readonly = true)
    String pluginVersion;

    @Override
    protected boolean annotatesOwnErrors() {
        return true;
    }

    @Override
    protected void run() {
        if (skipAudit) {
            getLog().info("Skipping the workflow audit (deployer.audit.skip=true)");
            return;
        }
        Severity threshold = Severity.parseThreshold(failOn, "deployer.audit.failOn");
        List<Ignore> parsed = ignores == null ? List.of()
                : ignores.stream().filter(s -> !s.isBlank()).map(s -> Ignore.parse(s, "deployer.audit.ignore")).toList();
        Path workflows = workflowDirectory();
        if (workflows == null) {
            getLog().info("No .github/workflows in the git repository of " + project.getBasedir() + ": nothing to audit");
            return;
        }
        String claimedBy = AuditRunner.claim(session.getRequest(), workflows, project.getId());
        if (claimedBy != null) {
            getLog().info("Workflows in " + workflows + " already audited in this build by " + claimedBy);
            return;
        }
        new AuditRunner(log(), github).run(new AuditRequest(WorkflowAudit.rootFor(workflows), workflows,
                parsed, sarif == null ? null : sarif.toPath(), threshold, pluginVersion == null ? "unknown" : pluginVersion,
                secrets == null ? Set.of() : Set.copyOf(secrets)));
    }

    private Path workflowDirectory() {
        if (workflowDirectory != null) {
            if (!workflowDirectory.isDirectory()) {
                throw new DeployerException("Workflow directory " + workflowDirectory + " does not exist",
                        "deployer.audit.workflowDirectory", "point it at the repository's .github/workflows directory");
            }
            return workflowDirectory.toPath().toAbsolutePath().normalize();
        }
        Path root = WorkflowAudit.gitRoot(project.getBasedir().toPath());
        Path workflows = root == null ? null : root.resolve(".github/workflows");
        return workflows != null && Files.isDirectory(workflows) ? workflows : null;
    }
}
