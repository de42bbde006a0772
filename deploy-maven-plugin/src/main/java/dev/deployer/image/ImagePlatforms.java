package dev.deployer.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.DeployerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The platforms of an exact image ({@code repository@digest}), for the architecture check before a deploy: from
 * {@code image.json} when it describes that digest, else from the registry (an index lists its platforms; a single
 * image's config names its {@code os}/{@code architecture}/{@code variant}). Only reads.
 */
public final class ImagePlatforms {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryProbe probe;
    private final CredentialChain credentials;

    public ImagePlatforms(RegistryProbe probe, CredentialChain credentials) {
        this.probe = probe;
        this.credentials = credentials;
    }

    /** The platforms {@code image.json} records for {@code digest} (a multi-platform build), else empty. */
    public static Optional<List<String>> fromImageJson(Path imageJson, String digest) {
        if (!Files.isRegularFile(imageJson)) {
            return Optional.empty();
        }
        ImageResult result = ImageResult.read(imageJson);
        if (!result.digest().equals(digest) || !result.multiPlatform()) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(result.platforms().keySet()));
    }

    /** Asks the registry: {@code repository} is {@code host[:port]/path}, {@code digest} {@code sha256:...}. */
    public List<String> fromRegistry(String repository, String digest) {
        RegistryProbe.Reading reading = probe.read(repository, credentials, "deployer.image");
        RegistryManifests manifests = new RegistryManifests(reading.session());
        RegistryManifests.Manifest manifest = manifests.get(reading.path(), digest)
                .orElseThrow(() -> new DeployerException("The registry has no image " + repository + "@" + digest,
                        "deployer.image", "build and push it first (deployer:build), or deploy a tag that exists"));
        if (manifest.isIndex()) {
            return List.copyOf(manifest.platforms().keySet());
        }
        String config = manifest.json().path("config").path("digest").asText("");
        if (config.isEmpty()) {
            throw new DeployerException("The manifest " + repository + "@" + digest + " names no config",
                    "deployer.image", "push the image again with a current tool");
        }
        try {
            JsonNode json = JSON.readTree(manifests.blob(reading.path(), config));
            String variant = json.path("variant").asText("");
            List<String> platforms = new ArrayList<>();
            platforms.add(json.path("os").asText("linux") + "/" + json.path("architecture").asText("amd64")
                    + (variant.isEmpty() ? "" : "/" + variant));
            return platforms;
        } catch (IOException e) {
            throw new DeployerException("The config of " + repository + "@" + digest + " is not JSON", "deployer.image",
                    "check the registry is healthy");
        }
    }
}
