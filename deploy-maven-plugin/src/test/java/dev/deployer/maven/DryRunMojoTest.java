package dev.deployer.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact dry run of {@code deployer:deploy}, {@code deployer:rollback} and {@code deployer:unlock} per target,
 * through the harness (POM src/test/resources/dry-run-mojo/pom.xml), compared with golden files under
 * src/test/resources/dry-run/. The mojos get a scripted command runner that answers only the local tools' version and
 * help probes: any other command (a {@code docker pull}, a deploy) fails the test, and there is no engine, registry or
 * ssh behind it. Set {@code -Ddeployer.updateGolden=true} to rewrite the golden files after a deliberate change.
 */
@MojoTest
class DryRunMojoTest {

    private static final String POM = "src/test/resources/dry-run-mojo/pom.xml";
    private static final String SHA = "4f1c2e9a7b3d5f60718293a4b5c6d7e8f9012345";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String SECRET = "hunter2-canary-value";
    private static final String SMOKE_TOKEN = "Bearer smoke-canary-0815";

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private final List<String> ran = new ArrayList<>();

    private static final Map<String, String> PROBES = Map.of(
            "docker compose version", "Docker Compose version v2.29.1",
            "docker stack deploy --help", "Usage: docker stack deploy [OPTIONS] STACK\n  -d, --detach   Exit immediately\n      --prune",
            "quantum-cli --help", help("quantum-cli", "auth", "help", "ps", "stacks", "version"),
            "quantum-cli version", "quantum-cli version 2.9.1\n",
            "quantum-cli stacks --help", help("quantum-cli stacks", "ls", "rm", "update"));

    private static String help(String path, String... commands) {
        StringBuilder text = new StringBuilder("Usage:\n  " + path + " [command]\n\nAvailable Commands:\n");
        for (String command : commands) {
            text.append("  ").append(String.format("%-11s", command)).append(" does ").append(command).append('\n');
        }
        return text.append("\nFlags:\n  -h, --help   help for ").append(path).append('\n').toString();
    }

    private final CommandRunner probesOnly = (command, timeout) -> {
        String line = String.join(" ", command.argv());
        ran.add(line);
        String answer = PROBES.get(line);
        if (answer == null) {
            throw new AssertionError("a dry run ran '" + command.display() + "'");
        }
        return new CommandRunner.Result(0, answer);
    };

    private Map<String, String> env(String target) {
        return "quantum".equals(target)
                ? Map.of("REDIS_PASSWORD", SECRET, "QUANTUM_ENDPOINT", "ep.example", "QUANTUM_API_KEY", "qk-canary-key",
                        "PATH", "/usr/bin", "SMOKE_AUTHORIZATION", SMOKE_TOKEN)
                : Map.of("REDIS_PASSWORD", SECRET, "PATH", "/usr/bin", "SMOKE_AUTHORIZATION", SMOKE_TOKEN);
    }

    private void prepare(AbstractMojo mojo, String target) throws Exception {
        AbstractDeployerMojo deployer = (AbstractDeployerMojo) mojo;
        Files.createDirectories(dir.resolve("src/main/deploy"));
        Files.writeString(dir.resolve("src/main/deploy/stack.yml.vm"), """
                version: "3.8"
                services:
                  redis:
                    image: redis:7.2.4
                  app:
                    image: $image.ref
                    depends_on: [redis]
                    environment:
                      GREETING: $vars.GREETING
                      REDIS_PASSWORD: $secrets.REDIS_PASSWORD
                """);
        Files.createDirectories(dir.resolve("target/deployer"));
        Files.writeString(dir.resolve("target/deployer/image.json"), "{\"image\": \"registry.example:5443/acme/shop\", \"tags\": [\""
                + SHA + "\"], \"digest\": \"" + DIGEST + "\", \"pushed\": true}");
        deployer.project.setFile(dir.resolve("pom.xml").toFile());
        deployer.project.getBuild().setDirectory(dir.resolve("target").toString());
        MojoExtension.setVariableValueToObject(mojo, "target", target);
        MojoExtension.setVariableValueToObject(mojo, "dryRun", true);
        if (mojo instanceof AbstractStackMojo stackMojo) {
            MojoExtension.setVariableValueToObject(mojo, "templateDirectory", dir.resolve("src/main/deploy").toFile());
            stackMojo.runner = probesOnly;
            stackMojo.environmentVariables = env(target)::get;
        } else {
            ((UnlockMojo) mojo).runner = probesOnly;
            ((UnlockMojo) mojo).environmentVariables = env(target)::get;
        }
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }

