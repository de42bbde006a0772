package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.Command;
import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.ImageRef;
import dev.deployer.core.ProcessRunner;
import dev.deployer.core.Shutdown;
import dev.deployer.deploy.DeployRequest;
import dev.deployer.deploy.Deployment;
import dev.deployer.deploy.ImageChecks;
import dev.deployer.deploy.StackLock;
import dev.deployer.deploy.StackRenderer;
import dev.deployer.deploy.Step;
import dev.deployer.deploy.Target;
import dev.deployer.deploy.TargetContext;
import dev.deployer.deploy.Targets;
import dev.deployer.guard.ProductionGuard;
import dev.deployer.testing.RecordingLog;
import dev.deployer.testing.TestInfra;
import dev.deployer.verify.Sleeper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks a deploy makes before its lock, against the real engine and the TLS + auth registry: an arm64-only image
 * deployed to this amd64 engine (Compose) and to its Swarm is refused before the lock (no lock record, nothing
 * pulled); a deploy enforcing {@code deployer.verify.publicKey} refuses an unsigned image the same way.
 */
class DeployChecksIT {

    private static final String PREFIX = "wire13-";

    @TempDir
    Path tmp;

    private final RecordingLog log = new RecordingLog("[DeployChecksIT] ");
    private final List<Step> performed = new ArrayList<>();
    private final CredentialChain credentials = new CredentialChain(TestInfra.pushEnv()::get,
            CredentialChain.ServerLookup.none(), Path.of("/nonexistent-home"));

    private Deployment deployment(Target target, TargetContext context, String digest, ImageChecks checks, int port) {
        StackRenderer renderer = new StackRenderer() {
            @Override
            public List<String> secretNames(ImageRef image) {
                return List.of();
            }

            @Override
            public Rendered render(ImageRef image) {
                String stack = "version: \"3.8\"\nservices:\n  app:\n    image: \"" + image.ref() + "\"\n    ports:\n      - \""
                        + port + ":8080\"\n";
                return new Rendered("stack.yml", Map.of("stack.yml", stack), List.of());
            }
        };
        GitHubActions github = new GitHubActions(name -> null, new PrintStream(OutputStream.nullOutputStream()));
        Deployment deployment = new Deployment(context, target, renderer, Sleeper.real(), github,
                (repository, tag) -> digest, checks, Shutdown.manual());
        deployment.executor().observe(performed::add);
        return deployment;
    }

    private DeployRequest request(String target, String stack, String environment, String repository, String tag) {
        return request(target, stack, environment, repository, tag, null);
    }

    private DeployRequest request(String target, String stack, String environment, String repository, String tag,
            java.net.URI healthUrl) {
        // production from this machine: through the guard's escape hatch (it warns), as an emergency deploy would
        ProductionGuard guard = "production".equals(environment) ? ProductionGuard.of("main", true, name -> null, null)
                : ProductionGuard.none();
        return new DeployRequest(target, stack, environment, tmp.resolve("target/deployer"), repository, tag, healthUrl,
                Duration.ofSeconds(60), List.of(), Duration.ofSeconds(5), false, false, guard);
    }

    private TargetContext context() {
        return new TargetContext(new ProcessRunner(log), log, System::getenv, Clock.systemUTC());
    }

    private void assertNothingChanged(Target target, String stack, String ref) {
        assertTrue(performed.stream().noneMatch(step -> step instanceof Step.Lock), "no lock step: " + performed);
        assertTrue(target.store().find(StackLock.name(stack)).isEmpty(), "no lock record");
        assertTrue(target.store().list(StackLock.STACK_LABEL, stack).isEmpty(), "no record of the stack at all");
        assertFalse(target.current(stack).exists(), "nothing deployed");
        assertFalse(TestApp.RUNNER.run(Command.of("docker", "image", "inspect", ref), Duration.ofSeconds(30)).succeeded(),
                "nothing was pulled: " + ref);
    }

    /** Removes what the deploy of {@code stack} created: its containers, network, lock and history volumes, the image. */
    private static void removeStack(String stack, String ref) {
        for (String filter : List.of("label=com.docker.compose.project=" + stack, "label=dev.deployer.stack=" + stack)) {
            String ids = TestApp.RUNNER.run(Command.of("docker", "ps", "-aq", "--filter", filter), Duration.ofSeconds(30)).output().strip();
            for (String id : ids.isEmpty() ? List.<String>of() : List.of(ids.split("\\s+"))) {
                TestApp.RUNNER.run(Command.of("docker", "rm", "-f", id), Duration.ofSeconds(60));
            }
        }
        TestApp.RUNNER.run(Command.of("docker", "network", "rm", stack + "_default"), Duration.ofSeconds(30));
        String volumes = TestApp.RUNNER.run(Command.of("docker", "volume", "ls", "-q", "--filter", "label=dev.deployer.stack=" + stack),
                Duration.ofSeconds(30)).output().strip();
        for (String volume : volumes.isEmpty() ? List.<String>of() : List.of(volumes.split("\\s+"))) {
            TestApp.RUNNER.run(Command.of("docker", "volume", "rm", volume), Duration.ofSeconds(30));
        }
        TestApp.RUNNER.run(Command.of("docker", "image", "rm", ImageRef.parse(ref).repository() + "@" + ImageRef.digestOf(ref)),
                Duration.ofSeconds(30));
    }

