package dev.deployer.platform.quantum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.DeployerException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One task of a stack as {@code quantum-cli ps --output json} reports it. The JSON shape is an assumption (no
 * public schema exists, see docs/quantum.md). Deployer's assumption is Docker's own task JSON, one object per line
 * as {@code docker stack ps --no-trunc --format '{{json .}}'} prints it: {@code ID}, {@code Name}
 * ({@code <stack>_<service>.<slot>}), {@code Image}, {@code Node}, {@code DesiredState} ({@code Running}),
 * {@code CurrentState} ({@code Running 5 minutes ago}), {@code Error}, {@code Ports}; newest task first within a
 * slot. Also read: a JSON array of such objects, an object with a {@code tasks} array, and camelCase names
 * ({@code service}, {@code image}, {@code desiredState}, {@code state}, {@code createdAt}).
 *
 * @param service       the service name without the stack prefix
 * @param image         the image the task runs, {@code repo:tag@sha256:…} when the platform pinned it
 * @param desiredState  what the orchestrator wants: {@code running}, {@code shutdown}, …
 * @param state         what it is: {@code running}, {@code starting}, {@code failed}, {@code complete}, …
 * @param error         the task's error, empty when none
 * @param createdAt     when the task was created (RFC 3339), empty when unknown (Docker's task JSON has none)
 * @param stateAge      how long ago the task entered its state, as Docker's {@code CurrentState} says it
 *                      ({@code Shutdown 2 hours ago}); null when unknown
 */
public record QuantumTask(String service, String image, String desiredState, String state, String error,
                          String createdAt, java.time.Duration stateAge) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public QuantumTask {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(image, "image");
        desiredState = desiredState == null ? "" : desiredState.toLowerCase(java.util.Locale.ROOT);
        state = state == null ? "" : state.toLowerCase(java.util.Locale.ROOT);
        error = error == null ? "" : error;
        createdAt = createdAt == null ? "" : createdAt;
    }

    public QuantumTask(String service, String image, String desiredState, String state, String error, String createdAt) {
        this(service, image, desiredState, state, error, createdAt, null);
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
     * Parses {@code ps --output json} without knowing the stack (service names from Docker's {@code Name} keep
     * everything before the slot).
     */
    public static List<QuantumTask> parse(String output, String source) {
        return parse(output, source, null);
    }

    /**
     * Parses {@code ps --output json}: Docker's JSON lines, an array, or an object with a {@code tasks} array.
     * Lines before the JSON (a CLI's warnings on stderr) are skipped; no output at all means no task (Docker prints
     * nothing for a stack without tasks). Anything else that is not JSON is an error.
     *
     * @param output  the command's output
     * @param source  the command, for the error message
     * @param stack   the stack, whose {@code <stack>_} prefix Docker's {@code Name} carries; may be null
     */
    public static List<QuantumTask> parse(String output, String source, String stack) {
        if (output.isBlank()) {
            return List.of();
        }
        int start = jsonStart(output);
        if (start < 0) {
            throw DeployerException.of("'" + source + "' printed no JSON: " + abbreviate(output),
                    "check that quantum-cli supports 'ps --output json' (see docs/quantum.md for the JSON Deployer reads)");
        }
        List<JsonNode> roots = readJsonValues(output.substring(start), source);
        List<JsonNode> nodes = new ArrayList<>();
        for (JsonNode root : roots) {
            JsonNode array = root.isArray() ? root : root.has("tasks") ? root.path("tasks") : null;
            if (array == null && root.isObject()) {
                nodes.add(root);
            } else if (array != null && array.isArray()) {
                array.forEach(nodes::add);
            } else {
                throw DeployerException.of("'" + source + "' answered JSON without a list of tasks: " + abbreviate(output),
                        "check the quantum-cli version: Deployer reads Docker's task JSON (see docs/quantum.md)");
            }
        }
        List<QuantumTask> tasks = new ArrayList<>();
        for (JsonNode node : nodes) {
            String service = text(node, "service", "Service", "serviceName", "ServiceName");
            if (service.isEmpty()) {
                service = serviceOfTaskName(text(node, "Name", "name"), stack);
            }
            String image = text(node, "image", "Image");
            if (service.isEmpty() || image.isEmpty()) {
                throw DeployerException.of("'" + source + "' answered a task without service or image: " + node,
                        "check the quantum-cli version: Deployer needs 'Name' (or 'service') and 'Image' per task");
            }
            String current = text(node, "state", "State", "currentState", "CurrentState").strip();
            String[] words = current.split("\\s+", 2);
            tasks.add(new QuantumTask(service, image, text(node, "desiredState", "DesiredState"), words[0],
                    text(node, "error", "Error"), text(node, "createdAt", "CreatedAt"), words.length > 1 ? age(words[1]) : null));
        }
        return tasks;
    }

    /** {@code shop_app.1} → {@code app}; {@code shop_app.<node id>} (global) → {@code app}; "" when empty. */
    static String serviceOfTaskName(String name, String stack) {
        String trimmed = name.strip();
        if (trimmed.startsWith("\\_")) {
            trimmed = trimmed.substring(2).strip(); // the table format's mark of an older task
        }
        int dot = trimmed.lastIndexOf('.');
        String service = dot > 0 ? trimmed.substring(0, dot) : trimmed;
        return stack != null && service.startsWith(stack + "_") ? service.substring(stack.length() + 1) : service;
    }

    private static final java.util.regex.Pattern AGO = java.util.regex.Pattern.compile(
            "(?i)(less than a second|about a minute|about an hour|an hour|a minute|(\\d+) (second|minute|hour|day|week|month|year)s?) ago");

    /** Docker's human duration ({@code 5 minutes ago}, {@code About an hour ago}), roughly; null when it is none. */
    static java.time.Duration age(String text) {
        java.util.regex.Matcher matcher = AGO.matcher(text);
        if (!matcher.find()) {
            return null;
        }
        String phrase = matcher.group(1).toLowerCase(java.util.Locale.ROOT);
        if (phrase.startsWith("less than")) {
            return java.time.Duration.ZERO;
        }
        if (phrase.endsWith("minute")) {
            return java.time.Duration.ofMinutes(1);
        }
        if (phrase.endsWith("hour")) {
            return java.time.Duration.ofHours(1);
        }
        long n = Long.parseLong(matcher.group(2));
        return switch (matcher.group(3).toLowerCase(java.util.Locale.ROOT)) {
            case "second" -> java.time.Duration.ofSeconds(n);
            case "minute" -> java.time.Duration.ofMinutes(n);
            case "hour" -> java.time.Duration.ofHours(n);
            case "day" -> java.time.Duration.ofDays(n);
            case "week" -> java.time.Duration.ofDays(7 * n);
            case "month" -> java.time.Duration.ofDays(30 * n);
            default -> java.time.Duration.ofDays(365 * n);
        };
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

    /** Every JSON value in {@code text}: one (an array, an object) or one per line (Docker's {@code {{json .}}}). */
    private static List<JsonNode> readJsonValues(String text, String source) {
        List<JsonNode> values = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = JSON.readerFor(JsonNode.class).readValues(text)) {
            while (iterator.hasNextValue()) {
                values.add(iterator.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            throw DeployerException.of("'" + source + "' did not answer JSON: " + e.getMessage(),
                    "check that quantum-cli supports 'ps --output json' (see docs/quantum.md for the JSON Deployer reads)");
        }
        return values;
    }
}
