package dev.deployer.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The images of a release from the image modules' image.json: all pushed and of the release's commit, or nothing. */
class ReleaseImagesTest {

    private static final String SHA = "4f1c2e9a7b3d5f60718293a4b5c6d7e8f9012345";
    private static final String OTHER = "0".repeat(40);
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    private ReleaseModule module(String name) {
        return new ReleaseModule(name, "registry.example/acme/" + name, dir.resolve(name).resolve("target/deployer"));
    }

    private void built(String name, String tag, String outcome) {
        new BuiltImage("registry.example/acme/" + name, List.of(tag), DIGEST, outcome, Map.of()).write(module(name).imageJson());
    }

    @Test
    void everyModulesImageInModuleOrder() {
        built("web", SHA, "pushed");
        built("api", SHA + "-dirty-1234567", "already-present");
        built("worker", SHA, "promoted");

        Map<String, ImageRef> images = ReleaseImages.read(List.of(module("web"), module("api"), module("worker")), SHA);

        assertEquals(List.of("web", "api", "worker"), List.copyOf(images.keySet()));
        assertEquals(new ImageRef("registry.example/acme/web", SHA, DIGEST), images.get("web"));
    }

    @Test
    void aMissingImageJsonNamesTheModuleAndTheFix() {
        built("web", SHA, "pushed");
        DeployerException e = assertThrows(DeployerException.class,
                () -> ReleaseImages.read(List.of(module("web"), module("api")), SHA));
        assertTrue(e.problem().contains("image module api has no image.json"), e.problem());
        assertTrue(e.location().startsWith("module api"), e.location());
        assertTrue(e.fix().contains("-pl <owner> -am"), e.fix());
    }

    @Test
    void aStaleImageOfAnotherCommitIsRefused() {
        built("api", OTHER, "pushed");
        DeployerException e = assertThrows(DeployerException.class, () -> ReleaseImages.read(List.of(module("api")), SHA));
        assertTrue(e.problem().contains("module api is stale: it was built for " + OTHER), e.problem());
        assertTrue(e.fix().contains("-Ddeployer.release"), e.fix());
    }

    @Test
    void anImageThatIsNotInARegistryIsRefused() {
        built("api", SHA, "tarball");
        DeployerException e = assertThrows(DeployerException.class, () -> ReleaseImages.read(List.of(module("api")), SHA));
        assertTrue(e.problem().contains("module api was built but is not in a registry"), e.problem());
    }

    @Test
    void aRecordOfAnotherRepositoryIsRefused() {
        new BuiltImage("registry.example/acme/old-name", List.of(SHA), DIGEST, "pushed", Map.of()).write(module("api").imageJson());
        DeployerException e = assertThrows(DeployerException.class, () -> ReleaseImages.read(List.of(module("api")), SHA));
        assertTrue(e.problem().contains("names registry.example/acme/old-name"), e.problem());
    }
}
