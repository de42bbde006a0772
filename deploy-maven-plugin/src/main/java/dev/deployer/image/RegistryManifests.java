package dev.deployer.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.DeployerException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes manifests and blobs on a registry that {@link RegistryProbe} opened ({@link RegistrySession}): the
 * Docker Registry HTTP API V2 / OCI distribution spec, with the session's authorization.
 */
final class RegistryManifests {

    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String ACCEPT = String.join(",", DOCKER_MANIFEST, OCI_MANIFEST, DOCKER_LIST, OCI_INDEX);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A manifest as the registry holds it.
     *
     * @param mediaType its media type
     * @param digest    {@code sha256:...}, of the exact bytes
     * @param bytes     the exact bytes
     * @param json      the bytes parsed
     */
    record Manifest(String mediaType, String digest, byte[] bytes, JsonNode json) {

        boolean isIndex() {
            return DOCKER_LIST.equals(mediaType) || OCI_INDEX.equals(mediaType);
        }

        /**
         * For an index: each platform ({@code os/architecture[/variant]}) and the digest of its manifest, in the
         * index's order; entries that are no image (attestations: {@code unknown/unknown}) are left out.
         */
        Map<String, String> platforms() {
            Map<String, String> platforms = new LinkedHashMap<>();
            for (JsonNode entry : json.path("manifests")) {
                JsonNode platform = entry.path("platform");
                String os = platform.path("os").asText("");
                String architecture = platform.path("architecture").asText("");
                if (os.isEmpty() || architecture.isEmpty() || os.equals("unknown")) {
                    continue;
                }
                String variant = platform.path("variant").asText("");
                platforms.put(os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant),
                        entry.path("digest").asText());
            }
            return platforms;
        }
    }

    private final RegistrySession session;

    RegistryManifests(RegistrySession session) {
        this.session = session;
    }

    /** The manifest {@code repository:reference} names (a tag or digest), or empty when there is none. */
    Optional<Manifest> get(String repository, String reference) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/manifests/" + reference)
                .header("Accept", ACCEPT).GET(), "reading the manifest " + repository + ":" + reference);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        expect(response, 200, "reading the manifest " + repository + ":" + reference);
        byte[] bytes = response.body();
        String mediaType = response.headers().firstValue("Content-Type").orElse("").split(";")[0].strip();
        try {
            JsonNode json = JSON.readTree(bytes);
            if (json.hasNonNull("mediaType")) {
                mediaType = json.get("mediaType").asText();
            }
            return Optional.of(new Manifest(mediaType, sha256(bytes), bytes, json));
        } catch (IOException e) {
            throw new DeployerException("The registry " + session.registry() + " answered a manifest for " + repository
                    + ":" + reference + " that is not JSON", session.parameter(), "check the registry is healthy");
        }
    }

    /** Uploads a blob (monolithic: POST, then PUT with the digest) unless the registry has it; returns its digest. */
    String putBlob(String repository, byte[] content) {
        String digest = sha256(content);
        HttpResponse<byte[]> head = send(request("/v2/" + repository + "/blobs/" + digest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), "checking the blob " + digest);
        if (head.statusCode() == 200) {
            return digest;
        }
        HttpResponse<byte[]> start = send(request("/v2/" + repository + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()), "starting a blob upload to " + repository);
        expect(start, 202, "starting a blob upload to " + repository);
        String location = start.headers().firstValue("Location").orElseThrow(() -> new DeployerException(
                "The registry " + session.registry() + " started an upload without a Location", session.parameter(),
                "check the registry is healthy"));
        URI upload = URI.create("https://" + session.registry() + "/").resolve(location);
        String query = (upload.getRawQuery() == null ? "" : upload.getRawQuery() + "&") + "digest=" + digest;
        URI put = URI.create(upload.getScheme() + "://" + upload.getRawAuthority() + upload.getRawPath() + "?" + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(put).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
        session.authorization().ifPresent(value -> request.header("Authorization", value.reveal()));
        expect(send(request, "uploading the blob " + digest), 201, "uploading the blob " + digest);
        return digest;
    }

    /** Puts a manifest under {@code reference} (a tag); returns its digest. */
    String putManifest(String repository, String reference, String mediaType, byte[] manifest) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/manifests/" + reference)
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)),
                "putting the manifest " + repository + ":" + reference);
        expect(response, 201, "putting the manifest " + repository + ":" + reference);
        return sha256(manifest);
    }

    /** A blob's content. */
    byte[] blob(String repository, String digest) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/blobs/" + digest).GET(),
                "reading the blob " + digest);
        expect(response, 200, "reading the blob " + repository + "@" + digest);
        if (!sha256(response.body()).equals(digest)) {
            throw new DeployerException("The blob " + repository + "@" + digest + " does not match its digest",
                    session.parameter(), "check the registry's storage");
        }
        return response.body();
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + session.registry() + path))
                .timeout(Duration.ofSeconds(30));
        session.authorization().ifPresent(value -> request.header("Authorization", value.reveal()));
        return request;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, String what) {
        try {
            return session.client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw RegistryProbe.translate(e, session.registry(), session.parameter());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployerException("Interrupted while " + what, session.parameter(), null);
        }
    }

    private void expect(HttpResponse<byte[]> response, int status, String what) {
        if (response.statusCode() != status) {
            String body = new String(response.body(), StandardCharsets.UTF_8);
            throw new DeployerException("The registry " + session.registry() + " answered HTTP " + response.statusCode()
                    + " " + what + (body.isBlank() ? "" : ": " + body.strip().substring(0, Math.min(300, body.strip().length()))),
                    session.parameter(), response.statusCode() == 401 || response.statusCode() == 403
                            ? "the credential must allow pushing to and pulling from this repository"
                            : "check the registry is healthy");
        }
    }
}
