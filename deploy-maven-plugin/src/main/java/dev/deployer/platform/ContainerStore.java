package dev.deployer.platform;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import dev.deployer.core.DeployerException;
import dev.deployer.deploy.TargetStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Deployer's first {@link TargetStore} for Compose, replaced by {@link VolumeStore} because
 * {@code docker container prune} deletes its records: still read by it, so older histories stay. Created, never started containers: the name is the record's name (creation fails
 * atomically with 409 when it exists), labels carry the values and the label {@code dev.deployer.data} the
 * payload. They show in {@code docker ps -a} with status "Created", use no CPU or memory, and live on the
 * engine the stack runs on, so every machine that deploys there sees them.
 */
public final class ContainerStore implements TargetStore {

    static final String DATA_LABEL = "dev.deployer.data";
    static final String RECORD_LABEL = "dev.deployer.record";

    private final Supplier<DockerClient> docker;

    public ContainerStore(Supplier<DockerClient> docker) {
        this.docker = docker;
    }

    @Override
    public boolean create(String name, Map<String, String> labels, String data) {
        Map<String, String> all = new HashMap<>(labels);
        all.put(RECORD_LABEL, name);
        all.put(DATA_LABEL, data == null ? "" : data);
        try {
            docker.get().createContainerCmd(anyLocalImage())
                    .withName(name)
                    .withLabels(all)
                    .withEntrypoint("/deployer-record-never-started")
                    .withNetworkDisabled(true)
                    .exec();
            return true;
        } catch (ConflictException e) {
            return false;
        }
    }

    @Override
    public Optional<StoredRecord> find(String name) {
        return list(RECORD_LABEL, name).stream().filter(r -> r.name().equals(name)).findFirst();
    }

    @Override
    public List<StoredRecord> list(String label, String value) {
        List<Container> containers = docker.get().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(label, value)).exec();
        return containers.stream()
                .filter(c -> c.getLabels() != null && c.getLabels().containsKey(RECORD_LABEL))
                .map(c -> {
                    Map<String, String> labels = new HashMap<>(c.getLabels());
                    String data = labels.remove(DATA_LABEL);
                    String name = labels.remove(RECORD_LABEL);
                    return new StoredRecord(c.getId(), name, labels, data, Instant.ofEpochSecond(c.getCreated() == null ? 0 : c.getCreated()));
                })
                .toList();
    }

    @Override
    public boolean remove(String name) {
        try {
            docker.get().removeContainerCmd(name).withForce(true).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public String describeCreate(String name, Map<String, String> labels, String data) {
        List<String> argv = new ArrayList<>(List.of("docker", "create", "--name", name));
        labels.forEach((key, value) -> argv.addAll(List.of("--label", key + "=" + value)));
        argv.addAll(List.of("--label", RECORD_LABEL + "=" + name, "--label", DATA_LABEL + "=" + dataLabel(data),
                "--network", "none", "--entrypoint", "/deployer-record-never-started"));
        return dev.deployer.core.Command.of(argv).display() + " <any local image>";
    }

    @Override
    public String describeRemove(String name) {
        return dev.deployer.core.Command.of("docker", "rm", "-f", name).display();
    }

    @Override
    public String describeList(String label, String value) {
        return dev.deployer.core.Command.of("docker", "ps", "-a", "--filter", "label=" + label + "=" + value).display();
    }

    private static String dataLabel(String data) {
        return data == null || data.isEmpty() ? "" : "<the stack file, placeholders only>";
    }

    /** By the container's ID: a container created later under the same name has another ID, and stays. */
    @Override
    public boolean remove(StoredRecord record) {
        try {
            docker.get().removeContainerCmd(record.id()).withForce(true).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** A record container needs an image to be created from; it is never started, so any local image will do. */
    private String anyLocalImage() {
        List<Image> images = docker.get().listImagesCmd().exec();
        return images.stream()
                .filter(i -> i.getRepoTags() != null && i.getRepoTags().length > 0 && !i.getRepoTags()[0].startsWith("<none>"))
                .map(i -> i.getRepoTags()[0])
                .sorted()
                .findFirst()
                .orElseThrow(() -> DeployerException.of("The Docker engine has no image at all, so Deployer cannot create its"
                        + " lock and history records (stopped containers) on it", "pull any image on the engine first, e.g. docker pull <your image>"));
    }
}
