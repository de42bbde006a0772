package dev.deployer.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.Command;
import dev.deployer.core.Log;
import dev.deployer.core.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production guard of {@code deploy} and {@code rollback} runs before any target exists: with an {@code ssh://}
 * DOCKER_HOST that leads nowhere, a refused production run must end with the guard's refusal, not with ssh's
 * failure — no tunnel, no engine ping. And production is the destination, not the word.
 */
@MojoTest
class ProductionGuardOrderTest {

    private static final String POM = "src/test/resources/stack-mojo/pom.xml";
    private static final String NOWHERE = "ssh://deployer-nobody@127.0.0.1:9";

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();

    private void prepare(AbstractStackMojo mojo, String environment, String target, String stack) throws Exception {
        Files.createDirectories(dir.resolve("src/main/deploy"));
        Files.writeString(dir.resolve("src/main/deploy/docker-compose.yml.vm"), "services:\n  app:\n    image: $image.ref\n");
        ProcessRunner runner = new ProcessRunner(Log.silent());
        for (List<String> argv : List.of(List.of("init", "-q", "-b", "main"), List.of("add", "-A"),
                List.of("commit", "-q", "-m", "guard order"))) {
            List<String> full = new ArrayList<>(List.of("git", "-c", "user.email=t@deployer.dev", "-c", "user.name=t",
                    "-c", "commit.gpgsign=false"));
            full.addAll(argv);
            runner.run(Command.of(full).in(dir), Duration.ofSeconds(30));
        }
        mojo.project.setFile(dir.resolve("pom.xml").toFile());
        mojo.project.getBuild().setDirectory(dir.resolve("target").toString());
        MojoExtension.setVariableValueToObject(mojo, "templateDirectory", dir.resolve("src/main/deploy").toFile());
        MojoExtension.setVariableValueToObject(mojo, "environment", environment);
        MojoExtension.setVariableValueToObject(mojo, "target", target);
        MojoExtension.setVariableValueToObject(mojo, "stack", stack);
        mojo.environmentVariables = env::get;
        env.put("DOCKER_HOST", NOWHERE);
        env.put("PATH", System.getenv("PATH"));
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }

            @Override
            public void error(CharSequence content) {
                lines.add(content.toString());
            }
        });
    }

    private void assertRefusedBeforeAnyTarget(MojoFailureException e, String refusal) {
        assertTrue(e.getMessage().contains(refusal), e.getMessage());
        assertFalse(e.getMessage().contains("127.0.0.1:9") || String.join("\n", lines).contains("127.0.0.1:9"),
                "the ssh tunnel was opened before the guard refused:\n" + e.getMessage() + "\n" + lines);
    }

    @Test
    @InjectMojo(goal = "rollback", pom = POM)
    void aRefusedProductionRollbackOpensNoTunnel(RollbackMojo mojo) throws Exception {
        prepare(mojo, "production", "compose", "shop");
        MojoExtension.setVariableValueToObject(mojo, "tag", "0123456789abcdef0123456789abcdef01234567");

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertRefusedBeforeAnyTarget(e, "Refusing to roll back production: not running in GitHub Actions");
    }

    @Test
    @InjectMojo(goal = "rollback", pom = POM)
    void aProductionRollbackToLatestIsRefusedInCiOnMainBeforeAnyTarget(RollbackMojo mojo) throws Exception {
        prepare(mojo, "production", "compose", "shop");
        env.put("GITHUB_ACTIONS", "true");
        env.put("GITHUB_REF_NAME", "main");
        MojoExtension.setVariableValueToObject(mojo, "tag", "latest");

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertRefusedBeforeAnyTarget(e, "Refusing to roll back production: the tag 'latest' is not a full 40-character commit SHA");
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void anEnvironmentCalledProdThatDeploysTheProductionStackIsGuarded(DeployMojo mojo) throws Exception {
        prepare(mojo, "prod", "quantum", null);
        mojo.project.getProperties().setProperty("deployer.production.target", "quantum");
        mojo.project.getProperties().setProperty("deployer.production.stack", "");
        env.put("QUANTUM_STACK", "shop-live");
        MojoExtension.setVariableValueToObject(mojo, "tag", "0123456789abcdef0123456789abcdef01234567");

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertRefusedBeforeAnyTarget(e, "deployer.environment=prod: Refusing to deploy to production: not running in GitHub Actions");
    }
}
