package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.ProjectInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SbomTest {

    @TempDir
    Path tmp;

    @Test
    void describesTheServiceItsDependencyGraphAndTheBaseDeterministically() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo/org/acme/lib/1.0"));
        Path jar = Files.writeString(repo.resolve("lib-1.0.jar"), "not really a jar");
        Files.writeString(repo.resolve("lib-1.0.pom"), """
                <project><licenses><license><name>The Apache Software License, Version 2.0</name>
                <url>https://www.apache.org/licenses/LICENSE-2.0.txt</url></license>
                <license><name>Acme Proprietary</name></license></licenses></project>""");
        Path transitive = Files.writeString(Files.createDirectories(tmp.resolve("repo/org/acme/core/2.0"))
                .resolve("core-2.0.jar"), "core");
        List<SbomDependency> dependencies = List.of(
                new SbomDependency("org.acme:lib:jar:1.0", "org.acme", "lib", "1.0", "jar", null, "compile", jar, null),
                new SbomDependency("org.acme:core:jar:2.0", "org.acme", "core", "2.0", "jar", null, "runtime", transitive,
                        "org.acme:lib:jar:1.0"));
        ProjectInfo project = new ProjectInfo("com.shop", "cart", "1.2.0", "jar", tmp, tmp.resolve("target"));
        String digest = "sha256:" + "c".repeat(64);
        ImageResult image = new ImageResult("127.0.0.1:5443/shop/cart", List.of("abc"), "sha256:" + "d".repeat(64),
                true, ImageResult.Outcome.PUSHED, Map.of("linux/amd64", digest));
        Instant created = Instant.parse("2026-12-01T10:00:00Z");

        String json = Sbom.json(project, dependencies, image, "base:17", Optional.of(digest), created);

        assertEquals(json, Sbom.json(project, dependencies, image, "base:17", Optional.of(digest), created),
                "same input, same bytes");
        Bom bom = new JsonParser().parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("pkg:maven/com.shop/cart@1.2.0", bom.getMetadata().getComponent().getPurl());
        Component lib = bom.getComponents().get(0);
        assertEquals("pkg:maven/org.acme/lib@1.0", lib.getPurl());
        assertEquals("Apache-2.0", lib.getLicenses().getLicenses().get(0).getId());
        assertEquals("Acme Proprietary", lib.getLicenses().getLicenses().get(1).getName());
        assertNull(bom.getComponents().get(1).getLicenses(), "no POM next to the jar: no licence claimed");
        Component base = bom.getComponents().get(2);
        assertEquals(Component.Type.CONTAINER, base.getType());
        assertEquals(digest, base.getVersion());
        assertEquals(List.of("pkg:maven/org.acme/core@2.0"), bom.getDependencies().stream()
                .filter(d -> d.getRef().equals("pkg:maven/org.acme/lib@1.0")).findFirst().orElseThrow()
                .getDependencies().stream().map(d -> d.getRef()).toList());
        assertTrue(json.contains("\"deployer:image.platform.linux/amd64\""), json);
    }

    @Test
    void purlsCarryClassifierAndType() {
        assertEquals("pkg:maven/g/a@1?classifier=linux-x86_64&type=zip",
                new SbomDependency("g:a:zip:linux-x86_64:1", "g", "a", "1", "zip", "linux-x86_64", "runtime", null, null).purl());
        assertEquals("pkg:maven/g/a@1", new SbomDependency("g:a:jar:1", "g", "a", "1", "jar", null, null, null, null).purl());
    }
}
