package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The test environment written by {@code .ci/setup-env.sh} (real registry with TLS and auth, base images). Read from
 * the process environment, else from {@code /var/lib/deployer-ci/env.sh}. Missing: the test fails and says so.
 */
final class TestInfra {

    private static final Path ENV_FILE = Path.of("/var/lib/deployer-ci/env.sh");
    private static Map<String, String> values;

    private TestInfra() {
    }

    static synchronized String get(String name) {
        String value = System.getenv(name);
        if (value != null && !value.isBlank()) {
            return value;
        }
        if (values == null) {
            values = new HashMap<>();
            if (Files.isRegularFile(ENV_FILE)) {
                try {
                    for (String line : Files.readAllLines(ENV_FILE)) {
                        if (line.startsWith("export ") && line.contains("=")) {
                            String pair = line.substring("export ".length());
                            int eq = pair.indexOf('=');
                            values.put(pair.substring(0, eq), pair.substring(eq + 1).replaceAll("^['\"]|['\"]$", ""));
                        }
                    }
                } catch (IOException e) {
                    fail("Cannot read " + ENV_FILE + ": " + e);
                }
            }
        }
        String found = values.get(name);
        if (found == null || found.isBlank()) {
            fail(name + " is not set and " + ENV_FILE + " does not define it: the end-to-end tests need the test"
                    + " registry and images. Run .ci/setup-env.sh (as root) first.");
        }
        return found;
    }

    static String registry() {
        return get("DEPLOYER_TEST_REGISTRY");
    }

    static String username() {
        return get("DEPLOYER_TEST_REGISTRY_USERNAME");
    }

    static String password() {
        return get("DEPLOYER_TEST_REGISTRY_PASSWORD");
    }

    static String baseImage() {
        return get("DEPLOYER_TEST_BASE_IMAGE");
    }

    static Path baseTar() {
        return Path.of(get("DEPLOYER_TEST_BASE_TAR"));
    }

    /** The environment a build sees: the registry credential in DEPLOYER_REGISTRY_USERNAME/PASSWORD. */
    static Map<String, String> pushEnv() {
        return Map.of("DEPLOYER_REGISTRY_USERNAME", username(), "DEPLOYER_REGISTRY_PASSWORD", password());
    }

    /** The registry's API, for checking what a test pushed: HTTP Basic with the test credential. */
    static final class Registry {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        private HttpRequest.Builder request(String path) {
            String auth = Base64.getEncoder().encodeToString((username() + ":" + password()).getBytes(StandardCharsets.UTF_8));
            return HttpRequest.newBuilder(URI.create("https://" + registry() + "/v2/" + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Basic " + auth)
                    .header("Accept", "application/vnd.docker.distribution.manifest.v2+json,"
                            + "application/vnd.oci.image.manifest.v1+json");
        }

        /** The digest the tag names, or empty when the tag does not exist. */
        Optional<String> digest(String repository, String reference) throws Exception {
            HttpResponse<Void> response = http.send(request(repository + "/manifests/" + reference)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new AssertionError("HEAD manifest " + repository + ":" + reference + " answered " + response.statusCode());
            }
            return response.headers().firstValue("Docker-Content-Digest");
        }

        /** The digest the tag names accepting indexes too (the registry answers an index's own digest), or empty. */
        Optional<String> anyDigest(String repository, String reference) throws Exception {
            HttpResponse<Void> response = http.send(request(repository + "/manifests/" + reference)
                    .setHeader("Accept", String.join(",", "application/vnd.docker.distribution.manifest.v2+json",
                            "application/vnd.oci.image.manifest.v1+json",
                            "application/vnd.docker.distribution.manifest.list.v2+json",
                            "application/vnd.oci.image.index.v1+json"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new AssertionError("HEAD manifest " + repository + ":" + reference + " answered " + response.statusCode());
            }
            return response.headers().firstValue("Docker-Content-Digest");
        }

        /** The JSON tag list of a repository ({@code {"name":..., "tags":[...]}}), or "" when the repository is unknown. */
        String tags(String repository) throws Exception {
            HttpResponse<String> response = http.send(request(repository + "/tags/list").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 404 ? "" : response.body();
        }

        /** The manifest JSON. */
        String manifest(String repository, String reference) throws Exception {
            return http.send(request(repository + "/manifests/" + reference).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        /** GET {@code /v2/<path>} with the given Accept header, as text; fails unless HTTP 200. */
        String get(String path, String accept) throws Exception {
            HttpResponse<String> response = http.send(request(path).setHeader("Accept", accept).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        }

        /** PUT a manifest's exact bytes under {@code reference}; fails unless HTTP 201. */
        void putManifest(String repository, String reference, String mediaType, byte[] manifest) throws Exception {
            HttpResponse<String> response = http.send(request(repository + "/manifests/" + reference)
                    .setHeader("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new AssertionError("PUT manifest " + repository + ":" + reference + " answered "
                        + response.statusCode() + ": " + response.body());
            }
        }

        /** A blob (e.g. the image config) as text. */
        String blob(String repository, String digest) throws Exception {
            HttpClient follow = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
            return follow.send(request(repository + "/blobs/" + digest).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
