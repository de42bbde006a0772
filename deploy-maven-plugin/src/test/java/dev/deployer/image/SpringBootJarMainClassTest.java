package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deployer.core.GitInfo;
import dev.deployer.core.ProjectInfo;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spring Boot jar (repackaged, layered or not) names its nested-jar launcher as {@code Main-Class}; the image holds
 * classes and dependency layers instead, so it must start the application's {@code Start-Class}.
 */
class SpringBootJarMainClassTest {

    @TempDir
    Path dir;

    private String mainClassOf(Path jar) {
        return MainClass.search(null, jar, dir.resolve("target/classes"), event -> { }).name();
    }

    private Path jar(String mainClass, String startClass) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        if (startClass != null) {
            manifest.getMainAttributes().putValue("Start-Class", startClass);
            manifest.getMainAttributes().putValue("Spring-Boot-Layers-Index", "BOOT-INF/layers.idx");
        }
        Path jar = dir.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is all that is read
        }
        return jar;
    }

    @Test
    void aRepackagedSpringBootJarStartsTheApplicationNotTheLauncher() throws Exception {
        assertEquals("demo.shop.ShopApplication",
                mainClassOf(jar("org.springframework.boot.loader.launch.JarLauncher", "demo.shop.ShopApplication")));
    }

    @Test
    void aPlainJarStartsItsMainClass() throws Exception {
        assertEquals("demo.App", mainClassOf(jar("demo.App", null)));
    }
}