    @Test
    void anArm64OnlyImageIsRefusedOnThisAmd64EngineAndSwarmBeforeTheLock() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("wire13-arch").commit("wire13-arch");
        String repository = TestInfra.registry() + "/wire13/arch-" + UUID.randomUUID().toString().substring(0, 8);
        ImageResult arm64 = TestApp.builder(TestInfra.pushEnv(), tmp, new RecordingLog()).build(app.request(repository,
                TestInfra.get("DEPLOYER_TEST_BASE_INDEX"), true, List.of(), "qa").withPlatforms(List.of("linux/arm64")));
        String tag = arm64.tags().get(0);
        String ref = repository + ":" + tag + "@" + arm64.digest();
        ImageChecks checks = new RegistryImageChecks(credentials, tmp.resolve("no-image.json"), null, false);

        for (String targetName : List.of("compose", "swarm")) {
            performed.clear();
            String stack = PREFIX + "arch-" + targetName;
            TargetContext context = context();
            Target target = Targets.create(targetName, context);
            DeployerException refused = assertThrows(DeployerException.class, () -> deployment(target, context,
                    arm64.digest(), checks, targetName.equals("compose") ? 18600 : 18601)
                    .deploy(request(targetName, stack, "qa", repository, tag)));

            String where = targetName.equals("compose") ? "the server is linux/amd64" : "service app's nodes are linux/amd64";
            assertTrue(refused.problem().startsWith("image " + ref + " is linux/arm64"), refused.getMessage());
            assertTrue(refused.problem().contains(" only; " + where), refused.getMessage());
            assertTrue(refused.problem().contains("build with -Ddeployer.platforms=linux/arm64"), refused.getMessage());
            assertEquals("deployer.platforms", refused.location());
            assertNothingChanged(target, stack, ref);
            System.out.println("[DeployChecksIT] " + targetName + ": " + refused.getMessage());
        }
    }

    @Test
    void anEnforcedPublicKeyRefusesAnUnsignedImageBeforeTheLock() throws Exception {
        String[] key = TestKeys.keyPair();
        TestApp app = new TestApp(tmp.resolve("app")).source("wire13-unsigned").commit("wire13-unsigned");
        String repository = TestInfra.registry() + "/wire13/unsigned-" + UUID.randomUUID().toString().substring(0, 8);
        ImageResult unsigned = TestApp.builder(TestInfra.pushEnv(), tmp, new RecordingLog())
                .build(app.request(repository, TestInfra.baseImage(), true, List.of(), "production"));
        String tag = unsigned.tags().get(0);
        String ref = repository + ":" + tag + "@" + unsigned.digest();
        String stack = PREFIX + "unsigned";
        TargetContext context = context();
        Target target = Targets.create("compose", context);
        ImageChecks enforcing = new RegistryImageChecks(credentials, tmp.resolve("no-image.json"), key[1], true);

        DeployerException refused = assertThrows(DeployerException.class, () -> deployment(target, context,
                unsigned.digest(), enforcing, 18602).deploy(request("compose", stack, "production", repository, tag)));

        assertTrue(refused.problem().startsWith("Image " + repository + "@" + unsigned.digest() + " is not signed"),
                refused.getMessage());
        assertEquals("deployer.verify.publicKey", refused.location());
        assertTrue(refused.fix().contains("DEPLOYER_SIGNING_KEY"), refused.getMessage());
        assertNothingChanged(target, stack, ref);

        // the same image in qa, verification not enforced: reported, the architecture passes, and it is deployed
        performed.clear();
        ImageChecks reporting = new RegistryImageChecks(credentials, tmp.resolve("no-image.json"), key[1], false);
        try {
            deployment(target, context, unsigned.digest(), reporting, 18602).deploy(request("compose", stack, "qa", repository,
                    tag, java.net.URI.create("http://127.0.0.1:18602/health")));

            assertTrue(log.text().contains("Signature verification failed (not enforced"), log.text());
            assertTrue(log.text().contains("runs on the server (linux/amd64)"), log.text());
            assertTrue(performed.get(0) instanceof Step.ResolveDigest && performed.get(1) instanceof Step.Check
                    && performed.get(2) instanceof Step.Check && performed.get(3) instanceof Step.Lock,
                    "the tag's look-up, the checks, then the lock: " + performed);
            assertEquals(unsigned.digest(), target.current(stack).service("app").orElseThrow().digest(), "deployed");
        } finally {
            removeStack(stack, ref);
        }
    }
}
