package dev.deployer.testing;

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
 * The tests' one view of the real infrastructure {@code .ci/setup-env.sh} sets up (engine, Swarm, registry with TLS
 * and auth, base images, sshd): each value from the process environment, else from {@code /var/lib/deployer-ci/env.sh}.
 * A missing one FAILS the test (never skips) with a message saying how to get it.
 */
public final class TestInfra {

    public static final String SETUP = "run .ci/setup-env.sh (it starts the Docker engine, Swarm and the registry) and source /var/lib/deployer-ci/env.sh";
    private static final Path ENV_FILE = Path.of("/var/lib/deployer-ci/env.sh");
    private static Map<String, String> values;

    private TestInfra() {
    }

    /** The value of {@code name}: the environment's, else env.sh's; missing fails the test. */
    public static synchronized String get(String name) {
        String value = System.getenv(name);
        if (value != null && !value.isBlank()) {
            return value;
        }
        if (values == null) {
            values = new HashMap<>();
            if (Files.isRegularFile(ENV_FILE)) {
                try {
                    for (String line : Files.readAllLines(ENV_FILE)) {
                        String pair = line.startsWith("export ") ? line.substring("export ".length()) : line;
                        int eq = pair.indexOf('=');
                        if (eq > 0 && pair.substring(0, eq).matches("[A-Z_][A-Z0-9_]*")) {
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
            fail(name + " is not set and " + ENV_FILE + " does not define it: " + SETUP);
        }
        return found;
    }

    public static String registry() {
        return get("DEPLOYER_TEST_REGISTRY");
    }

    public static String username() {
        return get("DEPLOYER_TEST_REGISTRY_USERNAME");
    }

    public static String password() {
        return get("DEPLOYER_TEST_REGISTRY_PASSWORD");
    }

    public static String baseImage() {
        return get("DEPLOYER_TEST_BASE_IMAGE");
    }

    public static Path baseTar() {
        return Path.of(get("DEPLOYER_TEST_BASE_TAR"));
    }

    /** The same engine behind sshd on 127.0.0.1:2222, as a DOCKER_HOST (Host deployer-ci-ssh of ~/.ssh/config). */
    public static String sshDockerHost() {
        return get("DEPLOYER_TEST_SSH_DOCKER_HOST");
    }

    public static String redisImage() {
        return get("DEPLOYER_TEST_REDIS_IMAGE");
    }

    /** Debian's Caddy 2.6 + busybox (.ci/setup-env.sh). */
    public static String proxyImage() {
        return get("DEPLOYER_TEST_PROXY_IMAGE");
    }

    /** The environment a build sees: the registry credential in DEPLOYER_REGISTRY_USERNAME/PASSWORD. */
    public static Map<String, String> pushEnv() {
        return Map.of("DEPLOYER_REGISTRY_USERNAME", username(), "DEPLOYER_REGISTRY_PASSWORD", password());
    }

    /** The body of the first 200 answer of {@code url} within {@code timeout} (refused connections retried), or null. */
    public static String awaitOk(java.net.URI url, Duration timeout) throws InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        while (java.time.Instant.now().isBefore(deadline)) {
            try {
                java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(2)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (java.io.IOException notYet) {
                Thread.onSpinWait();
            }
        }
        return null;
    }

    /** Fails (never skips) when the engine or the registry does not answer. */
    public static void require() {
        try {
            Process docker = new ProcessBuilder("docker", "info", "--format", "{{.Swarm.LocalNodeState}}").redirectErrorStream(true).start();
            String state = new String(docker.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (docker.waitFor() != 0 || !state.equals("active")) {
                throw new AssertionError("No Docker engine with an active Swarm ('docker info' said: " + state + "): " + SETUP);
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("https://" + registry() + "/v2/"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((username() + ":" + password()).getBytes(StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new AssertionError("Registry " + registry() + " answered " + response.statusCode() + " to /v2/: " + SETUP);
            }
        } catch (IOException e) {
            throw new AssertionError("Docker engine or registry " + registry() + " unreachable (" + e + "): " + SETUP, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The registry's API, for checking what a test pushed: HTTP Basic with the test credential. */
    public static final class Registry {
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
        public Optional<String> digest(String repository, String reference) throws Exception {
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
        public Optional<String> anyDigest(String repository, String reference) throws Exception {
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
        public String tags(String repository) throws Exception {
            HttpResponse<String> response = http.send(request(repository + "/tags/list").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 404 ? "" : response.body();
        }

        /** The manifest JSON. */
        public String manifest(String repository, String reference) throws Exception {
            return http.send(request(repository + "/manifests/" + reference).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        /** GET {@code /v2/<path>} with the given Accept header, as text; fails unless HTTP 200. */
        public String get(String path, String accept) throws Exception {
            HttpResponse<String> response = http.send(request(path).setHeader("Accept", accept).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        }

        /** PUT a manifest's exact bytes under {@code reference}; fails unless HTTP 201. */
        public void putManifest(String repository, String reference, String mediaType, byte[] manifest) throws Exception {
            HttpResponse<String> response = http.send(request(repository + "/manifests/" + reference)
                    .setHeader("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new AssertionError("PUT manifest " + repository + ":" + reference + " answered "
                        + response.statusCode() + ": " + response.body());
            }
        }

        /** A blob (e.g. the image config) as text. */
        public String blob(String repository, String digest) throws Exception {
            HttpClient follow = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
            return follow.send(request(repository + "/blobs/" + digest).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
