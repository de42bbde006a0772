package dev.deployer.audit;

import java.util.Objects;

/**
 * One audit finding.
 *
 * @param file     the file, relative to the repository root, with forward slashes
 * @param line     1-based line
 * @param column   1-based column
 * @param rule     the rule that found it
 * @param severity how bad it is (usually the rule's severity)
 * @param message  what is wrong here
 * @param fix      what to do about it
 */
public record Finding(String file, int line, int column, Rule rule, Severity severity, String message, String fix) {

    public Finding {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
        }
    }

    public String ruleId() {
        return rule.id();
    }

    /** {@code path:line:col [severity] rule-id message — fix}. */
    public String format() {
        return file + ":" + line + ":" + column + " [" + severity.label() + "] " + rule.id() + " " + message + " — " + fix;
    }

    @Override
    public String toString() {
        return format();
    }
}
