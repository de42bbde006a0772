package dev.deployer.deploy;

import dev.deployer.core.BuiltImage;
import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.ImageRef;
import dev.deployer.core.ReleaseModule;
import dev.deployer.core.Shutdown;
import dev.deployer.guard.ProductionGuard;
import dev.deployer.testing.RecordingLog;
import dev.deployer.verify.Sleeper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A release of two image modules ({@code api}, {@code web}) deployed by their owner ({@code stack}) as one stack, on a
 * {@link FakeTarget}: one record listing every image, a failed release restores every service, a rollback restores the
 * whole previous release, promotion by tag resolves every module's digest. No engine, no process.
 */
class ReleaseRunbookTest {

    private static final String API = "registry.example/acme/api";
    private static final String WEB = "registry.example/acme/web";
    private static final String SHA1 = "1".repeat(40);
    private static final String SHA2 = "2".repeat(40);
    private static final String API1 = "sha256:" + "a1".repeat(32);
    private static final String WEB1 = "sha256:" + "b1".repeat(32);
    private static final String API2 = "sha256:" + "a2".repeat(32);
    private static final String WEB2 = "sha256:" + "b2".repeat(32);

    @TempDir
    Path dir;

    private final FakeTarget target = new FakeTarget();
    private final RecordingLog log = new RecordingLog("");

    private Deployment deployment() {
        return deployment(ImageChecks.NONE);
    }

    private Deployment deployment(ImageChecks checks) {
        TargetContext context = new TargetContext(target.runner(), log, name -> null, Clock.systemUTC());
        StackRenderer renderer = new StackRenderer() {
            @Override
            public List<String> secretNames(ImageRef image) {
                return List.of();
            }

            @Override
            public Rendered render(ImageRef image) {
                throw new AssertionError("a release renders with $images");
            }

            @Override
            public Rendered render(ImageRef image, Map<String, ImageRef> images) {
                String text = "services:\n  api:\n    image: \"" + images.get("api").repository() + "@" + images.get("api").digest()
                        + "\"\n  web:\n    image: \"" + images.get("web").repository() + "@" + images.get("web").digest() + "\"\n";
                return new Rendered("stack.yml", Map.of("stack.yml", text), List.of());
            }
        };
        GitHubActions github = new GitHubActions(name -> null, new PrintStream(OutputStream.nullOutputStream()));
        Map<String, String> registry = Map.of(API + ":" + SHA1, API1, WEB + ":" + SHA1, WEB1, API + ":" + SHA2, API2,
                WEB + ":" + SHA2, WEB2);
        ImageResolver.DigestResolver digests = (repository, tag) -> {
            String digest = registry.get(repository + ":" + tag);
            if (digest == null) {
                throw new DeployerException("no tag " + tag + " in " + repository, "deployer.tag", "push it");
            }
            return digest;
        };
        return new Deployment(context, target, renderer, Sleeper.real(), github, digests, checks, Shutdown.manual());
    }

    /** Both modules built and pushed for {@code sha}: their image.json. */
    private void built(String sha, String api, String web) {
        new BuiltImage(API, List.of(sha), api, "pushed", Map.of()).write(module("api").imageJson());
        new BuiltImage(WEB, List.of(sha), web, "pushed", Map.of()).write(module("web").imageJson());
    }

    private ReleaseModule module(String name) {
        return new ReleaseModule(name, name.equals("api") ? API : WEB, dir.resolve(name + "/target/deployer"));
    }

    private DeployRequest request(String sha, String tag, boolean dryRun) {
        return new DeployRequest("fake", "shop", "qa", dir.resolve("stack/target/deployer"), null, tag, null,
                Duration.ofSeconds(5), List.of(), Duration.ofSeconds(1), dryRun, false, ProductionGuard.none(),
                new DeployRequest.Release("stack", sha, List.of(module("api"), module("web"))));
    }

    private String digestOf(String service) {
        return target.state().service(service).orElseThrow().digest();
    }

    private void release1Runs() {
        built(SHA1, API1, WEB1);
        deployment().deploy(request(SHA1, null, false));
        assertEquals(API1, digestOf("api"));
        assertEquals(WEB1, digestOf("web"));
    }

