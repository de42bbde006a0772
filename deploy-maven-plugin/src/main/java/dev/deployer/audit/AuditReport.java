package dev.deployer.audit;

import java.util.Comparator;
import java.util.List;

/**
 * What an audit found.
 *
 * @param files          the files audited, relative to the repository root
 * @param findings       findings that count, sorted by file, line, column
 * @param suppressed     findings an {@link Ignore} matched
 * @param unusedIgnores  ignores that matched nothing (stale configuration)
 */
public record AuditReport(List<String> files, List<Finding> findings, List<Finding> suppressed, List<Ignore> unusedIgnores) {

    static final Comparator<Finding> ORDER = Comparator.comparing(Finding::file)
            .thenComparingInt(Finding::line).thenComparingInt(Finding::column).thenComparing(Finding::ruleId);

    public AuditReport {
        files = List.copyOf(files);
        findings = findings.stream().sorted(ORDER).toList();
        suppressed = suppressed.stream().sorted(ORDER).toList();
        unusedIgnores = List.copyOf(unusedIgnores);
    }

    /** Findings at or above a severity (none when {@code threshold} is null). */
    public List<Finding> atOrAbove(Severity threshold) {
        return threshold == null ? List.of() : findings.stream().filter(f -> f.severity().atLeast(threshold)).toList();
    }

    public long count(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }

    /** One line: {@code 3 files, 2 findings (1 high, 1 medium), 1 suppressed}. */
    public String summary() {
        return files.size() + " file" + (files.size() == 1 ? "" : "s") + ", " + findings.size() + " finding"
                + (findings.size() == 1 ? "" : "s") + " (" + count(Severity.HIGH) + " high, " + count(Severity.MEDIUM)
                + " medium, " + count(Severity.LOW) + " low, " + count(Severity.INFO) + " info), "
                + suppressed.size() + " suppressed";
    }
}
