package dev.deployer.image;

import dev.deployer.testing.TestInfra;
import dev.deployer.testing.RecordingLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input fails with the parameter and the fix before anything remote happens: the registries named here do
 * not exist, so reaching for them would fail differently.
 */
class ImageRequestValidationIT {

    private static final String NOWHERE = "127.0.0.1:5509/timage/never";

    @TempDir
    Path tmp;

    private DeployerException fails(ImageRequest request) {
        return assertThrows(DeployerException.class,
                () -> TestApp.builder(Map.of(), tmp, new RecordingLog()).build(request));
    }

    private static ImageRequest with(ImageRequest r, String image, String base, String mainClass, Path jar,
                                     List<String> ports, boolean toDocker) {
        return new ImageRequest(r.project(), r.git(), r.environment(), image, base, mainClass, jar, r.classesDir(),
                r.dependencies(), r.snapshotDependencies(), r.jvmFlags(), ports, r.labels(), r.extraTags(),
                r.sourceUrl(), r.push(), toDocker);
    }

    @Test
    void dirtyTreeIsRefusedForProductionNamingTheFiles() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("v1").commit("v1");
        Files.writeString(app.dir.resolve("src/demo/App.java"), "// changed\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(app.dir.resolve("NOTES.txt"), "new\n");
        DeployerException e = fails(app.request(NOWHERE, "127.0.0.1:5509/base:1", true, List.of(), "production"));
        assertEquals("deployer.environment", e.location());
        assertTrue(e.problem().contains("src/demo/App.java") && e.problem().contains("NOTES.txt"), e.getMessage());
        assertTrue(e.problem().contains("must be built from a commit"), e.getMessage());
    }

    @Test
    void dirtyTreeBuildsLocallyUnderADirtyTag() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("v1").commit("v1");
        Files.writeString(app.dir.resolve("NOTES.txt"), "new\n");
        RecordingLog log = new RecordingLog();
        ImageResult result = TestApp.builder(Map.of(), tmp, log).build(
                app.request("127.0.0.1:5509/timage/dirty", "tar://" + TestInfra.baseTar(), false, List.of(), "local"));
        assertTrue(result.tags().get(0).matches(app.gitInfo().sha() + "-dirty-[0-9a-f]{12}"), result.tags().toString());
        assertTrue(log.text().contains("uncommitted changes: tagging " + result.tags().get(0)), log.text());
        assertTrue(Files.isRegularFile(app.project().deployerDir().resolve("image.tar")));
    }

    @Test
    void imageAndBaseAreChecked() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("v1").commit("v1");
        ImageRequest ok = app.request(NOWHERE, "127.0.0.1:5509/base:1", true, List.of(), "qa");
        assertEquals("deployer.image", fails(with(ok, null, ok.baseImage(), "demo.App", null, List.of(), false)).location());
        DeployerException tagged = fails(with(ok, NOWHERE + ":v1", ok.baseImage(), "demo.App", null, List.of(), false));
        assertTrue(tagged.problem().contains("has a tag or digest"), tagged.getMessage());
        assertEquals("deployer.image", fails(with(ok, "Not An Image", ok.baseImage(), "demo.App", null, List.of(), false)).location());
        DeployerException untagged = fails(with(ok, NOWHERE, "127.0.0.1:5509/base", "demo.App", null, List.of(), false));
        assertTrue(untagged.problem().contains("has no tag or digest"), untagged.getMessage());
        DeployerException noTar = fails(with(ok, NOWHERE, "tar://missing.tar", "demo.App", null, List.of(), false));
        assertTrue(noTar.problem().contains("missing.tar does not exist"), noTar.getMessage());
        DeployerException both = fails(with(ok, NOWHERE, ok.baseImage(), "demo.App", null, List.of(), true));
        assertEquals("deployer.toDocker", both.location());
        DeployerException port = fails(with(ok, NOWHERE, ok.baseImage(), "demo.App", null, List.of("http"), false));
        assertEquals("deployer.ports", port.location());
    }

    @Test
    void mainClassComesFromTheParameterOrTheJarManifestOrTheOnlyClassWithAMain() throws Exception {
        TestApp app = new TestApp(tmp.resolve("app")).source("v1").commit("v1");
        ImageRequest ok = app.request("127.0.0.1:5509/timage/main", "tar://" + TestInfra.baseTar(), false, List.of(), "local");
        assertEquals("deployer.mainClass", fails(with(ok, ok.image(), ok.baseImage(), "demo.App;rm", null, List.of(), false)).location());

        RecordingLog scanned = new RecordingLog();
        TestApp.builder(Map.of(), tmp, scanned).build(with(ok, ok.image(), ok.baseImage(), null, null, List.of(), false));
        assertTrue(scanned.text().contains("(main class demo.App, the only class with a main method in classes/)"), scanned.text());

        Path jar = tmp.resolve("demo.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "demo.App");
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();
        RecordingLog log = new RecordingLog();
        TestApp.builder(Map.of(), tmp, log).build(with(ok, ok.image(), ok.baseImage(), null, jar, List.of(), false));
        assertTrue(log.text().contains("(main class demo.App, Main-Class of demo.jar)"), log.text());

        Files.delete(app.classes().resolve("demo/App.class"));
        DeployerException missing = fails(with(ok, ok.image(), ok.baseImage(), null, null, List.of(), false));
        assertEquals("deployer.mainClass", missing.location());
        assertTrue(missing.fix().contains("<deployer.mainClass>"), missing.getMessage());
    }
}
