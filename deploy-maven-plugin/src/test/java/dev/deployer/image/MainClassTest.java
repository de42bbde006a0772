package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main class is found like Jib finds it: parameter, jar manifest, then jib-core's scan of the compiled classes. */
class MainClassTest {

    @TempDir
    Path tmp;

    /** Compiles {@code sources} ({@code "pkg.Name" -> body}) into {@code tmp/classes}. */
    private Path classes(String... namesAndBodies) throws IOException {
        Path src = tmp.resolve("src");
        Path out = Files.createDirectories(tmp.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString()));
        for (int i = 0; i < namesAndBodies.length; i += 2) {
            String name = namesAndBodies[i];
            int dot = name.lastIndexOf('.');
            Path file = src.resolve(name.replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "package " + name.substring(0, dot) + ";\npublic class " + name.substring(dot + 1)
                    + " {\n" + namesAndBodies[i + 1] + "\n}\n");
            args.add(file.toString());
        }
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)));
        Files.writeString(out.resolve("application.properties"), "x=1\n");
        return out;
    }

    private static final String MAIN = "public static void main(String[] args) {}";

    private static MainClass search(String configured, Path jar, Path classes) {
        return MainClass.search(configured, jar, classes, event -> { });
    }

    @Test
    void theParameterComesFirstAndMustBeAClassName() throws Exception {
        Path classes = classes("a.One", MAIN, "a.Two", MAIN);
        MainClass found = search(" a.Two ", null, classes);
        assertEquals("a.Two", found.name());
        assertEquals("deployer.mainClass", found.source());
        DeployerException bad = assertThrows(DeployerException.class, () -> search("a.Two;rm", null, classes));
        assertEquals("deployer.mainClass", bad.location());
    }

    @Test
    void theJarManifestComesBeforeTheScan() throws Exception {
        Path classes = classes("a.One", MAIN, "a.Two", MAIN);
        Path jar = tmp.resolve("svc-1.0.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "a.One");
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();
        MainClass found = search(null, jar, classes);
        assertEquals("a.One", found.name());
        assertEquals("Main-Class of svc-1.0.jar", found.source());
    }

    @Test
    void aSpringBootExecutableJarGivesItsStartClassNotTheLauncher() throws Exception {
        Path classes = classes("shop.ShopApplication", MAIN, "shop.Tool", MAIN);
        Path jar = tmp.resolve("shop-1.0.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.springframework.boot.loader.launch.JarLauncher");
        manifest.getMainAttributes().putValue("Start-Class", "shop.ShopApplication");
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();
        MainClass found = search(null, jar, classes);
        assertEquals("shop.ShopApplication", found.name());
        assertEquals("Start-Class of shop-1.0.jar", found.source());
    }

    @Test
    void theOnlyClassWithAMainIsInferred() throws Exception {
        Path classes = classes("demo.App", MAIN, "demo.Util", "public static int twice(int x) { return 2 * x; }",
                "demo.NotMain", "public void main(String[] args) {}");
        Path jar = tmp.resolve("svc.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();
        MainClass found = search("", jar, classes);
        assertEquals("demo.App", found.name());
        assertEquals("demo.App", found.required());
        assertEquals("the only class with a main method in classes/", found.source());
    }

    @Test
    void noMainClassIsAnErrorSayingHowToChoose() throws Exception {
        Path classes = classes("lib.Util", "public static int twice(int x) { return 2 * x; }");
        Path jar = tmp.resolve("lib-1.0.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();
        MainClass found = search(null, jar, classes);
        assertFalse(found.any());
        assertNull(found.name());
        DeployerException e = assertThrows(DeployerException.class, found::required);
        assertEquals("deployer.mainClass", e.location());
        assertEquals("No main class: deployer.mainClass is not set, and lib-1.0.jar (no Main-Class in its manifest) and"
                + " classes/ has no class with a public static void main(String[])", e.problem());
        assertTrue(e.fix().contains("<deployer.mainClass>com.acme.Main</deployer.mainClass>")
                && e.fix().contains("-Ddeployer.mainClass=com.acme.Main"), e.fix());
        assertFalse(search(null, null, tmp.resolve("missing")).any());
    }

    @Test
    void severalMainClassesAreAnErrorListingThem() throws Exception {
        Path classes = classes("b.Second", MAIN, "a.First", MAIN);
        MainClass found = search(null, null, classes);
        assertTrue(found.any());
        assertEquals(List.of("a.First", "b.Second"), found.candidates());
        DeployerException e = assertThrows(DeployerException.class, found::required);
        assertEquals("Several main classes in classes/: a.First, b.Second", e.problem());
        assertTrue(e.fix().contains("<deployer.mainClass>a.First</deployer.mainClass>")
                && e.fix().contains("-Ddeployer.mainClass=a.First"), e.fix());
    }

    @Test
    void aModuleWithoutImageAndWithoutMainIsNotAServiceButOneWithAnImageIs() throws Exception {
        Path library = classes("lib.Util", "public static int twice(int x) { return 2 * x; }");
        assertEquals("not a service (no deployer.image, and no main class: classes/ has no class with a public static"
                + " void main(String[]))", MainClass.notAService(null, "jar", () -> search(null, null, library)));
        assertEquals("not a service (no deployer.image, packaging 'war')", MainClass.notAService(" ", "war", () -> {
            throw new AssertionError("no scan needed");
        }));
        assertNull(MainClass.notAService("ghcr.io/acme/lib", "jar", () -> search(null, null, library)),
                "deployer.image set: a service, whose missing main class fails clearly");
        Path service = classes("svc.Main", MAIN);
        assertNull(MainClass.notAService(null, "jar", () -> search(null, null, service)),
                "a main class: a service, whose missing deployer.image fails clearly");
    }
}
