package dev.deployer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Placeholders as Compose reads them, and the render's refusal of undeclared ones. */
class PlaceholdersTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void composeForms() {
        List<Placeholders.Placeholder> found = Placeholders.find(
                "a ${A} b $B c ${C:-x} d ${D-y} e ${E:?missing} f ${F?m} g ${G:+alt} h $${ESCAPED} i $$J k $5 l ${} m $");
        assertEquals(List.of("A", "B", "C", "D", "E", "F", "G"), found.stream().map(Placeholders.Placeholder::name).toList());
        assertEquals(List.of(true, true, false, false, true, true, false),
                found.stream().map(Placeholders.Placeholder::required).toList());
        assertEquals("${C:-x}", found.get(2).text());
    }

    private RenderFixture fixture(String compose) {
        RenderFixture fixture = new RenderFixture(dir).built("ghcr.io/acme/shop", RenderFixture.DIGEST);
        fixture.secrets = List.of("REDIS_PASSWORD");
        fixture.variables.put("QUANTUM_NODE", "node-1");
        fixture.template("docker-compose.yml.vm", compose);
        return fixture;
    }

    @Test
    void anUndeclaredPlaceholderIsRefusedAtRenderWithFileLineColumn() {
        RenderFixture fixture = fixture("services:\n  app:\n    image: x\n    environment:\n"
                + "      KEY: #[[${QUANTUM_API_KEY}]]#\n      OTHER: #[[pre-$GITHUB_TOKEN]]#\n");
        for (SecretMode mode : SecretMode.values()) {
            DeployerException e = assertThrows(DeployerException.class, () -> fixture.render(mode));
            assertEquals("target/deployer/local/docker-compose.yml:5:12", e.location());
            assertTrue(e.problem().startsWith("Undeclared placeholder ${QUANTUM_API_KEY}"), e.problem());
            assertTrue(e.fix().contains("<secrets><secret>QUANTUM_API_KEY</secret></secrets>"), e.fix());
            assertTrue(e.fix().contains("Also: target/deployer/local/docker-compose.yml:6:18: Undeclared placeholder $GITHUB_TOKEN"),
                    e.fix());
        }
    }

    @Test
    void declaredNamesEscapesDefaultsAndCommentsPass() throws Exception {
        RenderFixture fixture = fixture("services:\n  app:\n    image: x\n    environment:\n"
                + "      PASSWORD: $secrets.REDIS_PASSWORD\n      NODE: #[[${QUANTUM_NODE}]]#\n"
                + "      LITERAL: #[[$${NOT_A_PLACEHOLDER} $$HOME]]#\n"
                + "    # #[[${IN_A_COMMENT}]]# is not interpolated\n");
        fixture.env.put("REDIS_PASSWORD", "s3cr3t-value");
        fixture.render(SecretMode.DEPLOY);
        String text = Files.readString(fixture.request(SecretMode.DEPLOY).outputDirectory().resolve("docker-compose.yml"));
        assertTrue(text.contains("PASSWORD: ${REDIS_PASSWORD}"), text);
        assertFalse(text.contains("s3cr3t-value"), text);
    }

    @Test
    void aPlaceholderWithADefaultMustBeDeclaredToo() {
        RenderFixture fixture = fixture("services:\n  app:\n    image: x\n    environment:\n      LEVEL: #[[${LOG_LEVEL:-info}]]#\n");
        DeployerException e = assertThrows(DeployerException.class, () -> fixture.render(SecretMode.PREVIEW));
        assertTrue(e.problem().startsWith("Undeclared placeholder ${LOG_LEVEL:-info}"), e.problem());
    }

    @Test
    void otherFilesAreNotInterpolatedAndNotChecked() throws Exception {
        RenderFixture fixture = fixture("services:\n  app:\n    image: x\n");
        fixture.template("proxy/nginx.conf.vm", "proxy_set_header Host #[[$host]]#;\n");
        fixture.render(SecretMode.PREVIEW);
    }
}
