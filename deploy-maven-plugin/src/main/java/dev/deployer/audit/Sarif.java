package dev.deployer.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes findings as SARIF 2.1.0, the format GitHub code scanning uploads
 * ({@code github/codeql-action/upload-sarif}). Paths are relative to the repository root ({@code %SRCROOT%}).
 */
public final class Sarif {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Sarif() {
    }

    /** The SARIF document for these findings (all rules are listed, so code scanning can close fixed alerts). */
    public static ObjectNode document(List<Finding> findings, String toolVersion) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "deployer-audit");
        driver.put("version", toolVersion);
        ArrayNode rules = driver.putArray("rules");
        for (Rule rule : Rule.values()) {
            ObjectNode r = rules.addObject();
            r.put("id", rule.id());
            r.put("name", rule.name());
            r.putObject("shortDescription").put("text", rule.description());
            r.putObject("fullDescription").put("text", rule.description() + ".");
            r.putObject("help").put("text", "Fix: " + rule.fix());
            r.putObject("defaultConfiguration").put("level", rule.severity().sarifLevel());
            ObjectNode props = r.putObject("properties");
            props.put("security-severity", rule.severity().securitySeverity());
            props.putArray("tags").add("security").add("github-actions");
        }
        run.putObject("originalUriBaseIds").putObject("%SRCROOT%").put("uri", "file:///");
        ArrayNode results = run.putArray("results");
        for (Finding f : findings) {
            ObjectNode result = results.addObject();
            result.put("ruleId", f.ruleId());
            result.put("ruleIndex", f.rule().ordinal());
            result.put("level", f.severity().sarifLevel());
            result.putObject("message").put("text", f.message() + ". Fix: " + f.fix());
            ObjectNode location = result.putArray("locations").addObject().putObject("physicalLocation");
            ObjectNode artifact = location.putObject("artifactLocation");
            artifact.put("uri", f.file());
            artifact.put("uriBaseId", "%SRCROOT%");
            ObjectNode region = location.putObject("region");
            region.put("startLine", f.line());
            region.put("startColumn", f.column());
            result.putObject("properties").put("severity", f.severity().label());
        }
        return root;
    }

    /** Writes the document to {@code file}, creating its directory. */
    public static void write(Path file, List<Finding> findings, String toolVersion) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            JSON.writeValue(file.toFile(), document(findings, toolVersion));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write SARIF to " + file, e);
        }
    }
}
