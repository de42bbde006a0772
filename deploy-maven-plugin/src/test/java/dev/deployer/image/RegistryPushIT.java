package dev.deployer.image;

import dev.deployer.testing.TestInfra;
import dev.deployer.testing.RecordingLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deployer:build}'s core against the real test registry (TLS + htpasswd on 127.0.0.1:5443) and the real
 * Docker engine. Every test uses its own repository under {@code timage/} and a fresh commit, so runs never
 * collide with earlier ones.
 */
class RegistryPushIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestInfra.Registry registry = new TestInfra.Registry();

    @TempDir
    Path tmp;

    private String repository(String name) {
        return TestInfra.registry() + "/timage/" + name;
    }

    @Test
    void pushesCommitTaggedImageOnlyUnderItsTagsThenSkipsTheRePushOfTheSameCommit() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("v1").commit("v1");
        String sha = app.gitInfo().sha();
        RecordingLog log = new RecordingLog();
        ImageBuilder builder = TestApp.builder(TestInfra.pushEnv(), tmp, log);

        ImageResult first = builder.build(app.request(repository("e2e-push"), TestInfra.baseImage(), true,
                List.of("sha-@{short}"), "qa"));

        assertEquals(ImageResult.Outcome.PUSHED, first.outcome());
        assertEquals(List.of(sha, "sha-" + sha.substring(0, 7)), first.tags());
        assertEquals(first.digest(), registry.digest("timage/e2e-push", sha).orElseThrow());
        assertEquals(first.digest(), registry.digest("timage/e2e-push", "sha-" + sha.substring(0, 7)).orElseThrow());
        assertFalse(registry.tags("timage/e2e-push").contains("\"latest\""), registry.tags("timage/e2e-push"));
        assertTrue(registry.digest("timage/e2e-push", "latest").isEmpty(), "no implicit latest");

        JsonNode written = JSON.readTree(app.project().deployerDir().resolve("image.json").toFile());
        assertEquals(repository("e2e-push"), written.get("image").asText());
        assertEquals(first.digest(), written.get("digest").asText());
        assertEquals(sha, written.get("tags").get(0).asText());
        assertTrue(written.get("pushed").asBoolean());
        assertEquals("pushed", written.get("outcome").asText());

        JsonNode config = JSON.readTree(registry.blob("timage/e2e-push",
                JSON.readTree(registry.manifest("timage/e2e-push", sha)).get("config").get("digest").asText()));
        Instant commitTime = app.gitInfo().commitTime();
        assertEquals(commitTime, Instant.parse(config.get("created").asText()), "creation time = commit time");
        JsonNode labels = config.get("config").get("Labels");
        assertEquals(sha, labels.get("org.opencontainers.image.revision").asText());
        assertEquals("https://example.test/deployer/demo", labels.get("org.opencontainers.image.source").asText());
        assertEquals(commitTime.toString(), labels.get("org.opencontainers.image.created").asText());
        assertEquals(sha, labels.get("org.opencontainers.image.version").asText());
        assertEquals("deployer", labels.get("team").asText());
        assertTrue(config.get("config").get("ExposedPorts").has("8080/tcp"));
        assertTrue(config.get("config").get("Entrypoint").toString().contains("-Xss512k"));

        RecordingLog again = new RecordingLog();
        ImageResult second = TestApp.builder(TestInfra.pushEnv(), tmp, again).build(app.request(repository("e2e-push"),
                TestInfra.baseImage(), true, List.of("sha-@{short}"), "qa"));
        assertEquals(ImageResult.Outcome.ALREADY_PUSHED, second.outcome());
        assertEquals(first.digest(), second.digest(), "the same commit builds the same digest");
        assertTrue(again.text().contains("already in the registry with this digest, push skipped"), again.text());
        JsonNode rewritten = JSON.readTree(app.project().deployerDir().resolve("image.json").toFile());
        assertEquals("already-present", rewritten.get("outcome").asText(), "a re-run says it pushed nothing");
        assertTrue(rewritten.get("pushed").asBoolean(), "still in the registry for readers of \"pushed\"");
        assertFalse(log.text().contains(TestInfra.password()) || again.text().contains(TestInfra.password()));
    }

    @Test
    void refusesDifferentContentUnderAnExistingTagAndPushesNothing() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("v1").commit("v1");
        String sha = app.gitInfo().sha();
        ImageResult first = TestApp.builder(TestInfra.pushEnv(), tmp, new RecordingLog())
                .build(app.request(repository("e2e-immutable"), TestInfra.baseImage(), true, List.of(), "qa"));

        app.compile("v2");  // same commit, other build output (target/ is not in git: the tree stays clean)
        assertFalse(app.gitInfo().dirty());
        DeployerException refused = assertThrows(DeployerException.class, () -> TestApp.builder(TestInfra.pushEnv(), tmp,
                new RecordingLog()).build(app.request(repository("e2e-immutable"), TestInfra.baseImage(), true, List.of(), "qa")));

        assertTrue(refused.problem().startsWith("Tags are immutable"), refused.getMessage());
        assertTrue(refused.problem().contains(repository("e2e-immutable") + ":" + sha + " is " + first.digest()),
                refused.getMessage());
        assertTrue(refused.problem().contains("Nothing was pushed"), refused.getMessage());
        assertTrue(refused.fix().contains("delete the tag"), refused.getMessage());
        Matcher wouldBe = Pattern.compile("this build is (sha256:[0-9a-f]{64})").matcher(refused.problem());
        assertTrue(wouldBe.find(), refused.getMessage());
        assertEquals(first.digest(), registry.digest("timage/e2e-immutable", sha).orElseThrow(), "tag unchanged");
        assertTrue(registry.digest("timage/e2e-immutable", wouldBe.group(1)).isEmpty(), "the new manifest was not pushed");
    }

    @Test
    void sameInputsGiveTheSameDigestAndTheTarballLoadsIntoDocker() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("repro").commit("repro");
        String repository = repository("e2e-tar");
        ImageRequest request = app.request(repository, TestInfra.baseImage(), false, List.of("sha-@{short}"), "local");
        Path githubOutput = tmp.resolve("github-output");
        Map<String, String> githubEnv = new HashMap<>(TestInfra.pushEnv());
        githubEnv.put("GITHUB_ACTIONS", "true");
        githubEnv.put("GITHUB_OUTPUT", githubOutput.toString());
        ImageResult first = TestApp.builder(githubEnv, tmp, new RecordingLog()).build(request);
        assertEquals("image=" + repository + "\ndigest=" + first.digest() + "\n", Files.readString(githubOutput),
                "GitHub Actions step outputs");
        app.compile("repro");  // fresh class files, new file times, same content
        ImageResult second = TestApp.builder(TestInfra.pushEnv(), tmp, new RecordingLog()).build(request);

        assertEquals(first.digest(), second.digest());
        assertEquals(ImageResult.Outcome.TARBALL, second.outcome());
        assertFalse(second.pushed());
        String sha = app.gitInfo().sha();
        assertTrue(registry.digest("timage/e2e-tar", sha).isEmpty(), "a local build pushes nothing");

        Path tarball = app.project().deployerDir().resolve("image.tar");
        CommandRunner.Result loaded = docker("load", "-i", tarball.toString());
        try {
            assertTrue(loaded.succeeded(), loaded.output());
            assertTrue(loaded.output().contains(repository + ":" + sha), loaded.output());
            CommandRunner.Result created = docker("image", "inspect", "--format", "{{.Created}}", repository + ":" + sha);
            assertEquals(app.gitInfo().commitTime(), Instant.parse(created.output().strip()), created.output());
        } finally {
            docker("rmi", repository + ":" + sha, repository + ":sha-" + sha.substring(0, 7));
        }
    }

    @Test
    void pushedImageIsPulledAndRunByDockerAndAnswersHealth() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("running").commit("running");
        ImageResult pushed = TestApp.builder(TestInfra.pushEnv(), tmp, new RecordingLog())
                .build(app.request(repository("e2e-run"), TestInfra.baseImage(), true, List.of(), "qa"));
        Path dockerConfig = Files.createDirectories(tmp.resolve("docker-config"));
        String auth = Base64.getEncoder().encodeToString((TestInfra.username() + ":" + TestInfra.password())
                .getBytes(StandardCharsets.UTF_8));
        Files.writeString(dockerConfig.resolve("config.json"),
                "{\"auths\":{\"" + TestInfra.registry() + "\":{\"auth\":\"" + auth + "\"}}}");
        String ref = pushed.image() + "@" + pushed.digest();
        String name = "timg-health-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            CommandRunner.Result pull = docker("--config", dockerConfig.toString(), "pull", ref);
            assertTrue(pull.succeeded(), pull.output());
            CommandRunner.Result run = docker("run", "-d", "--name", name, "-p", "127.0.0.1::8080", ref);
            assertTrue(run.succeeded(), run.output());
            String port = docker("port", name, "8080/tcp").output().lines().findFirst().orElseThrow().strip();
            URI health = URI.create("http://" + port + "/health");
            String body = TestInfra.awaitOk(health, Duration.ofSeconds(30));
            assertEquals("ok running", body, "GET " + health + "; container log: " + docker("logs", name).output());
        } finally {
            docker("rm", "-f", name);
            docker("rmi", ref);
        }
    }

    @Test
    void wrongPasswordFailsNamingTheCredentialSourceButNotTheValue() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("auth").commit("auth");
        RecordingLog log = new RecordingLog();
        Map<String, String> env = Map.of("DEPLOYER_REGISTRY_USERNAME", TestInfra.username(),
                "DEPLOYER_REGISTRY_PASSWORD", "not-the-password-4711");
        DeployerException failed = assertThrows(DeployerException.class, () -> TestApp.builder(env, tmp, log)
                .build(app.request(repository("e2e-auth"), "tar://" + TestInfra.baseTar(), true, List.of(), "qa")));

        assertTrue(failed.problem().contains("rejected the credential of user '" + TestInfra.username()
                + "' from environment DEPLOYER_REGISTRY_USERNAME/DEPLOYER_REGISTRY_PASSWORD"), failed.getMessage());
        assertEquals("deployer.image", failed.location());
        assertFalse(failed.getMessage().contains("not-the-password-4711"));
        assertFalse(log.text().contains("not-the-password-4711"));
    }

    @Test
    void missingCredentialFailsListingWhereItLooked() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("anon").commit("anon");
        DeployerException failed = assertThrows(DeployerException.class, () -> TestApp.builder(Map.of(), tmp,
                new RecordingLog()).build(app.request(repository("e2e-anon"), "tar://" + TestInfra.baseTar(), true,
                List.of(), "qa")));

        assertTrue(failed.problem().contains("requires a login and no credential was found"), failed.getMessage());
        assertTrue(failed.problem().contains("settings.xml <server> with <id>" + TestInfra.registry() + "</id>"),
                failed.getMessage());
    }

    @Test
    void untrustedCertificateFailsWithTheTruststoreFix() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("tls").commit("tls");
        assertFalse(listening(5501), "port 5501 is taken: another test registry is still running");
        Path dir = Files.createDirectories(tmp.resolve("registry"));
        CommandRunner.Result cert = TestApp.RUNNER.run(Command.of("openssl", "req", "-x509", "-newkey", "rsa:2048",
                "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString()),
                Duration.ofSeconds(30));
        assertTrue(cert.succeeded(), cert.output());
        Files.writeString(dir.resolve("config.yml"), String.join("\n", "version: 0.1",
                "storage:", "  filesystem:", "    rootdirectory: " + dir.resolve("data"),
                "http:", "  addr: 127.0.0.1:5501", "  tls:", "    certificate: " + dir.resolve("cert.pem"),
                "    key: " + dir.resolve("key.pem"), ""));
        Process registryProcess = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        try {
            Instant deadline = Instant.now().plusSeconds(20);
            while (!listening(5501) && Instant.now().isBefore(deadline) && registryProcess.isAlive()) {
                Thread.onSpinWait();
            }
            assertTrue(listening(5501), "the untrusted registry did not start: " + Files.readString(dir.resolve("registry.log")));

            DeployerException failed = assertThrows(DeployerException.class, () -> TestApp.builder(TestInfra.pushEnv(),
                    tmp, new RecordingLog()).build(app.request("127.0.0.1:5501/timage/e2e-tls",
                    "tar://" + TestInfra.baseTar(), true, List.of(), "qa")));

            assertTrue(failed.problem().contains("presents a TLS certificate that Java does not trust"), failed.getMessage());
            assertTrue(failed.fix().contains("keytool -importcert"), failed.getMessage());
            assertTrue(failed.fix().contains("-Djavax.net.ssl.trustStore="), failed.getMessage());
        } finally {
            registryProcess.destroy();
            registryProcess.waitFor();
        }
    }

    @Test
    void stoppedRegistryFailsWithConnectionRefused() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("down").commit("down");
        assertFalse(listening(5502), "something listens on 127.0.0.1:5502; this test needs it free");

        DeployerException failed = assertThrows(DeployerException.class, () -> TestApp.builder(TestInfra.pushEnv(), tmp,
                new RecordingLog()).build(app.request("127.0.0.1:5502/timage/e2e-down", "tar://" + TestInfra.baseTar(),
                true, List.of(), "qa")));

        assertTrue(failed.problem().contains("Cannot connect to registry 127.0.0.1:5502 (connection refused"),
                failed.getMessage());
        assertEquals("deployer.image", failed.location());
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static CommandRunner.Result docker(String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_API_VERSION", "1.41");
        List<String> argv = new java.util.ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return TestApp.RUNNER.run(Command.of(argv).withEnv(env), Duration.ofSeconds(120));
    }
}
