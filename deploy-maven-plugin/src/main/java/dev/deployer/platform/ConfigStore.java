package dev.deployer.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.deployer.core.DeployerException;
import dev.deployer.deploy.TargetStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link TargetStore} of Swarm configs: cluster-wide, created atomically by name (409 when it exists), labels
 * for the values and the config data for the payload. Uses the engine API directly, because docker-java does
 * not model config labels and data.
 */
public final class ConfigStore implements TargetStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARKER = "#";
    private final EngineApi api;

    public ConfigStore(Supplier<DockerHttpClient> http) {
        this.api = new EngineApi(http, "as Swarm configs: deploy through a Swarm manager");
    }

    @Override
    public boolean create(String name, Map<String, String> labels, String data) {
        ObjectNode body = JSON.createObjectNode();
        body.put("Name", name);
        body.set("Labels", JSON.valueToTree(labels));
        // Swarm refuses empty config data: every payload is stored behind a one-character marker
        body.put("Data", Base64.getEncoder().encodeToString((MARKER + (data == null ? "" : data)).getBytes(StandardCharsets.UTF_8)));
        EngineApi.Response response = call(DockerHttpClient.Request.Method.POST, "/configs/create", body.toString());
        if (response.status() == 409) {
            return false;
        }
        expect(response, 201, "create config " + name);
        return true;
    }

    @Override
    public Optional<StoredRecord> find(String name) {
        return query("{\"name\":[\"" + name + "\"]}").stream().filter(r -> r.name().equals(name)).findFirst();
    }

    @Override
    public List<StoredRecord> list(String label, String value) {
        return query("{\"label\":[\"" + label + "=" + value + "\"]}");
    }

    @Override
    public boolean remove(String name) {
        EngineApi.Response response = call(DockerHttpClient.Request.Method.DELETE, "/configs/" + encode(name), null);
        if (response.status() == 404) {
            return false;
        }
        expect(response, 204, "remove config " + name);
        return true;
    }

    @Override
    public String describeCreate(String name, Map<String, String> labels, String data) {
        List<String> argv = new ArrayList<>(List.of("docker", "config", "create"));
        labels.forEach((key, value) -> argv.addAll(List.of("--label", key + "=" + value)));
        argv.addAll(List.of(name, "-"));
        return dev.deployer.core.Command.of(argv).display() + (data == null || data.isEmpty()
                ? " < /dev/null" : " <<< '<the stack file, placeholders only>'");
    }

    @Override
    public String describeRemove(String name) {
        return dev.deployer.core.Command.of("docker", "config", "rm", name).display();
    }

    @Override
    public String describeList(String label, String value) {
        return dev.deployer.core.Command.of("docker", "config", "ls", "--filter", "label=" + label + "=" + value).display();
    }

    /** By the config's ID: a config created later under the same name has another ID, and stays. */
    @Override
    public boolean remove(StoredRecord record) {
        EngineApi.Response response = call(DockerHttpClient.Request.Method.DELETE, "/configs/" + encode(record.id()), null);
        if (response.status() == 404) {
            return false;
        }
        expect(response, 204, "remove config " + record.name());
        return true;
    }

    private List<StoredRecord> query(String filters) {
        EngineApi.Response response = call(DockerHttpClient.Request.Method.GET, "/configs?filters=" + encode(filters), null);
        expect(response, 200, "list configs");
        List<StoredRecord> records = new ArrayList<>();
        try {
            for (JsonNode config : JSON.readTree(response.body())) {
                JsonNode spec = config.path("Spec");
                Map<String, String> labels = new HashMap<>();
                spec.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                String data = new String(Base64.getDecoder().decode(spec.path("Data").asText("")), StandardCharsets.UTF_8);
                data = data.startsWith(MARKER) ? data.substring(MARKER.length()) : data;
                records.add(new StoredRecord(config.path("ID").asText(), spec.path("Name").asText(), labels, data, Instant.parse(config.path("CreatedAt").asText())));
            }
        } catch (IOException e) {
            throw DeployerException.of("Cannot read the Swarm configs: " + e.getMessage(), null);
        }
        return records;
    }

    private EngineApi.Response call(DockerHttpClient.Request.Method method, String path, String body) {
        return api.call(method, path, body);
    }

    private void expect(EngineApi.Response response, int status, String what) {
        api.expect(response, status, what);
    }

    private static String encode(String text) {
        return EngineApi.encode(text);
    }
}
