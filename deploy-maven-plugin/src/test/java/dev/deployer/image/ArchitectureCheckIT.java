package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.deployer.testing.RecordingLog;
import dev.deployer.testing.TestInfra;
import dev.deployer.core.Command;
import dev.deployer.core.DeployerException;
import dev.deployer.deploy.ArchitectureCheck;
import dev.deployer.deploy.NodePlatform;
import dev.deployer.platform.DockerEngine;
import dev.deployer.platform.NodePlatforms;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The architecture check against the real engine's info and Swarm nodes, with images pushed to the real registry
 * and their platforms read back from it: an arm64-only image is refused on this amd64 server before anything is
 * pulled; a multi-platform image passes; a placement constraint that selects no node is refused.
 */
class ArchitectureCheckIT {

    @TempDir
    Path tmp;

    private final CredentialChain credentials = new CredentialChain(TestInfra.pushEnv()::get,
            CredentialChain.ServerLookup.none(), Path.of("/nonexistent-home"));

    @Test
    void refusesAnArm64OnlyImageOnThisAmd64EngineAndPullsNothing() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("arch").commit("arch");
        String name = TestInfra.registry() + "/supply/arch-" + UUID.randomUUID().toString().substring(0, 8);
        ImageResult arm64 = TestApp.builder(TestInfra.pushEnv(), tmp, new RecordingLog()).build(app.request(name,
                TestInfra.get("DEPLOYER_TEST_BASE_INDEX"), true, List.of(), "qa").withPlatforms(List.of("linux/arm64")));
        assertFalse(arm64.multiPlatform(), "one platform: a single image");

        List<String> platforms = new ImagePlatforms(new RegistryProbe(), credentials).fromRegistry(name, arm64.digest());
        assertEquals(1, platforms.size(), platforms.toString());
        assertTrue(platforms.get(0).startsWith("linux/arm64"), platforms.toString());

        DockerClient docker = DockerEngine.connect(System::getenv);
        NodePlatform engine = NodePlatforms.engine(docker);
        assertEquals("linux/amd64", engine.platform(), "this machine's engine");
        String ref = name + ":" + arm64.tags().get(0) + "@" + arm64.digest();
        DeployerException refused = assertThrows(DeployerException.class,
                () -> ArchitectureCheck.check(ref, platforms, List.of(engine), "the server"));
        assertEquals("image " + ref + " is " + platforms.get(0) + " only; the server is linux/amd64 — build with"
                + " -Ddeployer.platforms=" + platforms.get(0) + ",linux/amd64. Nothing was changed", refused.problem());
        System.out.println("[ArchitectureCheckIT] " + refused.getMessage());
        assertFalse(TestApp.RUNNER.run(Command.of("docker", "image", "inspect", ref), Duration.ofSeconds(30)).succeeded(),
                "nothing was pulled");

        List<NodePlatforms.Node> nodes = NodePlatforms.swarmNodes(docker);
        assertFalse(nodes.isEmpty(), "the test engine is a Swarm manager");
        assertThrows(DeployerException.class, () -> ArchitectureCheck.check(ref, platforms,
                NodePlatforms.selected(nodes, List.of()), "service app's nodes"));
        DeployerException noNode = assertThrows(DeployerException.class, () -> ArchitectureCheck.check(ref, platforms,
                NodePlatforms.selected(nodes, List.of("node.platform.arch==aarch64")), "service app's nodes"));
        assertTrue(noNode.problem().contains("selects no active node"), noNode.getMessage());
    }

    @Test
    void aMultiPlatformImagePassesOnTheEngineAndOnTheSwarmNodes() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("arch-multi").commit("arch-multi");
        String name = TestInfra.registry() + "/supply/arch-multi-" + UUID.randomUUID().toString().substring(0, 8);
        ImageResult both = TestApp.builder(TestInfra.pushEnv(), tmp, new RecordingLog()).build(app.request(name,
                TestInfra.get("DEPLOYER_TEST_BASE_INDEX"), true, List.of(), "qa")
                .withPlatforms(List.of("linux/amd64", "linux/arm64")));

        List<String> fromJson = ImagePlatforms.fromImageJson(app.project().deployerDir().resolve("image.json"),
                both.digest()).orElseThrow();
        List<String> fromRegistry = new ImagePlatforms(new RegistryProbe(), credentials).fromRegistry(name, both.digest());
        assertEquals(fromRegistry, fromJson, "image.json and the registry agree");

        DockerClient docker = DockerEngine.connect(System::getenv);
        assertDoesNotThrow(() -> ArchitectureCheck.check(name, fromRegistry, List.of(NodePlatforms.engine(docker)),
                "the server"));
        assertDoesNotThrow(() -> ArchitectureCheck.check(name, fromRegistry,
                NodePlatforms.selected(NodePlatforms.swarmNodes(docker), List.of("node.role==manager")),
                "service app's nodes"));
    }
}