    @Test
    void oneReleaseIsOneRecordListingEveryImage() {
        release1Runs();

        List<DeployHistory.Entry> history = new DeployHistory(target.store).entries("shop");
        assertEquals(1, history.size(), "one record for the release");
        DeployHistory.Entry entry = history.get(0);
        assertEquals(Map.of("api", API + "@" + API1, "web", WEB + "@" + WEB1), entry.images());
        assertEquals(API, entry.repository(), "the single image field stays, for old readers: the first module's");
        assertEquals(SHA1, entry.tag());
        assertEquals(1, target.events.stream().filter(e -> e.startsWith("fake record create deployer-lock-shop")).count(),
                "one lock: " + target.events);
    }

    @Test
    void eachImageOfAReleaseIsCheckedAgainstTheNodesOfTheServicesThatRunIt() {
        built(SHA1, API1, WEB1);

        deployment(new FakeImageChecks(target)).deploy(request(SHA1, null, false));

        // before: web's image was checked against the nodes of api (the first module's services), whatever web's placement
        assertEquals(List.of(List.of("api"), List.of("web")), target.nodesAskedFor);
        assertTrue(log.text().contains("Architecture: " + WEB + ":" + SHA1 + "@" + WEB1 + " (linux/amd64) runs on the server"), log.text());
    }

    @Test
    void aReleaseWhoseSecondModuleIsUnhealthyRestoresEveryService() {
        release1Runs();
        built(SHA2, API2, WEB2);
        target.unhealthy.add(WEB2);

        DeployFailedException e = assertThrows(DeployFailedException.class, () -> deployment().deploy(request(SHA2, null, false)));

        assertTrue(e.rolledBack(), e.getMessage());
        assertEquals(API1, digestOf("api"), "api is back on the previous release");
        assertEquals(WEB1, digestOf("web"), "web is back on the previous release");
        assertEquals("failed", new DeployHistory(target.store).entries("shop").get(0).status());
    }

    @Test
    void rollbackRestoresTheWholePreviousReleaseVerifiedByDigest() {
        release1Runs();
        built(SHA2, API2, WEB2);
        deployment().deploy(request(SHA2, null, false));
        assertEquals(API2, digestOf("api"));

        deployment().rollback(request(null, null, false));

        assertEquals(API1, digestOf("api"));
        assertEquals(WEB1, digestOf("web"));
        DeployHistory.Entry newest = new DeployHistory(target.store).entries("shop").get(0);
        assertEquals("rollback", newest.status());
        assertEquals(Map.of("api", API + "@" + API1, "web", WEB + "@" + WEB1), newest.images());
    }

    @Test
    void aPromotionDeploysEachModulesDigestOfThatCommit() {
        release1Runs();

        deployment().deploy(request(null, SHA2, false));

        assertEquals(API2, digestOf("api"));
        assertEquals(WEB2, digestOf("web"));
    }

    @Test
    void aStaleModuleDeploysNothingAndNamesTheModule() {
        release1Runs();
        built(SHA2, API2, WEB2);
        new BuiltImage(WEB, List.of(SHA1), WEB1, "pushed", Map.of()).write(module("web").imageJson());
        target.events.clear();

        DeployerException e = assertThrows(DeployerException.class, () -> deployment().deploy(request(SHA2, null, false)));

        assertTrue(e.problem().contains("module web is stale"), e.problem());
        assertTrue(target.events.isEmpty(), "nothing was locked or deployed: " + target.events);
        assertEquals(WEB1, digestOf("web"));
    }

    @Test
    void aDryRunPrintsEveryImageByDigest() {
        built(SHA1, API1, WEB1);
        Plan plan = deployment().runbook().deploy(request(SHA1, null, true));

        String printed = String.join("\n", plan.lines());
        assertTrue(printed.contains("#   api = " + API + "@" + API1), printed);
        assertTrue(printed.contains("#   web = " + WEB + "@" + WEB1), printed);
        assertTrue(printed.contains("the app services run " + API + "@" + API1 + ", " + WEB + "@" + WEB1), printed);
    }
}
