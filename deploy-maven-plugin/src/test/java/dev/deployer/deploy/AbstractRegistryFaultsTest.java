package dev.deployer.deploy;

import dev.deployer.core.BuiltImage;
import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;
import dev.deployer.core.Log;
import dev.deployer.deploy.fixture.Scenario;
import dev.deployer.deploy.fixture.TestImages;
import dev.deployer.testing.RecordingLog;
import dev.deployer.testing.TestInfra;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The registry failing a deploy, against the real engine, Compose/Swarm and registry, with the deployment wired as
 * {@code deployer:deploy} wires it ({@link Scenario#deploymentAsTheGoal}): v2 serves, then a deploy of another image
 * meets a registry that is down (a port nothing listens on), credentials it rejects (a {@code DOCKER_CONFIG} of the
 * test's own with a wrong password for the CI registry; the registry itself is never touched), and a registry whose
 * TLS certificate Java does not trust (a private {@code docker-registry serve} with its own self-signed certificate,
 * port and htpasswd, started and stopped by this test).
 *
 * <p>Each fault is met twice where the target allows: by Deployer's own registry read before the lock (the image's
 * platforms, read from the registry unless image.json records them; {@code -Ddeployer.tag}'s digest look-up), and, for
 * a multi-platform image.json that records its platforms (so Deployer reads nothing), by the engine's pull. After each:
 * the message names the registry and the fix, the lock is free, v2 still serves, the history has no new entry, and no
 * password is in the (debug) log or under target/deployer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class AbstractRegistryFaultsTest {

    protected abstract String targetName();

    protected abstract String stackName();

    protected abstract int hostPort();

    protected abstract String template();

    /** What the target does when the engine's pull fails (Deployer itself read nothing from the registry). */
    protected abstract void assertPullTimeFailure(DeployerException failure, String registry, int historyBefore);

    protected final RecordingLog log = new RecordingLog("[" + getClass().getSimpleName() + "] ");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String wrongPassword = "tfault2-wrong-" + UUID.randomUUID();
    protected Scenario scenario;
    private Path deployerDir;
    private Path temp;
    private Path wrongConfig;
    private ImageRef fresh;

    @BeforeAll
    void v2Serves(@TempDir Path dir) throws IOException {
        TestInfra.require();
        temp = dir;
        deployerDir = dir.resolve("target/deployer");
        scenario = scenario(Map.of());
        removeStack();
        TestImages.counter("v2");
        // an image the engine does not have yet (a pull must ask the registry): a version of this run's own
        fresh = TestImages.counter("tfault2-" + UUID.randomUUID().toString().substring(0, 8));
        wrongConfig = Files.createDirectories(dir.resolve("docker-config-wrong"));
        String auth = Base64.getEncoder().encodeToString((TestInfra.username() + ":" + wrongPassword).getBytes(StandardCharsets.UTF_8));
        Files.writeString(wrongConfig.resolve("config.json"), "{\"auths\": {\"" + TestInfra.registry() + "\": {\"auth\": \"" + auth + "\"}}}\n");
        DeploymentResult first = scenario.deploymentAsTheGoal(log, scenario.goodRedisHost())
                .deploy(scenario.request(TestImages.sha("v2"), Duration.ofSeconds(90), Duration.ofSeconds(3)));
        assertEquals(DeploymentResult.Outcome.DEPLOYED, first.outcome());
    }

    @AfterAll
    void removeStack() {
        scenario.removeStack();
    }

    private Scenario scenario(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put(Scenario.CANARY_NAME, "tfault2-canary");
        return new Scenario(targetName(), stackName(), hostPort(), template(), deployerDir, all);
    }

    /** A port on 127.0.0.1 that nothing listens on (checked): the registry there is down. */
    protected static int deadPort(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            fail("port " + port + " should be free for the 'registry down' case, but something listens there");
        } catch (IOException refused) {
            // nothing listens: the registry is down
        }
        return port;
    }

    /** image.json of a build that pushed {@code image}; {@code multiPlatform}: it records its platforms. */
    private void built(ImageRef image, boolean multiPlatform) {
        Map<String, String> platforms = multiPlatform ? Map.of("linux/amd64", image.digest()) : Map.of();
        new BuiltImage(image.repository(), List.of(image.tag()), image.digest(), "pushed", platforms)
                .write(deployerDir.resolve(BuiltImage.FILE));
    }

    /** A deploy (from image.json, or of {@code tag}) that fails; v2 serves before and after, unlocked. */
    protected DeployerException deployFails(Map<String, String> env, String repository, String tag) throws Exception {
        assertEquals("v2", version(), "v2 serves before");
        Scenario faulty = scenario(env);
        DeployRequest request = new DeployRequest(targetName(), stackName(), "qa", deployerDir, repository, tag, scenario.healthUrl(),
                Duration.ofSeconds(60), List.of(), Duration.ofSeconds(3), false, false, dev.deployer.guard.ProductionGuard.none());
        DeployerException failure = assertThrows(DeployerException.class,
                () -> faulty.deploymentAsTheGoal(log, scenario.goodRedisHost()).deploy(request));
        assertTrue(scenario.target(Log.silent()).store().find(StackLock.name(stackName())).isEmpty(), "the lock is free: " + failure.getMessage());
        assertEquals("v2", version(), "v2 still serves: " + failure.getMessage());
        assertNoPassword(failure);
        return failure;
    }

    private int history() {
        return new DeployHistory(scenario.target(Log.silent()).store()).entries(stackName()).size();
    }

    /** Refused by Deployer's own registry read before the lock: nothing ran, nothing was recorded. */
    private void assertRefusedBeforeTheLock(DeployerException failure, String problem, String fix, int historyBefore) {
        assertFalse(failure instanceof DeployFailedException, "refused before anything changed: " + failure.getMessage());
        assertTrue(failure.getMessage().contains(problem), "the problem, naming the registry: " + failure.getMessage());
        assertTrue(failure.getMessage().contains(fix), "the fix: " + failure.getMessage());
        assertEquals(historyBefore, history(), "nothing recorded: nothing was deployed");
    }

    @Test
    @Order(1)
    void aRegistryThatIsDownIsFoundBeforeTheLock() throws Exception {
        String registry = "127.0.0.1:" + deadPort(hostPort() + 7);
        int before = history();
        built(new ImageRef(registry + "/tdeploy/counter", TestImages.sha("v3"), TestImages.counter("v3").digest()), false);
        DeployerException failure = deployFails(Map.of(), null, null);
        assertRefusedBeforeTheLock(failure, "Cannot connect to registry " + registry + " (connection refused",
                "start the registry or correct the host and port", before);
    }

    @Test
    @Order(2)
    void aRegistryThatIsDownAtPullTime() throws Exception {
        String registry = "127.0.0.1:" + deadPort(hostPort() + 7);
        int before = history();
        built(new ImageRef(registry + "/tdeploy/counter", TestImages.sha("v3"), TestImages.counter("v3").digest()), true);
        assertPullTimeFailure(deployFails(Map.of(), null, null), registry, before);
    }

    @Test
    @Order(3)
    void wrongCredentialsAreFoundBeforeTheLock() throws Exception {
        int before = history();
        built(fresh, false);
        DeployerException failure = deployFails(Map.of("DOCKER_CONFIG", wrongConfig.toString()), null, null);
        assertRefusedBeforeTheLock(failure, "Registry " + TestInfra.registry() + " rejected the credential of user '"
                + TestInfra.username() + "'", "correct the password or token in", before);
    }

    @Test
    @Order(4)
    void wrongCredentialsAtPullTime() throws Exception {
        int before = history();
        built(fresh, true);
        assertPullTimeFailure(deployFails(Map.of("DOCKER_CONFIG", wrongConfig.toString()), null, null), TestInfra.registry(), before);
    }

    private String version() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(scenario.url("/version")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /** Neither the wrong password nor the CI registry's real one is in the message, the log (debug) or target/deployer. */
    protected void assertNoPassword(DeployerException failure) throws IOException {
        for (String password : List.of(wrongPassword, TestInfra.password())) {
            assertFalse(failure.getMessage().contains(password), "the message has no password");
            assertFalse(log.text().contains(password), "the log has no password");
            assertTrue(log.text().contains("[DEBUG]"), "debug logging was on");
            if (Files.exists(deployerDir)) {
                try (Stream<Path> files = Files.walk(deployerDir)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        assertFalse(Files.readString(file).contains(password), "a password was left in " + file);
                    }
                }
            }
        }
    }

    protected Path temp() {
        return temp;
    }
}
