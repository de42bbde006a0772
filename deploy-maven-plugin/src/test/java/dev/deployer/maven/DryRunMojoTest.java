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
        assertGolden(name, List.of("image.json"));
    }

    private void assertGolden(String name, List<String> files) throws IOException {
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
        assertEquals(files, listFiles(dir.resolve("target/deployer")), "nothing written");
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

    /**
     * A release of two image modules (api, web) owned by a {@code pom} module: the harness project (shop) has the
     * template and depends on both; their image.json are of the release's commit ({@code deployer.release}, so no git).
     */
    private MavenSessionAndModules prepareRelease(AbstractStackMojo mojo, String target) throws Exception {
        prepare(mojo, target);
        Files.delete(dir.resolve("target/deployer/image.json"));
        Files.writeString(dir.resolve("src/main/deploy/stack.yml.vm"), """
                version: "3.8"
                services:
                  redis:
                    image: redis:7.2.4
                  api:
                    image: $images.api.ref
                    depends_on: [redis]
                    environment:
                      REDIS_PASSWORD: $secrets.REDIS_PASSWORD
                  web:
                    image: $images.web.ref
                    depends_on: [api]
                    environment:
                      GREETING: $vars.GREETING
                """);
        MojoExtension.setVariableValueToObject(mojo, "image", null);
        MojoExtension.setVariableValueToObject(mojo, "release", SHA);
        List<org.apache.maven.project.MavenProject> modules = new ArrayList<>();
        for (String module : List.of("api", "web")) {
            org.apache.maven.model.Model model = new org.apache.maven.model.Model();
            model.setGroupId("dev.example");
            model.setArtifactId(module);
            model.setVersion("1.2.3");
            model.setBuild(new org.apache.maven.model.Build());
            model.getBuild().setDirectory(dir.resolve(module + "/target").toString());
            model.getProperties().setProperty("deployer.image", "registry.example:5443/acme/" + module);
            org.apache.maven.project.MavenProject project = new org.apache.maven.project.MavenProject(model);
            project.setFile(dir.resolve(module + "/pom.xml").toFile());
            Files.createDirectories(dir.resolve(module + "/target/deployer"));
            Files.writeString(dir.resolve(module + "/target/deployer/image.json"), "{\"image\": \"registry.example:5443/acme/"
                    + module + "\", \"tags\": [\"" + SHA + "\"], \"digest\": \"sha256:" + (module.equals("api") ? "a1" : "b2").repeat(32)
                    + "\", \"pushed\": true}");
            modules.add(project);
            org.apache.maven.model.Dependency dependency = new org.apache.maven.model.Dependency();
            dependency.setGroupId("dev.example");
            dependency.setArtifactId(module);
            dependency.setVersion("1.2.3");
            dependency.setScope("provided");
            mojo.project.getModel().addDependency(dependency);
        }
        org.apache.maven.execution.DefaultMavenExecutionRequest request = new org.apache.maven.execution.DefaultMavenExecutionRequest();
        request.setGoals(List.of("deploy"));
        org.apache.maven.execution.MavenSession session = new org.apache.maven.execution.MavenSession(null,
                new org.eclipse.aether.DefaultRepositorySystemSession(), request, null);
        List<org.apache.maven.project.MavenProject> all = new ArrayList<>(modules);
        all.add(mojo.project);
        session.setAllProjects(all);
        session.setProjects(all);
        MojoExtension.setVariableValueToObject(mojo, "session", session);
        return new MavenSessionAndModules(session, modules);
    }

    private record MavenSessionAndModules(org.apache.maven.execution.MavenSession session,
                                          List<org.apache.maven.project.MavenProject> modules) {
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void deployAReleaseOfTwoImagesToCompose(DeployMojo mojo) throws Exception {
        prepareRelease(mojo, "compose");
        mojo.execute();
        assertGolden("deploy-release-compose", List.of());
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void deployAReleaseOfTwoImagesToSwarm(DeployMojo mojo) throws Exception {
        prepareRelease(mojo, "swarm");
        mojo.execute();
        assertGolden("deploy-release-swarm", List.of());
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void theReactorRootDefersTheReleaseToTheLastModuleAndPrintsTheSameRelease(DeployMojo mojo) throws Exception {
        MavenSessionAndModules reactor = prepareRelease(mojo, "compose");
        mojo.project.getModel().getDependencies().clear(); // the root owns every image module without depending on them
        mojo.project.setExecutionRoot(true);
        MojoExtension.setVariableValueToObject(mojo, "releaseOwner", "root");
        reactor.session().getRequest().setGoals(List.of("deployer:deploy")); // it runs in every module of the build

        mojo.execute();

        assertTrue(lines.contains("Deferring the deploy of the release of " + mojo.project.getArtifactId() + " to the end of the reactor: waiting for api,"
                + " web to reach deployer:deploy"), String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("Dry run:")), "nothing planned yet: " + lines);
        ReleaseAtEnd state = ReleaseAtEnd.of(reactor.session(), java.util.Set.of());
        assertTrue(state.arrive(reactor.modules().get(1).getId(), null).isEmpty(), "api still to come");
        java.util.Optional<Runnable> last = state.arrive(reactor.modules().get(0).getId(), null);
        assertTrue(last.isPresent(), "the last module runs the root's deploy");
        last.get().run();
        assertGolden("deploy-release-compose", List.of());
    }

    @Test
    @InjectMojo(goal = "rollback", pom = POM)
    void theReactorRootRollsBackTheWholeRelease(RollbackMojo mojo) throws Exception {
        prepareRelease(mojo, "compose");
        mojo.project.getModel().getDependencies().clear();
        mojo.project.setExecutionRoot(true);
        MojoExtension.setVariableValueToObject(mojo, "releaseOwner", "root");
        MojoExtension.setVariableValueToObject(mojo, "tag", SHA);

        mojo.execute();

        String printed = String.join("\n", lines);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("Dry run:") && line.contains("rollback")), printed);
        assertTrue(printed.contains("registry.example:5443/acme/api:" + SHA) && printed.contains("registry.example:5443/acme/web:" + SHA),
                "every image of the root's release, by the commit's tag: " + printed);
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void anImageModuleOfARootOwnedReleaseSkipsItsDeployAndRunsTheRootsWhenItIsLast(DeployMojo mojo) throws Exception {
        prepare(mojo, "compose");
        MojoExtension.setVariableValueToObject(mojo, "releaseOwner", "root");
        org.apache.maven.model.Model model = new org.apache.maven.model.Model();
        model.setGroupId("dev.example");
        model.setArtifactId("acme-root");
        model.setVersion("1.2.3");
        model.setPackaging("pom");
        model.setBuild(new org.apache.maven.model.Build());
        model.getBuild().setDirectory(dir.resolve("root/target").toString());
        org.apache.maven.project.MavenProject root = new org.apache.maven.project.MavenProject(model);
        root.setExecutionRoot(true);
        org.apache.maven.execution.DefaultMavenExecutionRequest request = new org.apache.maven.execution.DefaultMavenExecutionRequest();
        request.setGoals(List.of("deployer:deploy"));
        org.apache.maven.execution.MavenSession session = new org.apache.maven.execution.MavenSession(null,
                new org.eclipse.aether.DefaultRepositorySystemSession(), request, null);
        session.setAllProjects(List.of(root, mojo.project));
        session.setProjects(List.of(root, mojo.project));
        MojoExtension.setVariableValueToObject(mojo, "session", session);
        List<String> deployed = new ArrayList<>();
        // the state as the root's deployer:deploy made it: waiting for both projects of the build
        assertTrue(ReleaseAtEnd.of(session, java.util.Set.of(root.getId(), mojo.project.getId()))
                .arrive(root.getId(), () -> deployed.add("root")).isEmpty(),
                "the root, built first, hands its deploy over");

        mojo.execute();

        assertTrue(lines.contains("Skipping deployer:deploy: module " + mojo.project.getArtifactId() + " is an image module of"
                + " the release of the reactor root acme-root, deployed at the end of the reactor"), String.join("\n", lines));
        assertTrue(lines.contains("Deploying the release of acme-root now: " + mojo.project.getArtifactId()
                + " is the last module of the reactor to reach deployer:deploy"), String.join("\n", lines));
        assertEquals(List.of("root"), deployed, "the root's deploy ran here, once");
        assertEquals(List.of(), ran, "the module deployed nothing of its own");
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void anImageModuleBuiltAloneWithReleaseOwnerRootDeploysNothingAndSaysWhy(DeployMojo mojo) throws Exception {
        prepare(mojo, "compose");
        Files.delete(dir.resolve("src/main/deploy/stack.yml.vm"));
        MojoExtension.setVariableValueToObject(mojo, "releaseOwner", "root");
        mojo.project.setExecutionRoot(true); // cd api && mvn deploy: the module is the root of its build

        mojo.execute();

        assertTrue(lines.stream().anyMatch(line -> line.startsWith("WARN Skipping deployer:deploy: deployer.releaseOwner is root,"
                + " and the root of this build is the image module " + mojo.project.getArtifactId() + " itself")), String.join("\n", lines));
        assertEquals(List.of(), ran, "nothing ran");
    }
}
