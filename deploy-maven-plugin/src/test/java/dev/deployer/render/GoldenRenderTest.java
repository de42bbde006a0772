package dev.deployer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders {@code src/test/resources/render/stack/templates} and compares every output, byte for byte, with the
 * golden files next to them: {@code expected-preview} (what {@code deployer:render} writes) and
 * {@code expected-deploy} (what a deploy hands to Swarm/Quantum).
 */
class GoldenRenderTest {

    private static final String PASSWORD = "s3cr3t-Redis-pa55word";
    private static final String ADMIN_HASH = "JDJhJDE0JGhhc2hlZC1hZG1pbi1wYXNzd29yZA";

    @TempDir
    Path dir;

    private RenderFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new RenderFixture(dir).templatesFrom("stack").built("ghcr.io/acme/shop", RenderFixture.DIGEST);
        fixture.environment = "production";
        fixture.variables.put("GREETING", "Hello from production");
        fixture.variables.put("REPLICAS", "2");
        fixture.variables.put("PUBLIC_DOMAIN", "shop.example.com");
        fixture.variables.put("QUANTUM_NODE", "node-1"); // the ${QUANTUM_NODE} placeholder names a declared variable
        fixture.secrets = List.of("REDIS_PASSWORD", "ADMIN_HASH");
        fixture.env.put("REDIS_PASSWORD", PASSWORD);
        fixture.env.put("ADMIN_HASH", ADMIN_HASH);
    }

    @Test
    void previewMatchesGoldenFilesAndRedactsSecretsThatAreSet() throws IOException {
        List<RenderedFile> files = fixture.render(SecretMode.PREVIEW);

        assertMatchesGolden("expected-preview", files);
        assertNoSecretIn(dir.resolve("target"));
        assertFalse(fixture.log.text().contains(PASSWORD));
        assertEquals(List.of(
                "[INFO] Rendered src/main/deploy/proxy/Caddyfile.vm -> target/deployer/production/proxy/Caddyfile",
                "[INFO] Rendered src/main/deploy/stack.yml.vm -> target/deployer/production/stack.yml",
                "[INFO] Wrote Quantum descriptor target/deployer/production/.quantum (compose: stack.yml)",
                "[INFO] Rendered 2 files for environment production into target/deployer/production; image "
                        + "ghcr.io/acme/shop:" + RenderFixture.SHA + "@" + RenderFixture.DIGEST
                        + " (from target/deployer/image.json); secrets ADMIN_HASH, REDIS_PASSWORD shown as [REDACTED]"),
                fixture.log.lines());
    }

    @Test
    void deployModeMatchesGoldenFilesWithPlaceholdersNotValues() throws IOException {
        List<RenderedFile> files = fixture.render(SecretMode.DEPLOY);

        assertMatchesGolden("expected-deploy", files);
        assertNoSecretIn(dir.resolve("target"));
        assertFalse(fixture.log.text().contains(PASSWORD));
    }

    private void assertMatchesGolden(String expectedDir, List<RenderedFile> files) throws IOException {
        Path expected = RenderFixture.resource("stack").resolve(expectedDir);
        Path out = dir.resolve("target/deployer/production");
        List<String> expectedNames = relativeFiles(expected);
        assertEquals(expectedNames, relativeFiles(out), "files written");
        assertEquals(expectedNames, files.stream().map(RenderedFile::name).sorted().toList(), "files returned");
        for (String name : expectedNames) {
            assertEquals(Files.readString(expected.resolve(name)), Files.readString(out.resolve(name)), name);
        }
        for (RenderedFile file : files) {
            assertEquals(Files.readString(file.file()), file.content(), file.name());
        }
    }

    private static void assertNoSecretIn(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                assertFalse(text.contains(PASSWORD) || text.contains(ADMIN_HASH), "a secret value in " + file);
            }
        }
    }

    private static List<String> relativeFiles(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).map(path -> root.relativize(path).toString().replace('\\', '/'))
                    .filter(name -> !name.equals("image.json")).sorted().toList();
        }
    }

    @Test
    void goldenTemplatesExist() {
        assertTrue(Files.isRegularFile(RenderFixture.resource("stack").resolve("templates/stack.yml.vm")));
    }
}
