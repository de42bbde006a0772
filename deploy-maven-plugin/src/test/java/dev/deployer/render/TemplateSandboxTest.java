package dev.deployer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A template is data from the repository, not code: it cannot run programs, read the environment or add YAML keys. */
class TemplateSandboxTest {

    @TempDir
    Path dir;

    private RenderFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new RenderFixture(dir).built("ghcr.io/acme/shop", RenderFixture.DIGEST);
        fixture.variables.put("DOMAIN", "shop.example.com");
    }

    private DeployerException refused(String expression) {
        fixture.template("stack.yml.vm", "services:\n  app:\n    image: x\n    environment:\n      A: " + expression + "\n");
        return assertThrows(DeployerException.class, () -> fixture.render(SecretMode.PREVIEW), expression);
    }

    @Test
    void aTemplateCannotStartAProcess() {
        Path pwned = dir.resolve("pwned");
        for (String expression : List.of(
                "$environment.getClass().forName('java.lang.Runtime').getRuntime().exec('touch " + pwned + "')",
                "$vars.getClass().getClassLoader().loadClass('java.lang.ProcessBuilder')",
                "$environment.class.forName('java.lang.Runtime').getRuntime().exec('touch " + pwned + "')")) {
            DeployerException e = refused(expression);
            assertTrue(e.problem().contains("sandboxed"), e.problem());
            assertTrue(e.location().startsWith("src/main/deploy/stack.yml.vm:5:"), e.location());
        }
        assertFalse(Files.exists(pwned));
    }

    @Test
    void aTemplateCannotReadTheEnvironment() {
        DeployerException e = refused("$environment.getClass().forName('java.lang.System').getenv('PATH')");
        assertTrue(e.problem().contains("may not use .getClass() of java.lang.String"), e.problem());
    }

    @Test
    void velocityLiteralsAndTheContextStillWork() throws Exception {
        fixture.template("stack.yml.vm", "#set($names = ['a', 'b'])\n#set($m = {'k': 'v'})\n"
                + "x: #foreach($n in $names)$n$foreach.index#end $m.k $environment.toUpperCase() $vars.DOMAIN.length()"
                + " $image.repository\n");
        fixture.render(SecretMode.PREVIEW);
        assertEquals("x: a0b1 v LOCAL 16 ghcr.io/acme/shop\n",
                Files.readString(fixture.request(SecretMode.PREVIEW).outputDirectory().resolve("stack.yml")));
    }

    @Test
    void aVariableValueCannotAddYamlKeys() {
        fixture.variables.put("GREETING", "hello\n    privileged: true");
        fixture.template("stack.yml.vm", "services:\n  app:\n    image: x\n    environment:\n      GREETING: $vars.GREETING\n");
        DeployerException e = assertThrows(DeployerException.class, () -> fixture.render(SecretMode.PREVIEW));
        assertEquals("src/main/deploy/stack.yml.vm:5:23", e.location());
        assertTrue(e.problem().contains("$vars.GREETING") && e.problem().contains("line break"), e.problem());
        assertTrue(e.fix().contains("$vars.quoted('GREETING')"), e.fix());
        assertFalse(Files.exists(fixture.request(SecretMode.PREVIEW).outputDirectory().resolve("stack.yml")));
    }

    @Test
    void aQuotedVariableStaysOneScalar() throws Exception {
        fixture.variables.put("GREETING", "hello\n    privileged: true \"x\" \\ \u0007");
        fixture.template("stack.yml.vm", "version: '3.8'\nservices:\n  app:\n    image: x\n    environment:\n      GREETING: $vars.quoted('GREETING')\n");
        fixture.render(SecretMode.PREVIEW);
        String yaml = Files.readString(fixture.request(SecretMode.PREVIEW).outputDirectory().resolve("stack.yml"));
        java.util.Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(yaml);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> app = (java.util.Map<String, Object>) ((java.util.Map<String, Object>) doc.get("services")).get("app");
        assertFalse(app.containsKey("privileged"), yaml);
        assertEquals(java.util.Map.of("GREETING", "hello\n    privileged: true \"x\" \\ \u0007"), app.get("environment"));
    }

    @Test
    void includeAndParseStayInsideTheTemplateDirectory() throws Exception {
        Files.writeString(dir.resolve("outside.txt"), "secret-outside-the-templates");
        for (String directive : List.of("#include('../../outside.txt')", "#parse('../../outside.txt')", "#include('/etc/hostname')")) {
            fixture.template("stack.yml.vm", "version: '3.8'\nservices:\n  app:\n    image: x\n# " + directive + "\n");
            DeployerException e = assertThrows(DeployerException.class, () -> fixture.render(SecretMode.PREVIEW), directive);
            assertFalse(e.getMessage().contains("secret-outside"), e.getMessage());
        }
    }
}
