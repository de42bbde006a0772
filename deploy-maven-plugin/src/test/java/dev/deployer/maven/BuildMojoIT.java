package dev.deployer.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.Log;
import dev.deployer.core.ProcessRunner;
import dev.deployer.testing.TestInfra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deployer:build} configured from a POM (src/test/resources/build-mojo/pom.xml) through the harness, on a
 * real temporary git repository with compiled classes, building with the real Jib against the test registry.
 */
@MojoTest
class BuildMojoIT {

    private static final String POM = "src/test/resources/build-mojo/pom.xml";
    private static final CommandRunner RUNNER = new ProcessRunner(Log.silent());

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();

    private void prepare(BuildMojo mojo) throws Exception {
        Files.writeString(dir.resolve(".gitignore"), "target/\n");
        Path source = dir.resolve("src/demo/App.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package demo; public class App { public static void main(String[] a) { } }\n");
        Path classes = Files.createDirectories(dir.resolve("target/classes"));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString()));
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("-c", "user.email=t@deployer.dev", "-c", "user.name=t", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "first");
        mojo.project.setFile(dir.resolve("pom.xml").toFile());
        mojo.project.setPackaging("jar");
        mojo.project.getBuild().setDirectory(dir.resolve("target").toString());
        mojo.project.getBuild().setOutputDirectory(classes.toString());
        MojoExtension.setVariableValueToObject(mojo, "baseImage", "tar://" + TestInfra.baseTar());
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }
        });
    }

    private String sha() {
        return RUNNER.run(Command.of("git", "rev-parse", "HEAD").in(dir), Duration.ofSeconds(10)).output().strip();
    }

    @Test
    @InjectMojo(goal = "build", pom = POM)
    void buildsATarballFromThePomConfiguration(BuildMojo mojo) throws Exception {
        prepare(mojo);

        mojo.execute();

        JsonNode json = new ObjectMapper().readTree(dir.resolve("target/deployer/image.json").toFile());
        assertEquals("127.0.0.1:5443/timage/mojo", json.get("image").asText());
        assertEquals(sha(), json.get("tags").get(0).asText());
        assertEquals("sha-" + sha().substring(0, 7), json.get("tags").get(1).asText(), "@{short} survives Maven");
        assertFalse(json.get("pushed").asBoolean());
        assertTrue(Files.size(dir.resolve("target/deployer/image.tar")) > 1_000_000);
        assertTrue(lines.stream().anyMatch(line -> line.contains("written to target/deployer/image.tar")), lines.toString());
    }

    @Test
    @InjectMojo(goal = "build", pom = POM)
    void pushesWithTheSettingsXmlServerCredential(BuildMojo mojo) throws Exception {
        prepare(mojo);
        Server server = new Server();
        server.setId(TestInfra.registry());
        server.setUsername(TestInfra.username());
        server.setPassword(TestInfra.password());
        Settings settings = new Settings();
        settings.addServer(server);
        MojoExtension.setVariableValueToObject(mojo, "settings", settings);
        MojoExtension.setVariableValueToObject(mojo, "push", true);
        MojoExtension.setVariableValueToObject(mojo, "baseImage", TestInfra.baseImage());
        MojoExtension.setVariableValueToObject(mojo, "environment", "qa");

        mojo.execute();

        JsonNode json = new ObjectMapper().readTree(dir.resolve("target/deployer/image.json").toFile());
        assertTrue(json.get("pushed").asBoolean());
        assertTrue(lines.stream().anyMatch(line -> line.contains(": pushed (tags: " + sha())), lines.toString());
        assertTrue(lines.contains("Registry " + TestInfra.registry() + ": credential of user '"
                + TestInfra.username() + "' from settings.xml <server> with <id>" + TestInfra.registry()
                + "</id>"), lines.toString());
        assertFalse(String.join("\n", lines).contains(TestInfra.password()));
    }

    @Test
    @InjectMojo(goal = "build", pom = POM)
    void pomPackagingIsSkippedWithALine(BuildMojo mojo) throws Exception {
        prepare(mojo);
        mojo.project.setPackaging("pom");

        mojo.execute();

        assertEquals(List.of("Skipping deployer:build: packaging 'pom' has no image"), lines);
        assertFalse(Files.exists(dir.resolve("target/deployer/image.json")));
    }

    @Test
    @InjectMojo(goal = "build", pom = POM)
    void badConfigurationFailsTheBuildNamingTheParameter(BuildMojo mojo) throws Exception {
        prepare(mojo);
        MojoExtension.setVariableValueToObject(mojo, "extraTags", List.of("latest"));

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage().startsWith("<extraTags> (-Ddeployer.extraTags): The extra tag 'latest' is not allowed"), e.getMessage());
    }

    private void git(String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        CommandRunner.Result result = RUNNER.run(Command.of(argv).in(dir), Duration.ofSeconds(30));
        assertTrue(result.succeeded(), result.output());
    }
}
