package dev.deployer.audit;

import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.Log;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.stream.Collectors;

/**
 * Runs an audit and reports it: one line per finding ({@code path:line:col [severity] rule-id message — fix}),
 * GitHub annotations, optional SARIF, and a {@link DeployerException} when findings reach the threshold.
 */
public final class AuditRunner {

    /** Workflow directories already audited, per build (keyed weakly by an object that identifies the build). */
    private static final Map<Object, Map<Path, String>> CLAIMS = new WeakHashMap<>();

    private final Log log;
    private final GitHubActions github;

    public AuditRunner(Log log, GitHubActions github) {
        this.log = log;
        this.github = github;
    }

    /**
     * Claims a workflow directory for one module of a build, so that a multi-module build audits it once.
     *
     * @return null when this module is the first to claim it, else the module that already did
     */
    public static String claim(Object build, Path workflowDir, String module) {
        Path key = workflowDir.toAbsolutePath().normalize();
        synchronized (CLAIMS) {
            Map<Path, String> claimed = CLAIMS.computeIfAbsent(build, b -> new HashMap<>());
            String first = claimed.putIfAbsent(key, module);
            return first == null || first.equals(module) ? null : first;
        }
    }

    /** The job summary: one line, and a table of the findings when there are any. */
    static String summary(AuditReport report) {
        StringBuilder md = new StringBuilder("### Workflow audit\n\n").append(report.summary()).append("\n");
        if (!report.findings().isEmpty()) {
            md.append("\n| severity | where | rule | finding | fix |\n|---|---|---|---|---|\n");
            for (Finding f : report.findings()) {
                md.append("| ").append(f.severity().label()).append(" | `").append(f.file()).append(':').append(f.line())
                        .append("` | `").append(f.ruleId()).append("` | ").append(cell(f.message())).append(" | ")
                        .append(cell(f.fix())).append(" |\n");
            }
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    public AuditReport run(AuditRequest request) {
        AuditReport report = new WorkflowAudit(request.ignores(), request.deploySecrets()).audit(request.root(), request.workflowDir());
        log.info("Auditing GitHub workflows in " + request.root().relativize(request.workflowDir().toAbsolutePath().normalize())
                + ": " + String.join(", ", report.files()));
        for (Finding f : report.findings()) {
            switch (f.severity()) {
                case HIGH -> log.error(f.format());
                case MEDIUM -> log.warn(f.format());
                default -> log.info(f.format());
            }
            if (f.severity() == Severity.HIGH) {
                github.error(f.file(), f.line(), f.ruleId() + ": " + f.message() + " — " + f.fix());
            } else if (f.severity() == Severity.MEDIUM) {
                github.warning(f.file(), f.line(), f.ruleId() + ": " + f.message() + " — " + f.fix());
            }
        }
        for (Finding f : report.suppressed()) {
            Ignore why = request.ignores().stream().filter(i -> i.matches(f)).findFirst().orElseThrow();
            log.info("Suppressed " + f.file() + ":" + f.line() + ":" + f.column() + " " + f.ruleId() + " (" + why.reason() + ")");
        }
        for (Ignore unused : report.unusedIgnores()) {
            log.warn("deployer.audit.ignore '" + unused + "' matches no finding: remove it");
        }
        if (request.sarif() != null) {
            Sarif.write(request.sarif(), report.findings(), request.toolVersion());
            log.info("SARIF written to " + request.sarif());
        }
        log.info("Audit: " + report.summary());
        github.summary(summary(report));
        List<Finding> failing = report.atOrAbove(request.failOn());
        if (!failing.isEmpty()) {
            Finding first = failing.get(0);
            throw new DeployerException(failing.size() + " workflow security finding" + (failing.size() == 1 ? "" : "s")
                    + " at or above " + request.failOn().label() + ":\n"
                    + failing.stream().map(f -> "  " + f.format()).collect(Collectors.joining("\n")),
                    first.file() + ":" + first.line() + ":" + first.column(),
                    "fix each finding as described; to accept one deliberately, add"
                            + " deployer.audit.ignore=rule-id:path:reason (see docs/audit.md)");
        }
        return report;
    }
}
