package dev.deployer.platform.quantum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One installation of the quantum-cli stand-in ({@code src/test/quantum-cli/quantum-cli}) for a test: a
 * {@code quantum-cli} wrapper that selects the flavor, the "platform" file (known endpoints and the SHA-256 of
 * the accepted API key, never the key) and the invocation log, in which the stand-in records each argv.
 */
final class QuantumStandIn {

    static final Path SCRIPT = Path.of("src/test/quantum-cli/quantum-cli").toAbsolutePath();
    static final String ENDPOINT = "tqnt-endpoint";

    final String flavor;
    final Path directory;
    final Path binary;
    final Path log;
    /** where a hung invocation writes "its pid, its sleeping child's pid" (a stand-in with the hang fault) */
    final Path hung;
    final String apiKey = "tqnt-key-" + UUID.randomUUID();

    private QuantumStandIn(String flavor, Path directory) {
        this.flavor = flavor;
        this.directory = directory;
        this.binary = directory.resolve("quantum-cli");
        this.log = directory.resolve("invocations.log");
        this.hung = directory.resolve("hung.pids");
    }

    /** Installs the stand-in of {@code flavor} under {@code target/quantum-standin/<name>}. */
    static QuantumStandIn install(String name, String flavor) {
        return install(name, flavor, "");
    }

    /**
     * The same with a fault for the stand-in alone: {@code faultSettings} are more of its variables, e.g.
     * {@code QUANTUM_STANDIN_FAULT=hang:ps QUANTUM_STANDIN_FAULT_AFTER_DEPLOYS=1} (see the stand-in's own doc).
     */
    static QuantumStandIn install(String name, String flavor, String faultSettings) {
        if (!Files.isExecutable(SCRIPT)) {
            throw new AssertionError("The quantum-cli stand-in is missing or not executable: " + SCRIPT);
        }
        QuantumStandIn standIn = new QuantumStandIn(flavor, Path.of("target", "quantum-standin", name).toAbsolutePath());
        try {
            Files.createDirectories(standIn.directory);
            Path platform = standIn.directory.resolve("platform.json");
            Files.writeString(platform, "{\"endpoints\": [\"" + ENDPOINT + "\", \"tqnt-other\"], \"apiKeys\": [\""
                    + sha256(standIn.apiKey) + "\"], \"users\": {}}\n");
            Files.deleteIfExists(standIn.log);
            Files.deleteIfExists(standIn.hung);
            Files.writeString(standIn.binary, "#!/bin/sh\n"
                    + "# the quantum-cli stand-in, flavor " + flavor + " (written by QuantumStandIn)\n"
                    + "QUANTUM_CLI_FLAVOR=" + flavor + " QUANTUM_STANDIN_PLATFORM='" + platform + "' QUANTUM_STANDIN_LOG='"
                    + standIn.log + "' QUANTUM_STANDIN_HUNG='" + standIn.hung + "' " + faultSettings
                    + (faultSettings.isEmpty() ? "" : " ") + "exec /usr/bin/python3 '" + SCRIPT + "' \"$@\"\n");
            Files.setPosixFilePermissions(standIn.binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return standIn;
    }

    /** The environment a deploy with this stand-in sees: the binary, the key, the endpoint. */
    Map<String, String> environment() {
        return Map.of(dev.deployer.deploy.fixture.Scenario.QUANTUM_CLI, binary.toString(), "QUANTUM_API_KEY", apiKey,
                "QUANTUM_ENDPOINT", ENDPOINT);
    }

    /**
     * The same, with {@code DOCKER_HOST} naming the engine of the stand-in's Swarm (the test's own, or the local
     * socket): the target keeps its lock and history there as Swarm configs, as it does with a manager of a real
     * endpoint's Swarm.
     */
    Map<String, String> environmentWithEngine() {
        Map<String, String> env = new java.util.HashMap<>(environment());
        String dockerHost = System.getenv("DOCKER_HOST");
        env.put("DOCKER_HOST", dockerHost == null || dockerHost.isBlank() ? "unix:///var/run/docker.sock" : dockerHost);
        return env;
    }

    /** The pids of the hung invocations and of their sleeping children, in the order they hung. */
    List<Long> hungProcesses() {
        if (!Files.exists(hung)) {
            return List.of();
        }
        try {
            return Files.readAllLines(hung, StandardCharsets.UTF_8).stream()
                    .flatMap(line -> java.util.Arrays.stream(line.trim().split(" "))).map(Long::parseLong).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every argv the stand-in was run with, in order. */
    List<List<String>> invocations() {
        List<List<String>> result = new ArrayList<>();
        if (!Files.exists(log)) {
            return result;
        }
        try {
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                List<String> argv = new ArrayList<>();
                for (JsonNode word : json.readTree(line).path("argv")) {
                    argv.add(word.asText());
                }
                result.add(argv);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /** The invocations that start with {@code words} (e.g. {@code "stacks", "update"}). */
    List<List<String>> invocations(String... words) {
        return invocations().stream().filter(argv -> argv.size() >= words.length
                && argv.subList(0, words.length).equals(List.of(words))).toList();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
