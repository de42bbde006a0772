package dev.deployer.audit;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.Objects;

/**
 * One audit to run.
 *
 * @param root        the repository root; finding paths are relative to it
 * @param workflowDir the workflow directory (usually {@code root/.github/workflows})
 * @param ignores     deliberate suppressions
 * @param sarif       where to write SARIF, or null for none
 * @param failOn      the severity that fails the build, or null to never fail
 * @param toolVersion the plugin's version, for SARIF
 * @param deploySecrets the service's deploy secret names (reading one makes a job a deploy)
 */
public record AuditRequest(Path root, Path workflowDir, List<Ignore> ignores, Path sarif, Severity failOn, String toolVersion,
        Set<String> deploySecrets) {

    public AuditRequest {
        deploySecrets = Set.copyOf(deploySecrets);
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(workflowDir, "workflowDir");
        ignores = List.copyOf(ignores);
        Objects.requireNonNull(toolVersion, "toolVersion");
    }
}
