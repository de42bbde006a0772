package dev.deployer.platform.quantum;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.core.DeployerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One task of a stack as {@code quantum-cli ps --output json} reports it. The JSON shape is an assumption
 * (no public schema exists, see docs/quantum.md): an array of objects, or an object with a {@code tasks}
 * array; field names are read in camelCase or Docker's PascalCase.
 *
 * @param service       the service name without the stack prefix
 * @param image         the image the task runs, {@code repo:tag@sha256:…} when the platform pinned it
 * @param desiredState  what the orchestrator wants: {@code running}, {@code shutdown}, …
 * @param state         what it is: {@code running}, {@code starting}, {@code failed}, {@code complete}, …
 * @param error         the task's error, empty when none
 * @param createdAt     when the task was created (RFC 3339), empty when unknown
 */
public record QuantumTask(String service, String image, String desiredState, String state, String error,
                          String createdAt) {

    public QuantumTask {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(image, "image");
        desiredState = desiredState == null ? "" : desiredState.toLowerCase(java.util.Locale.ROOT);
        state = state == null ? "" : state.toLowerCase(java.util.Locale.ROOT);
        error = error == null ? "" : error;
        createdAt = createdAt == null ? "" : createdAt;
    }

    /** The orchestrator wants it running. */
    public boolean wanted() {
        return desiredState.equals("running");
    }

    public boolean running() {
        return state.equals("running");
    }

    /** It ended by itself or never started: a failure for a long-running service. */
    public boolean ended() {
        return state.equals("failed") || state.equals("rejected") || state.equals("complete");
    }

    /** The digest pinned in {@link #image()}, or null. */
    public String digest() {
        return dev.deployer.core.ImageRef.digestOf(image);
    }

    /** {@link #image()} without its digest. */
    public String imageWithoutDigest() {
        return dev.deployer.core.ImageRef.withoutDigest(image);
    }

    /**
     * Parses {@code ps --output json}. Lines before the JSON (a CLI's warnings on stderr) are skipped.
     *
     * @param output  the command's output
     * @param source  the command, for the error message
     */
    public static List<QuantumTask> parse(String output, String source) {
        int start = jsonStart(output);
        if (start < 0) {
            throw DeployerException.of("'" + source + "' printed no JSON: " + abbreviate(output),
                    "check that quantum-cli supports 'ps --output json' (quantum-cli 2 or later)");
        }
        JsonNode root = QuantumCli.readJson(output.substring(start), source);
        JsonNode array = root.isArray() ? root : root.path("tasks");
        if (!array.isArray()) {
            throw DeployerException.of("'" + source + "' answered JSON without a list of tasks: " + abbreviate(output),
                    "check the quantum-cli version: Deployer reads an array of tasks (see docs/quantum.md)");
        }
        List<QuantumTask> tasks = new ArrayList<>();
        for (JsonNode node : array) {
            String service = text(node, "service", "Service", "serviceName", "ServiceName");
            String image = text(node, "image", "Image");
            if (service.isEmpty() || image.isEmpty()) {
                throw DeployerException.of("'" + source + "' answered a task without service or image: " + node,
                        "check the quantum-cli version: Deployer needs 'service' and 'image' per task");
            }
            tasks.add(new QuantumTask(service, image, text(node, "desiredState", "DesiredState"),
                    text(node, "state", "State", "currentState", "CurrentState"), text(node, "error", "Error"),
                    text(node, "createdAt", "CreatedAt")));
        }
        return tasks;
    }

    private static int jsonStart(String output) {
        int offset = 0;
        for (String line : output.split("\n", -1)) {
            String trimmed = line.stripLeading();
            if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
                return offset + (line.length() - trimmed.length());
            }
            offset += line.length() + 1;
        }
        return -1;
    }

    private static String text(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull()) {
                return value.asText();
            }
        }
        return "";
    }

    private static String abbreviate(String text) {
        String stripped = text.strip();
        return stripped.length() > 300 ? stripped.substring(0, 300) + "…" : stripped;
    }
}
