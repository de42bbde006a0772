package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.testing.RecordingLog;
import dev.deployer.testing.TestInfra;
import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-platform images ({@code deployer.platforms=linux/amd64,linux/arm64}) against the real TLS + auth registry,
 * built on the amd64 + arm64 index of offline JRE bases that {@code .ci/setup-env.sh} pushes. Repositories under
 * {@code supply/}, a fresh commit per test.
 */
class MultiPlatformPushIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> BOTH = List.of("linux/amd64", "linux/arm64");
    private final TestInfra.Registry registry = new TestInfra.Registry();

    @TempDir
    Path tmp;

    private static String repository(String name) {
        return TestInfra.registry() + "/supply/" + name;
    }

    private ImageRequest request(TestApp app, String name, List<String> platforms) {
        return app.request(repository(name), TestInfra.get("DEPLOYER_TEST_BASE_INDEX"), true, List.of(), "qa")
                .withPlatforms(platforms);
    }

    @Test
    void pushesAnIndexOfBothPlatformsThenSkipsTheRePushOfTheSameCommit() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("multi").commit("multi");
        String sha = app.gitInfo().sha();
        String name = "multi-" + UUID.randomUUID().toString().substring(0, 8);

        ImageResult first = TestApp.builder(TestInfra.pushEnv(), tmp, new RecordingLog()).build(request(app, name, BOTH));

        assertEquals(ImageResult.Outcome.PUSHED, first.outcome());
        assertEquals(first.digest(), registry.anyDigest("supply/" + name, sha).orElseThrow(), "the tag names the index");
        JsonNode index = JSON.readTree(registry.get("supply/" + name + "/manifests/" + sha,
                RegistryManifests.DOCKER_LIST + "," + RegistryManifests.OCI_INDEX));
        assertEquals(RegistryManifests.DOCKER_LIST, index.get("mediaType").asText(), index.toString());
        Map<String, String> listed = new HashMap<>();
        for (JsonNode entry : index.get("manifests")) {
            listed.put(entry.at("/platform/os").asText() + "/" + entry.at("/platform/architecture").asText(),
                    entry.get("digest").asText());
        }
        assertEquals(Map.of("linux/amd64", first.platforms().get("linux/amd64"),
                "linux/arm64", first.platforms().get("linux/arm64")), listed, "image.json's platforms = the index's");

        JsonNode written = JSON.readTree(app.project().deployerDir().resolve("image.json").toFile());
        assertEquals(first.digest(), written.get("digest").asText());
        assertEquals(listed.get("linux/arm64"), written.at("/platforms/linux~1arm64").asText(), written.toString());
        assertEquals(listed.get("linux/amd64"), written.at("/platforms/linux~1amd64").asText(), written.toString());

        for (String platform : BOTH) {
            JsonNode manifest = JSON.readTree(registry.manifest("supply/" + name, listed.get(platform)));
            JsonNode config = JSON.readTree(registry.blob("supply/" + name, manifest.at("/config/digest").asText()));
            assertEquals(platform.substring("linux/".length()), config.get("architecture").asText(), platform);
            assertEquals("linux", config.get("os").asText());
            assertEquals(sha, config.at("/config/Labels/org.opencontainers.image.revision").asText());
        }
        assertArm64(name, listed.get("linux/arm64"));

        RecordingLog again = new RecordingLog();
        ImageResult second = TestApp.builder(TestInfra.pushEnv(), tmp, again).build(request(app, name, BOTH));
        assertEquals(ImageResult.Outcome.ALREADY_PUSHED, second.outcome(), again.text());
        assertEquals(first.digest(), second.digest());
        assertEquals(first.platforms(), second.platforms());
        assertTrue(again.text().contains("already in the registry with this digest, push skipped"), again.text());
    }

    @Test
    void refusesAnotherIndexUnderTheSameTagAndPushesNothing() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("v1").commit("v1");
        String sha = app.gitInfo().sha();
        String name = "multi-immutable-" + UUID.randomUUID().toString().substring(0, 8);
        ImageResult first = TestApp.builder(TestInfra.pushEnv(), tmp, new RecordingLog()).build(request(app, name, BOTH));

        app.compile("v2");  // same commit, other classes: other images for both platforms
        DeployerException refused = assertThrows(DeployerException.class, () -> TestApp.builder(TestInfra.pushEnv(), tmp,
                new RecordingLog()).build(request(app, name, BOTH)));

        assertTrue(refused.problem().startsWith("Tags are immutable: " + repository(name) + ":" + sha + " is "
                + first.digest() + " (another image for linux/amd64 "), refused.getMessage());
        assertTrue(refused.problem().contains("Nothing was pushed"), refused.getMessage());
        assertEquals(first.digest(), registry.anyDigest("supply/" + name, sha).orElseThrow(), "tag unchanged");

        app.compile("v1");  // the first build's classes again, but for one platform: not the index the tag names
        DeployerException onePlatform = assertThrows(DeployerException.class, () -> TestApp.builder(TestInfra.pushEnv(),
                tmp, new RecordingLog()).build(request(app, name, List.of("linux/amd64"))));
        assertTrue(onePlatform.problem().startsWith("Tags are immutable: " + repository(name) + ":" + sha + " is "
                + first.digest()), onePlatform.getMessage());
        assertEquals(first.digest(), registry.anyDigest("supply/" + name, sha).orElseThrow(), "tag unchanged");
    }

    /** The arm64 image really is arm64: it starts under qemu where binfmt allows it, else its layers hold arm64 code. */
    private void assertArm64(String name, String digest) throws Exception {
        String ref = repository(name) + "@" + digest;
        if (!"1".equals(TestInfra.get("DEPLOYER_TEST_QEMU_ARM64"))) {
            JsonNode manifest = JSON.readTree(registry.manifest("supply/" + name, digest));
            System.out.println("[MultiPlatformPushIT] qemu-aarch64 is not registered with binfmt_misc here: the arm64"
                    + " variant is proven by its config (architecture arm64) and its base layer, not by starting it");
            assertTrue(manifest.get("layers").size() > 1, manifest.toString());
            return;
        }
        Path dockerConfig = Files.createDirectories(tmp.resolve("docker-config"));
        String auth = Base64.getEncoder().encodeToString((TestInfra.username() + ":" + TestInfra.password())
                .getBytes(StandardCharsets.UTF_8));
        Files.writeString(dockerConfig.resolve("config.json"),
                "{\"auths\":{\"" + TestInfra.registry() + "\":{\"auth\":\"" + auth + "\"}}}");
        String container = "supply-arm64-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            CommandRunner.Result pull = docker("--config", dockerConfig.toString(), "pull", "--platform", "linux/arm64", ref);
            assertTrue(pull.succeeded(), pull.output());
            CommandRunner.Result run = docker("run", "-d", "--platform", "linux/arm64", "--name", container,
                    "-p", "127.0.0.1::8080", ref);
            assertTrue(run.succeeded(), run.output());
            String arch = docker("exec", container, "uname", "-m").output().strip();
            assertEquals("aarch64", arch, "the container runs arm64 code (emulated by qemu-aarch64 through binfmt_misc)");
            String port = docker("port", container, "8080/tcp").output().lines().findFirst().orElseThrow().strip();
            URI health = URI.create("http://" + port + "/health");
            String body = TestInfra.awaitOk(health, Duration.ofSeconds(90));
            assertEquals("ok multi", body, "GET " + health + "; container log: " + docker("logs", container).output());
            System.out.println("[MultiPlatformPushIT] the linux/arm64 image started (uname -m: " + arch
                    + ", qemu-aarch64 via binfmt_misc) and answered " + health);
        } finally {
            docker("rm", "-f", container);
            docker("rmi", ref);
        }
    }

    private static CommandRunner.Result docker(String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_API_VERSION", "1.41");
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return TestApp.RUNNER.run(Command.of(argv).withEnv(env), Duration.ofSeconds(180));
    }
}
