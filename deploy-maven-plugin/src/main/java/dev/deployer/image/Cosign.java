package dev.deployer.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cosign's key-based signature format: a "simple signing" JSON payload naming the image's manifest digest, signed
 * with ECDSA P-256 (DER, base64 in the layer annotation {@code dev.cosignproject.cosign/signature}), stored as a layer
 * of type {@code application/vnd.dev.cosign.simplesigning.v1+json} of the artifact tagged {@code sha256-<hex>.sig}.
 * {@code cosign verify --key signing.pub --insecure-ignore-tlog <image>@<digest>} reads what this writes (no
 * transparency log: the key alone is the trust).
 */
final class Cosign {

    static final String PAYLOAD_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    static final String SUFFIX = "sig";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Cosign() {
    }

    /** The simple-signing payload for {@code repository@digest}. */
    static byte[] payload(String repository, String digest) {
        ObjectNode payload = JSON.createObjectNode();
        ObjectNode critical = payload.putObject("critical");
        critical.putObject("identity").put("docker-reference", repository);
        critical.putObject("image").put("docker-manifest-digest", digest);
        critical.put("type", "cosign container image signature");
        payload.putNull("optional");
        return payload.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The digest a payload names, or empty when it is no simple-signing payload. */
    static Optional<String> signedDigest(byte[] payload) {
        try {
            JsonNode json = JSON.readTree(payload);
            String digest = json.path("critical").path("image").path("docker-manifest-digest").asText("");
            return digest.isEmpty() ? Optional.empty() : Optional.of(digest);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** One signature found on the registry: its payload and signature bytes. */
    record Found(byte[] payload, byte[] signature, JsonNode layer) {

        boolean verifies(PublicKey key) {
            return SigningKey.verify(key, payload, signature);
        }
    }

    /** Every signature layer of the {@code .sig} artifact of {@code digest} (none when unsigned). */
    static List<Found> signatures(OciArtifacts artifacts, String digest) {
        List<Found> found = new ArrayList<>();
        artifacts.find(digest, SUFFIX).ifPresent(manifest -> {
            for (JsonNode layer : manifest.json().path("layers")) {
                String signature = layer.path("annotations").path(SIGNATURE_ANNOTATION).asText("");
                if (!PAYLOAD_TYPE.equals(layer.path("mediaType").asText()) || signature.isEmpty()) {
                    continue;
                }
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(signature);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                found.add(new Found(artifacts.content(layer), bytes, layer));
            }
        });
        return found;
    }

    /**
     * Signs {@code repository@digest} unless a signature by this key is already there; keeps the signatures already
     * attached (cosign appends too). Returns true when a signature was added.
     */
    static boolean sign(OciArtifacts artifacts, String repository, String digest, SigningKey key) {
        PublicKey publicKey = key.publicKey();
        List<Found> existing = signatures(artifacts, digest);
        for (Found found : existing) {
            if (found.verifies(publicKey) && Optional.of(digest).equals(signedDigest(found.payload()))) {
                return false;
            }
        }
        List<OciArtifacts.Layer> layers = new ArrayList<>();
        for (Found found : existing) {
            layers.add(new OciArtifacts.Layer(PAYLOAD_TYPE, found.payload(), Map.of(SIGNATURE_ANNOTATION,
                    Base64.getEncoder().encodeToString(found.signature()))));
        }
        byte[] payload = payload(repository, digest);
        layers.add(new OciArtifacts.Layer(PAYLOAD_TYPE, payload,
                Map.of(SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(key.sign(payload)))));
        artifacts.put(digest, SUFFIX, PAYLOAD_TYPE, layers);
        return true;
    }
}
