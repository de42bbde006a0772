package dev.deployer.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deployer.core.DeployerException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Artifacts attached to an image digest in its repository, the way cosign and most registries' tooling find them:
 * an OCI image manifest whose layer is the artifact, tagged {@code sha256-<hex>.<suffix>} ({@code .sbom}, {@code .sig}:
 * the tag convention for registries without the OCI 1.1 referrers API, such as CNCF distribution 2.8) and carrying
 * a {@code subject} naming the image, so that a registry with the referrers API lists it there as well.
 */
final class OciArtifacts {

    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One layer of an artifact manifest.
     *
     * @param mediaType   e.g. {@code application/vnd.cyclonedx+json}
     * @param content     the bytes
     * @param annotations the layer's annotations (cosign's signature goes here)
     */
    record Layer(String mediaType, byte[] content, Map<String, String> annotations) {
    }

    private final RegistryManifests manifests;
    private final String repository;

    OciArtifacts(RegistryManifests manifests, String repository) {
        this.manifests = manifests;
        this.repository = repository;
    }

    /** {@code sha256-<hex>.<suffix>}. */
    static String tag(String digest, String suffix) {
        return digest.replace(':', '-') + "." + suffix;
    }

    /** The artifact manifest under {@code sha256-<hex>.<suffix>}, if any. */
    Optional<RegistryManifests.Manifest> find(String digest, String suffix) {
        return manifests.get(repository, tag(digest, suffix));
    }

    /** A layer's content, checked against its digest. */
    byte[] content(JsonNode layer) {
        return manifests.blob(repository, layer.path("digest").asText());
    }

    /**
     * Puts an artifact manifest of {@code layers} for {@code subjectDigest} under {@code sha256-<hex>.<suffix>},
     * replacing what the tag named; returns the artifact manifest's digest.
     */
    String put(String subjectDigest, String suffix, String artifactType, List<Layer> layers) {
        RegistryManifests.Manifest subject = manifests.get(repository, subjectDigest).orElseThrow(() ->
                new DeployerException("The registry has no " + repository + "@" + subjectDigest + " to attach the "
                        + suffix + " to", "deployer.image", "push the image first"));
        List<String> diffIds = new ArrayList<>();
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", RegistryManifests.OCI_MANIFEST);
        manifest.put("artifactType", artifactType);
        ArrayNode layerArray = JSON.createArrayNode();
        for (Layer layer : layers) {
            String digest = manifests.putBlob(repository, layer.content());
            diffIds.add(digest);
            ObjectNode descriptor = layerArray.addObject();
            descriptor.put("mediaType", layer.mediaType());
            descriptor.put("size", layer.content().length);
            descriptor.put("digest", digest);
            if (!layer.annotations().isEmpty()) {
                ObjectNode annotations = descriptor.putObject("annotations");
                layer.annotations().forEach(annotations::put);
            }
        }
        // a minimal image config, as cosign writes it: clients that treat the artifact as an image stay happy
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "");
        config.put("os", "");
        config.putObject("config");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(ids::add);
        byte[] configBytes = config.toString().getBytes(StandardCharsets.UTF_8);
        ObjectNode configDescriptor = manifest.putObject("config");
        configDescriptor.put("mediaType", CONFIG_TYPE);
        configDescriptor.put("size", configBytes.length);
        configDescriptor.put("digest", manifests.putBlob(repository, configBytes));
        manifest.set("layers", layerArray);
        ObjectNode subjectDescriptor = manifest.putObject("subject");
        subjectDescriptor.put("mediaType", subject.mediaType());
        subjectDescriptor.put("size", subject.bytes().length);
        subjectDescriptor.put("digest", subject.digest());
        return manifests.putManifest(repository, tag(subjectDigest, suffix), RegistryManifests.OCI_MANIFEST,
                manifest.toString().getBytes(StandardCharsets.UTF_8));
    }
}
