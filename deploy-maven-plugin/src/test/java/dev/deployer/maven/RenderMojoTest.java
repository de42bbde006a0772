package dev.deployer.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deployer:render} configured from a POM (src/test/resources/render-mojo/pom.xml) through the harness. */
@MojoTest
class RenderMojoTest {

    private static final String POM = "src/test/resources/render-mojo/pom.xml";
    private static final String SHA = "4f1c2e9a7b3d5f60718293a4b5c6d7e8f9012345";

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();

    /** Points the mojo at a throw-away project with one template, and records its log. */
    private void prepare(RenderMojo mojo, String template) throws Exception {
        Files.createDirectories(dir.resolve("src/main/deploy"));
        Files.writeString(dir.resolve("src/main/deploy/stack.yml.vm"), template);
        Files.createDirectories(dir.resolve("target/deployer"));
        Files.writeString(dir.resolve("target/deployer/image.json"),
                "{\"image\": \"ghcr.io/acme/shop\", \"tags\": [\"" + SHA + "\"], \"digest\": null, \"pushed\": false}");
        mojo.project.setGroupId("dev.example");
        mojo.project.setArtifactId("shop");
        mojo.project.setVersion("1.2.3");
        mojo.project.setFile(dir.resolve("pom.xml").toFile());
        mojo.project.getBuild().setDirectory(dir.resolve("target").toString());
        MojoExtension.setVariableValueToObject(mojo, "templateDirectory", dir.resolve("src/main/deploy").toFile());
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }
        });
    }

    @Test
    @InjectMojo(goal = "render", pom = POM)
    void rendersWithPomConfigurationAndCommandLineOverrides(RenderMojo mojo) throws Exception {
        prepare(mojo, "version: '3.8'\nservices:\n  app:\n    image: $image.ref\n    environment:\n"
                + "      GREETING: $vars.GREETING\n      DOMAIN: $vars.DOMAIN\n      PASSWORD: $secrets.REDIS_PASSWORD\n");
        mojo.session.getUserProperties().setProperty("deployer.var.DOMAIN", "cli.example.com");

        mojo.execute();

        assertEquals("version: '3.8'\nservices:\n  app:\n    image: ghcr.io/acme/shop:" + SHA + "\n    environment:\n"
                + "      GREETING: hello from the POM\n      DOMAIN: cli.example.com\n      PASSWORD: [REDACTED]\n",
                read("target/deployer/qa/stack.yml"));
        assertTrue(Files.exists(dir.resolve("target/deployer/qa/.quantum")));
        assertEquals("Rendered src/main/deploy/stack.yml.vm -> target/deployer/qa/stack.yml", lines.get(0));
        assertTrue(lines.get(lines.size() - 1).startsWith("Rendered 1 file for environment qa"), lines.toString());
    }

    @Test
    @InjectMojo(goal = "render", pom = POM)
    void templateErrorsBecomeBuildFailuresWithLocationAndFix(RenderMojo mojo) throws Exception {
        prepare(mojo, "version: '3.8'\nservices:\n  app:\n    image: $vars.IMAGE\n");

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage().startsWith("src/main/deploy/stack.yml.vm:4:18: Undefined variable $vars.IMAGE\n  Fix: "),
                e.getMessage());
    }

    @Test
    @InjectMojo(goal = "render", pom = POM)
    void skipRendersNothing(RenderMojo mojo) throws Exception {
        prepare(mojo, "version: '3.8'\n");
        MojoExtension.setVariableValueToObject(mojo, "skip", true);

        mojo.execute();

        assertFalse(Files.exists(dir.resolve("target/deployer/qa")));
    }

    private String read(String name) throws IOException {
        return Files.readString(dir.resolve(name));
    }

}