            @Override
            public void warn(CharSequence content) {
                lines.add("WARN " + content);
            }
        });
    }

    /** The dry run's lines, from "Dry run:" on, with the machine's own parts (temp dir, owner) named. */
    private String printed() {
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Dry run:")) {
                start = i;
            }
        }
        String owner = System.getProperty("user.name") + "@";
        return lines.subList(start, lines.size()).stream()
                .map(line -> line.replace(dir.toString(), "<basedir>"))
                .map(line -> line.replaceAll("'?dev\\.deployer\\.owner=" + owner + "[^ ']* pid \\d+'?", "dev.deployer.owner=<user@host pid>"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private void assertGolden(String name) throws IOException {
        String actual = printed();
        Path golden = Path.of("src/test/resources/dry-run", name + ".txt");
        if (Boolean.getBoolean("deployer.updateGolden")) {
            Files.writeString(golden, actual);
        }
        assertEquals(Files.readString(golden), actual, "the dry run of " + name + " (golden file " + golden + ")");
        assertFalse(String.join("\n", lines).contains(SECRET), "no secret value in the output");
        assertFalse(String.join("\n", lines).contains("qk-canary-key"), "no credential in the output");
        assertFalse(String.join("\n", lines).contains(SMOKE_TOKEN), "no secret header value in the output");
        assertTrue(ran.stream().allMatch(PROBES::containsKey), "only the local tools' probes ran: " + ran);
        assertEquals(List.of("image.json"), listFiles(dir.resolve("target/deployer")), "nothing written");
    }

    private static List<String> listFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).map(file -> directory.relativize(file).toString()).sorted().toList();
        }
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void deployToCompose(DeployMojo mojo) throws Exception {
        prepare(mojo, "compose");
        mojo.execute();
        assertGolden("deploy-compose");
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void deployToComposeBehindAProxyPrintsTheBlueGreenCommands(DeployMojo mojo) throws Exception {
        prepare(mojo, "compose");
        Files.writeString(dir.resolve("src/main/deploy/stack.yml.vm"), """
                version: "3.8"
                services:
                  redis:
                    image: redis:7.2.4
                  app:
                    image: $image.ref
                    depends_on: [redis]
                    labels:
                      dev.deployer.proxy: proxy
                    stop_grace_period: 20s
                    environment:
                      GREETING: $vars.GREETING
                      REDIS_PASSWORD: $secrets.REDIS_PASSWORD
                  proxy:
                    image: caddy:2.6.2
                    depends_on: [app]
                    ports: ["127.0.0.1:18080:8080"]
                """);
        mojo.execute();
        assertGolden("deploy-compose-proxy");
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void deployToComposeVerifyingTheSignaturePrintsTheVerificationBeforeTheLock(DeployMojo mojo) throws Exception {
        prepare(mojo, "compose");
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(generator.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(dir.resolve("deployer.pub.pem"), pem);
        MojoExtension.setVariableValueToObject(mojo, "verifyPublicKey", "deployer.pub.pem");
        mojo.execute();
        assertGolden("deploy-compose-verified");
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void deployToSwarm(DeployMojo mojo) throws Exception {
        prepare(mojo, "swarm");
        mojo.execute();
        assertGolden("deploy-swarm");
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void deployToQuantum(DeployMojo mojo) throws Exception {
        prepare(mojo, "quantum");
        mojo.execute();
        assertGolden("deploy-quantum");
    }

    @Test
    @InjectMojo(goal = "rollback", pom = POM)
    void rollbackToATagOnSwarmLooksTheDigestUpOnlyOnPaper(RollbackMojo mojo) throws Exception {
        prepare(mojo, "swarm");
        MojoExtension.setVariableValueToObject(mojo, "tag", SHA);
        mojo.execute();
        assertGolden("rollback-tag-swarm");
    }

    @Test
    @InjectMojo(goal = "rollback", pom = POM)
    void rollbackToATagOnCompose(RollbackMojo mojo) throws Exception {
        prepare(mojo, "compose");
        MojoExtension.setVariableValueToObject(mojo, "tag", SHA);
        mojo.execute();
        assertGolden("rollback-tag-compose");
    }

    @Test
    @InjectMojo(goal = "rollback", pom = POM)
    void rollbackToATagOnQuantum(RollbackMojo mojo) throws Exception {
        prepare(mojo, "quantum");
        MojoExtension.setVariableValueToObject(mojo, "tag", SHA);
        mojo.execute();
        assertGolden("rollback-tag-quantum");
    }

    @Test
    @InjectMojo(goal = "unlock", pom = POM)
    void unlockOnCompose(UnlockMojo mojo) throws Exception {
        prepare(mojo, "compose");
        MojoExtension.setVariableValueToObject(mojo, "stack", "shop");
        mojo.execute();
        assertGolden("unlock-compose");
    }

    @Test
    @InjectMojo(goal = "unlock", pom = POM)
    void unlockOnSwarm(UnlockMojo mojo) throws Exception {
        prepare(mojo, "swarm");
        MojoExtension.setVariableValueToObject(mojo, "stack", "shop");
        mojo.execute();
        assertGolden("unlock-swarm");
    }

    @Test
    @InjectMojo(goal = "rollback", pom = POM)
    void rollbackFromTheHistoryOnCompose(RollbackMojo mojo) throws Exception {
        prepare(mojo, "compose");
        mojo.execute();
        assertGolden("rollback-history-compose");
    }

    @Test
    @InjectMojo(goal = "unlock", pom = POM)
    void unlockOnQuantum(UnlockMojo mojo) throws Exception {
        prepare(mojo, "quantum");
        MojoExtension.setVariableValueToObject(mojo, "stack", "shop");
        mojo.execute();
        assertGolden("unlock-quantum");
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void aSecretHeaderWhoseVariableIsNotSetFailsBeforeAnythingNamingTheVariable(DeployMojo mojo) throws Exception {
        prepare(mojo, "compose");
        Map<String, String> env = new java.util.HashMap<>(env("compose"));
        env.remove("SMOKE_AUTHORIZATION");
        ((AbstractStackMojo) mojo).environmentVariables = env::get;
        org.apache.maven.plugin.MojoFailureException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.maven.plugin.MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("header Authorization comes from the environment variable SMOKE_AUTHORIZATION, which is not set"),
                e.getMessage());
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("Dry run:")), "nothing planned: " + lines);
    }
}
