package dev.deployer.maven;

import dev.deployer.core.DeployerException;
import dev.deployer.core.ReleaseModule;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.model.Build;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reactor as a release (which modules are image modules, who owns them) and the promotion's parameters. */
class ReleaseParametersTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    private MavenProject project(String artifactId, String image, String... dependencies) {
        Model model = new Model();
        model.setGroupId("com.acme");
        model.setArtifactId(artifactId);
        model.setVersion("1.0");
        Build build = new Build();
        build.setDirectory(dir.resolve(artifactId).resolve("target").toString());
        model.setBuild(build);
        if (image != null) {
            model.getProperties().setProperty("deployer.image", image);
        }
        for (String dependency : dependencies) {
            Dependency d = new Dependency();
            d.setGroupId("com.acme");
            d.setArtifactId(dependency);
            d.setVersion("1.0");
            d.setScope("provided");
            model.addDependency(d);
        }
        MavenProject project = new MavenProject(model);
        project.setFile(new File(dir.resolve(artifactId).toFile(), "pom.xml"));
        return project;
    }

    @Test
    void theOwnersImageModulesAreItsReactorDependenciesThatBuildAnImage() throws Exception {
        MavenProject api = project("api", "registry.example/acme/api");
        MavenProject web = project("web", "registry.example/acme/web");
        MavenProject lib = project("lib", null);
        MavenProject stack = project("stack", null, "lib", "web", "api", "outside-the-reactor");
        java.nio.file.Files.createDirectories(dir.resolve("stack/src/main/deploy"));
        java.nio.file.Files.writeString(dir.resolve("stack/src/main/deploy/stack.yml.vm"), "services: {}\n");
        List<MavenProject> reactor = List.of(lib, api, web, stack);

        List<ReleaseModule> modules = ReactorRelease.modules(stack, reactor, null);

        assertEquals(List.of("web", "api"), modules.stream().map(ReleaseModule::artifactId).toList(), "dependency order, no library");
        assertEquals("registry.example/acme/web", modules.get(0).repository());
        assertEquals(dir.resolve("web/target/deployer"), modules.get(0).deployerDir());
        assertEquals("stack", ReactorRelease.ownerOf(api, reactor).orElseThrow().getArtifactId());
        assertTrue(ReactorRelease.ownerOf(stack, reactor).isEmpty());
        assertEquals(List.of("stack", "web", "api"), ReactorRelease.modules(stack, reactor, "registry.example/acme/stack")
                .stream().map(ReleaseModule::artifactId).toList(), "an owner with an image of its own is in its release, first");
        assertEquals(List.of(), ReactorRelease.modules(api, reactor, "registry.example/acme/api"), "no image module: no release");
    }

    @Test
    void theReactorRootOwnsEveryImageModuleOfTheReactorWithReleaseOwnerRoot() throws Exception {
        MavenProject root = project("root", null);
        MavenProject api = project("api", "registry.example/acme/api");
        MavenProject lib = project("lib", null);
        MavenProject web = project("web", null);
        java.nio.file.Files.createDirectories(dir.resolve("web/target/deployer"));
        java.nio.file.Files.writeString(dir.resolve("web/target/deployer/image.json"), "{}");
        List<MavenProject> reactor = List.of(root, api, lib, web);

        assertEquals(List.of("api", "web"), ReactorRelease.rootModules(root, reactor, null).stream()
                .map(ReleaseModule::artifactId).toList(), "reactor order, no library, no root without an image");
        assertEquals(List.of("root", "api", "web"), ReactorRelease.rootModules(root, reactor, "registry.example/acme/root")
                .stream().map(ReleaseModule::artifactId).toList());
        assertEquals(List.of(), ReactorRelease.rootModules(root, List.of(root, lib), null));

        assertEquals("root", ReactorRelease.root(reactor, root).getArtifactId(), "the top-level project");
        web.setExecutionRoot(true);
        assertEquals("web", ReactorRelease.root(reactor, api).getArtifactId(), "the execution root, also when -pl left it out");
    }

    @Test
    void deployRunsWhereItIsBoundOrWhereTheCommandLineNamesIt() {
        MavenProject bound = project("bound", null);
        org.apache.maven.model.Plugin plugin = new org.apache.maven.model.Plugin();
        plugin.setGroupId("dev.deployer");
        plugin.setArtifactId("deploy-maven-plugin");
        org.apache.maven.model.PluginExecution execution = new org.apache.maven.model.PluginExecution();
        execution.setId("deployer-deploy");
        execution.addGoal("deploy");
        plugin.addExecution(execution);
        bound.getModel().setBuild(bound.getModel().getBuild());
        bound.getModel().getBuild().addPlugin(plugin);
        MavenProject plain = project("plain", null);

        assertTrue(ReactorRelease.runsDeploy(bound, List.of("deploy")));
        assertTrue(!ReactorRelease.runsDeploy(plain, List.of("deploy")));
        assertTrue(ReactorRelease.runsDeploy(plain, List.of("package", "deployer:deploy")));
        assertTrue(ReactorRelease.runsDeploy(plain, List.of("dev.deployer:deploy-maven-plugin:0.2.0:deploy@release")));
        assertTrue(!ReactorRelease.runsDeploy(plain, List.of("deployer:rollback")));
    }

    @Test
    void thePromotionsDigestsAreMatchedByRepository() {
        String digests = "registry.example/acme/api@" + DIGEST + " registry.example:5443/acme/web@sha256:" + "cd".repeat(32);
        assertEquals(DIGEST, BuildMojo.expectedDigest(digests, "registry.example/acme/api"));
        assertEquals("sha256:" + "cd".repeat(32), BuildMojo.expectedDigest(digests.replace(' ', ','), "registry.example:5443/acme/web"));
        DeployerException missing = assertThrows(DeployerException.class,
                () -> BuildMojo.expectedDigest(digests, "registry.example/acme/worker"));
        assertTrue(missing.problem().contains("lists no digest of registry.example/acme/worker"), missing.problem());
    }

    @Test
    void aReleaseIsAFullCommitSha() {
        assertEquals("4f1c2e9a7b3d5f60718293a4b5c6d7e8f9012345", AbstractStackMojo.requireSha("4f1c2e9a7b3d5f60718293a4b5c6d7e8f9012345"));
        DeployerException e = assertThrows(DeployerException.class, () -> AbstractStackMojo.requireSha("4f1c2e9"));
        assertEquals("deployer.release", e.location());
    }
}
