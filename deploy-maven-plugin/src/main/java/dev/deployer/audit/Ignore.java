package dev.deployer.audit;

import dev.deployer.core.DeployerException;
import java.util.Objects;

/**
 * A deliberate suppression of one rule in one file (or {@code *} for every file), with the reason that is
 * printed every time it applies. Written {@code rule-id:path:reason}, e.g.
 * {@code unpinned-action:.github/workflows/ci.yml:actions from our own organisation}.
 *
 * @param rule   the rule suppressed
 * @param file   the file, relative to the repository root, or {@code *}
 * @param reason why it is acceptable (required)
 */
public record Ignore(Rule rule, String file, String reason) {

    public Ignore {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }

    /** Parses {@code rule-id:path:reason}; {@code parameter} names where it came from, for the error. */
    public static Ignore parse(String value, String parameter) {
        String v = value == null ? "" : value.trim();
        String[] parts = v.split(":", 3);
        String example = "write it as rule-id:path:reason, e.g. "
                + "'unpinned-action:.github/workflows/ci.yml:actions from our own organisation'";
        if (parts.length < 3) {
            throw new DeployerException("Ignore entry '" + v + "' needs a rule id, a file and a reason", parameter, example);
        }
        Rule rule = Rule.byId(parts[0].trim());
        if (rule == null) {
            throw new DeployerException("Ignore entry '" + v + "' names unknown rule '" + parts[0].trim() + "'", parameter,
                    "use one of " + String.join(", ", java.util.Arrays.stream(Rule.values()).map(Rule::id).toList()));
        }
        String file = parts[1].trim().replace('\\', '/');
        String reason = parts[2].trim();
        if (file.isEmpty() || reason.isEmpty()) {
            throw new DeployerException("Ignore entry '" + v + "' needs a file and a reason", parameter, example);
        }
        return new Ignore(rule, file, reason);
    }

    public boolean matches(Finding finding) {
        return finding.rule() == rule && (file.equals("*") || file.equals(finding.file()));
    }

    @Override
    public String toString() {
        return rule.id() + ":" + file + ":" + reason;
    }
}
