package dev.deployer.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.deployer.core.DeployerException;
import dev.deployer.deploy.TargetStore;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A {@link TargetStore} of named Docker volumes with labels, for targets without Swarm (Compose): the volume's
 * name is the record's name, its labels carry the values and, in {@value #DATA_LABEL}, the payload. Nothing is
 * ever written into a volume and no container mounts one.
 *
 * <p>Why volumes: they survive {@code docker container prune} and {@code docker system prune} (which, without
 * {@code --volumes}, deletes stopped containers, unused networks, dangling images and build cache), so a lock or a
 * history entry cannot vanish under a running deploy when someone cleans up the engine. Only
 * {@code docker volume prune} (and {@code system prune --volumes}) deletes them, as it deletes every unused
 * volume. The stopped containers Deployer used before did not survive a container prune.
 *
 * <p>Atomic creation: the engine creates a volume under a per-name lock and, when the name exists, answers with
 * the existing volume (201, its own labels) instead of an error. Each create therefore carries a fresh random
 * {@value #ID_LABEL}; the record was created by this call exactly when the answer carries that same value.
 * That value is also the record's {@link StoredRecord#id() id}: {@link #remove(StoredRecord)} removes the volume
 * only while it still carries it.
 *
 * <p>Records kept by earlier versions as created, never started containers ({@link ContainerStore}) are still
 * read by {@link #list} and removed by {@link #remove(String)}, so the history survives the upgrade.
 */
public final class VolumeStore implements TargetStore {

    static final String DATA_LABEL = "dev.deployer.data";
    static final String RECORD_LABEL = "dev.deployer.record";
    static final String ID_LABEL = "dev.deployer.record-id";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineApi api;
    private final TargetStore legacy;

    /**
     * @param http   the engine's raw HTTP client
     * @param legacy the store earlier versions kept records in, read and cleaned up too; null for none
     */
    public VolumeStore(Supplier<DockerHttpClient> http, TargetStore legacy) {
        this.api = new EngineApi(http, "as Docker volumes (docker volume ls --filter label=dev.deployer.kind)");
        this.legacy = legacy;
    }

    @Override
    public boolean create(String name, Map<String, String> labels, String data) {
        String id = UUID.randomUUID().toString();
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(RECORD_LABEL, name);
        all.put(ID_LABEL, id);
        all.put(DATA_LABEL, data == null ? "" : data);
        ObjectNode body = JSON.createObjectNode();
        body.put("Name", name);
        body.put("Driver", "local");
        body.set("Labels", JSON.valueToTree(all));
        EngineApi.Response response = api.call(DockerHttpClient.Request.Method.POST, "/volumes/create", body.toString());
        if (response.status() == 409) {
            return false; // a volume of that name with another driver
        }
        api.expect(response, 201, "create volume " + name);
        return id.equals(read(response.body()).path("Labels").path(ID_LABEL).asText(null));
    }

    @Override
    public Optional<StoredRecord> find(String name) {
        EngineApi.Response response = api.call(DockerHttpClient.Request.Method.GET, "/volumes/" + EngineApi.encode(name), null);
        if (response.status() == 404) {
            return Optional.empty();
        }
        api.expect(response, 200, "inspect volume " + name);
        return record(read(response.body()));
    }

    @Override
    public List<StoredRecord> list(String label, String value) {
        String filters = JSON.createObjectNode().set("label", JSON.createArrayNode().add(label + "=" + value)).toString();
        EngineApi.Response response = api.call(DockerHttpClient.Request.Method.GET, "/volumes?filters=" + EngineApi.encode(filters), null);
        api.expect(response, 200, "list volumes");
        List<StoredRecord> records = new ArrayList<>();
        for (JsonNode volume : read(response.body()).path("Volumes")) {
            record(volume).ifPresent(records::add);
        }
        if (legacy != null) {
            records.addAll(legacy.list(label, value));
        }
        return records;
    }

    @Override
    public boolean remove(String name) {
        boolean removed = delete(name);
        if (legacy != null && legacy.find(name).isPresent()) {
            removed |= legacy.remove(name);
        }
        return removed;
    }

    /** Only while the volume still carries the record's {@value #ID_LABEL}; a legacy record by its container ID. */
    @Override
    public boolean remove(StoredRecord record) {
        Optional<StoredRecord> now = find(record.name());
        if (now.isPresent()) {
            return now.get().id().equals(record.id()) && delete(record.name());
        }
        return legacy != null && legacy.remove(record);
    }

    private boolean delete(String name) {
        EngineApi.Response response = api.call(DockerHttpClient.Request.Method.DELETE, "/volumes/" + EngineApi.encode(name), null);
        if (response.status() == 404) {
            return false;
        }
        api.expect(response, 204, "remove volume " + name);
        return true;
    }

    @Override
    public String describeCreate(String name, Map<String, String> labels, String data) {
        List<String> argv = new ArrayList<>(List.of("docker", "volume", "create"));
        labels.forEach((key, value) -> argv.addAll(List.of("--label", key + "=" + value)));
        argv.addAll(List.of("--label", RECORD_LABEL + "=" + name, "--label", ID_LABEL + "=<random>", "--label",
                DATA_LABEL + "=" + (data == null || data.isEmpty() ? "" : "<the stack file, placeholders only>"), name));
        return dev.deployer.core.Command.of(argv).display();
    }

    @Override
    public String describeRemove(String name) {
        return dev.deployer.core.Command.of("docker", "volume", "rm", name).display();
    }

    @Override
    public String describeList(String label, String value) {
        return dev.deployer.core.Command.of("docker", "volume", "ls", "--filter", "label=" + label + "=" + value).display();
    }

    /** A volume as a record; empty for a volume that is not one of Deployer's records. */
    private static Optional<StoredRecord> record(JsonNode volume) {
        Map<String, String> labels = new HashMap<>();
        volume.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        String name = labels.remove(RECORD_LABEL);
        if (name == null || !name.equals(volume.path("Name").asText())) {
            return Optional.empty();
        }
        String id = labels.remove(ID_LABEL);
        String data = labels.remove(DATA_LABEL);
        return Optional.of(new StoredRecord(id, name, labels, data, created(volume.path("CreatedAt").asText(""))));
    }

    private static Instant created(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw DeployerException.of("The Docker engine answered no JSON: " + e.getMessage(), null);
        }
    }
}
