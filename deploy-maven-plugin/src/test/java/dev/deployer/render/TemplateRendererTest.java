package dev.deployer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import dev.deployer.core.ProcessRunner;
import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateRendererTest {

    @TempDir
    Path dir;

    private RenderFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new RenderFixture(dir).built("ghcr.io/acme/shop", RenderFixture.DIGEST);
        fixture.variables.put("DOMAIN", "shop.example.com");
        fixture.secrets = List.of("REDIS_PASSWORD");
    }

    private DeployerException failure(SecretMode mode) {
        return assertThrows(DeployerException.class, () -> fixture.render(mode));
    }

    @Test
    void undefinedVariableNamesTemplateLineColumnAndHowToDefineIt() {
        fixture.template("stack.yml.vm", "version: '3.8'\nservices:\n  app:\n    image: $vars.DOMIAN\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("src/main/deploy/stack.yml.vm:4:18", e.location());
        assertEquals("Undefined variable $vars.DOMIAN", e.problem());
        assertTrue(e.fix().contains("<variables><DOMIAN>…</DOMIAN></variables>"), e.fix());
        assertTrue(e.fix().contains("-Ddeployer.var.DOMIAN=…"), e.fix());
    }

    @Test
    void undefinedTopLevelReferenceFailsWithPosition() {
        fixture.template("sub/app.env.vm", "A=1\nB=  $enviroment\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("src/main/deploy/sub/app.env.vm:2:5", e.location());
        assertEquals("Undefined reference: Variable $enviroment has not been set", e.problem());
        assertTrue(e.fix().contains("$environment"), e.fix());
    }

    @Test
    void undefinedPropertyOfContextObjectFails() {
        fixture.template("a.txt.vm", "$project.name\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("src/main/deploy/a.txt.vm:1:10", e.location());
        assertTrue(e.problem().contains("does not contain property 'name'"), e.problem());
    }

    @Test
    void undeclaredSecretFailsWithHowToDeclareIt() {
        fixture.env.put("API_TOKEN", "tok-123456");
        fixture.template("stack.yml.vm", "version: '3.8'\nx: '$secrets.API_TOKEN'\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("src/main/deploy/stack.yml.vm:2:14", e.location());
        assertEquals("Undeclared secret $secrets.API_TOKEN", e.problem());
        assertTrue(e.fix().contains("<secrets><secret>API_TOKEN</secret></secrets>"), e.fix());
    }

    @Test
    void syntaxErrorNamesTemplateLineColumn() {
        fixture.template("stack.yml.vm", "a: 1\n#if($vars.DOMAIN\nb: 2\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("src/main/deploy/stack.yml.vm:3:1", e.location());
        assertTrue(e.problem().startsWith("Template syntax error: "), e.problem());
        assertTrue(e.fix().contains("#[["), e.fix());
    }

    @Test
    void nullDigestIsReportedWithTheFix() {
        fixture.built("ghcr.io/acme/shop", null);
        fixture.template("a.txt.vm", "digest: $image.digest\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("src/main/deploy/a.txt.vm:1:9", e.location());
        assertEquals("Reference $image.digest is null here", e.problem());
        assertTrue(e.fix().contains("#if($image.digest)"), e.fix());
    }

    @Test
    void invalidYamlNamesRenderedFileLineAndTemplate() {
        fixture.template("stack.yml.vm", "version: '3.8'\nservices:\n  app:\n    image: [$vars.DOMAIN\n    ports: 1\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("target/deployer/local/stack.yml:5:10", e.location());
        assertTrue(e.problem().startsWith("Not valid YAML: "), e.problem());
        assertTrue(e.problem().endsWith("(rendered from src/main/deploy/stack.yml.vm)"), e.problem());
        assertTrue(Files.exists(dir.resolve("target/deployer/local/stack.yml")), "the rendered file is kept to look at");
    }

    @Test
    void unsafeYamlTagsAndDuplicateKeysAreRejected() {
        fixture.template("x.yaml.vm", "a: !!javax.script.ScriptEngineManager [x]\n");
        assertTrue(failure(SecretMode.PREVIEW).problem().contains("Global tag is not allowed"));
        fixture.template("x.yaml.vm", "a: 1\nb: 2\na: 3\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("target/deployer/local/x.yaml:3:1", e.location());
        assertTrue(e.problem().contains("duplicate key a"), e.problem());
    }

    @Test
    void nonYamlOutputsAreNotParsed() {
        fixture.template("Caddyfile.vm", "$vars.DOMAIN {\n  : [ not yaml\n}\n");
        assertEquals(1, fixture.render(SecretMode.PREVIEW).size());
        assertEquals("shop.example.com {\n  : [ not yaml\n}\n", fixture.output("Caddyfile"));
    }

    @Test
    void topLevelNameIsRejectedInSwarmStacks() {
        fixture.template("stack.yml.vm", "version: '3.8'\nname: shop\nservices:\n  app:\n    image: $image.ref\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("target/deployer/local/stack.yml:2:1", e.location());
        assertTrue(e.problem().startsWith("Stack rule failed: top-level name: is not allowed"), e.problem());
        assertTrue(e.fix().startsWith("remove the top-level name:"), e.fix());
    }

    @Test
    void versionIsRequiredInSwarmStacks() {
        fixture.template("stack.yml.vm", "services:\n  app:\n    image: $image.ref\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("target/deployer/local/stack.yml:1:1", e.location());
        assertTrue(e.problem().contains("version: is missing"), e.problem());
    }

    @Test
    void mapFormDependsOnIsRejectedInSwarmStacks() {
        fixture.template("stack.yml.vm", "version: '3.8'\nservices:\n  app:\n    image: $image.ref\n    depends_on:\n"
                + "      redis:\n        condition: service_healthy\n  redis:\n    image: redis:7\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("target/deployer/local/stack.yml:5:5", e.location());
        assertTrue(e.problem().contains("depends_on of service app is a map"), e.problem());
        assertTrue(e.fix().contains("depends_on: [redis]"), e.fix());
    }

    @Test
    void everyFailedRuleOfEveryFileIsReported() {
        fixture.environment = "production";
        fixture.template("stack.yml.vm", "name: shop\nservices:\n  redis:\n    image: redis\n");
        fixture.template("z.yml.vm", "a: [\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("target/deployer/production/stack.yml:1:1", e.location());
        assertTrue(e.problem().contains("top-level name:"), e.problem());
        List<String> also = e.fix().lines().filter(line -> line.startsWith("  Also: ")).toList();
        assertEquals(3, also.size(), e.fix());
        assertTrue(also.get(0).startsWith("  Also: target/deployer/production/stack.yml:1:1: Stack rule failed: version:"), also.get(0));
        assertTrue(also.get(1).startsWith("  Also: target/deployer/production/stack.yml:4:12: Stack rule failed: image 'redis'"), also.get(1));
        assertTrue(also.get(2).startsWith("  Also: target/deployer/production/z.yml:2:1: Not valid YAML"), also.get(2));
    }

    @Test
    void composeFilesMayUseComposeOnlyFeatures() {
        fixture.template("docker-compose.qa.yml.vm", "name: shop-qa\nservices:\n  app:\n    image: $image.ref\n"
                + "    depends_on:\n      redis:\n        condition: service_healthy\n  redis:\n    image: redis:7\n");
        assertEquals(1, fixture.render(SecretMode.PREVIEW).size());
    }

    @Test
    void latestOrUntaggedImagesAreRejectedInProductionInEveryComposeFile() {
        fixture.environment = "production";
        fixture.template("docker-compose.yml.vm", "services:\n  app:\n    image: $image.ref\n  redis:\n    image: redis:latest\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("target/deployer/production/docker-compose.yml:5:12", e.location());
        assertEquals("Stack rule failed: image 'redis:latest' of service redis uses the tag latest; production images"
                + " must have an explicit tag other than latest, or a digest (rendered from"
                + " src/main/deploy/docker-compose.yml.vm)", e.problem());

        fixture.template("docker-compose.yml.vm", "services:\n  redis:\n    image: 127.0.0.1:5443/deployer/redis\n");
        e = failure(SecretMode.PREVIEW);
        assertTrue(e.problem().contains("'127.0.0.1:5443/deployer/redis' of service redis has no tag"), e.problem());
    }

    @Test
    void pinnedImagesPassInProductionAndLatestPassesElsewhere() {
        fixture.environment = "production";
        fixture.template("stack.yml.vm", "version: '3.8'\nservices:\n  app:\n    image: $image.ref\n"
                + "  redis:\n    image: 127.0.0.1:5443/deployer/redis:7\n  proxy:\n    image: proxy@" + RenderFixture.DIGEST + "\n");
        assertEquals(2, fixture.render(SecretMode.PREVIEW).size());
        fixture.environment = "qa";
        fixture.template("stack.yml.vm", "version: '3.8'\nservices:\n  redis:\n    image: redis:latest\n");
        assertEquals(2, fixture.render(SecretMode.PREVIEW).size());
    }

    @Test
    void unpinnedRecognisesTagsDigestsAndRegistryPorts() {
        assertEquals(null, StackRules.unpinned("127.0.0.1:5443/a/b:1"));
        assertEquals(null, StackRules.unpinned("a/b@" + RenderFixture.DIGEST));
        assertEquals(null, StackRules.unpinned("a/b:latest@" + RenderFixture.DIGEST));
        assertEquals("has no tag (it means latest)", StackRules.unpinned("127.0.0.1:5443/a/b"));
        assertEquals("uses the tag latest", StackRules.unpinned("b:latest"));
    }

    @Test
    void deployModeRendersPlaceholdersAndFailsWhenAReferencedSecretIsNotSet() {
        fixture.secrets = List.of("REDIS_PASSWORD", "UNUSED");
        fixture.template("stack.yml.vm", "version: '3.8'\nservices:\n  redis:\n    image: redis:7\n"
                + "    environment:\n      PASSWORD: $secrets.REDIS_PASSWORD\n");
        DeployerException e = failure(SecretMode.DEPLOY);
        assertEquals("src/main/deploy/stack.yml.vm:6:26", e.location());
        assertEquals("Secret REDIS_PASSWORD is not set in the environment", e.problem());
        assertTrue(e.fix().contains("set the environment variable REDIS_PASSWORD"), e.fix());
        assertTrue(e.fix().contains("${{ secrets.REDIS_PASSWORD }}"), e.fix());

        fixture.env.put("REDIS_PASSWORD", "pa55-word-value");
        fixture.render(SecretMode.DEPLOY);
        assertTrue(fixture.output("stack.yml").contains("PASSWORD: ${REDIS_PASSWORD}\n"));
        assertFalse(fixture.output("stack.yml").contains("pa55-word-value"));
    }

    @Test
    void referencedSecretsAreOnlyThoseTheTemplatesUse() {
        fixture.secrets = List.of("REDIS_PASSWORD", "ADMIN_TOKEN", "UNUSED");
        fixture.variables.put("ADMIN", "false");
        fixture.template("a.txt.vm", "$secrets.REDIS_PASSWORD\n#if($vars.ADMIN == 'true')\n$secrets.ADMIN_TOKEN\n#end\n");
        fixture.template("b.txt.vm", "$secrets.REDIS_PASSWORD\n");
        TemplateRenderer renderer = fixture.renderer();
        assertEquals(Set.of("REDIS_PASSWORD"), renderer.referencedSecrets(fixture.request(SecretMode.DEPLOY)));
        assertFalse(Files.exists(dir.resolve("target/deployer/local")), "referencedSecrets writes nothing");

        fixture.variables.put("ADMIN", "true");
        assertEquals(List.of("ADMIN_TOKEN", "REDIS_PASSWORD"),
                List.copyOf(renderer.referencedSecrets(fixture.request(SecretMode.DEPLOY))));
    }

    @Test
    void imageRepositoryIsRequiredOnlyByTemplatesThatUseIt() {
        fixture.image = null;
        fixture.template("a.txt.vm", "env=$environment\n");
        assertEquals(1, fixture.render(SecretMode.PREVIEW).size());

        fixture.template("b.txt.vm", "image=$image.ref\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertEquals("src/main/deploy/b.txt.vm:1:14", e.location());
        assertTrue(e.problem().contains("deployer.image"), e.problem());
        assertTrue(e.fix().contains("-Ddeployer.image=ghcr.io/OWNER/NAME"), e.fix());
    }

    @Test
    void anImageThatWasNotPushedIsReferencedByTagOnly() {
        fixture.built("ghcr.io/acme/shop", RenderFixture.DIGEST, false);
        fixture.template("a.txt.vm", "$image.ref\n");
        fixture.render(SecretMode.PREVIEW);
        assertEquals("ghcr.io/acme/shop:" + RenderFixture.SHA + "\n", fixture.output("a.txt"));
        assertTrue(fixture.log.text().contains("(from target/deployer/image.json, not pushed)"), fixture.log.text());
    }

    @Test
    void staleImageRecordForAnotherRepositoryFails() {
        fixture.built("ghcr.io/acme/other", RenderFixture.DIGEST);
        fixture.template("a.txt.vm", "$image.tag\n");
        DeployerException e = failure(SecretMode.PREVIEW);
        assertTrue(e.problem().contains("records image ghcr.io/acme/other but deployer.image is ghcr.io/acme/shop"),
                e.problem());
    }

    @Test
    void withoutImageRecordTheTagIsTheGitCommitAndTheDigestUnknown() throws Exception {
        Files.delete(dir.resolve("target/deployer/image.json"));
        Files.writeString(dir.resolve(".gitignore"), "target/\n");
        fixture.template("a.txt.vm", "$image.ref #if(!$image.digest)no-digest#end\n");
        CommandRunner git = new ProcessRunner(fixture.log);
        for (List<String> argv : List.of(List.of("git", "init", "-q"), List.of("git", "add", "-A"),
                List.of("git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "init"))) {
            assertEquals(0, git.run(Command.of(argv).in(dir), Duration.ofSeconds(30)).exitCode(), argv.toString());
        }
        String sha = git.run(Command.of("git", "rev-parse", "HEAD").in(dir), Duration.ofSeconds(30)).output().strip();

        fixture.render(SecretMode.PREVIEW);
        assertEquals("ghcr.io/acme/shop:" + sha + " no-digest\n", fixture.output("a.txt"));
    }

    @Test
    void aPreviewOutsideAGitRepositoryShowsAPlaceholderTagAndWarnsButADeployRenderFails() throws Exception {
        Files.delete(dir.resolve("target/deployer/image.json"));
        fixture.template("a.txt.vm", "$image.ref\n");
        fixture.render(SecretMode.PREVIEW);
        assertEquals("ghcr.io/acme/shop:no-commit-yet\n", fixture.output("a.txt"));
        assertTrue(fixture.log.text().contains("Not a git repository with a commit yet: previewing with the placeholder tag"
                + " 'no-commit-yet'. deployer:build and deployer:deploy need a commit"), fixture.log.text());
        DeployerException e = failure(SecretMode.DEPLOY);
        assertTrue(e.fix().contains("git checkout with at least one commit"), e.getMessage());
    }

    @Test
    void templatesNotUsingTheImageNeedNoGitCheckout() throws Exception {
        Files.delete(dir.resolve("target/deployer/image.json"));
        fixture.template("a.txt.vm", "$project.groupId:$project.artifactId:$project.version $environment\n");
        fixture.render(SecretMode.PREVIEW);
        assertEquals("dev.example:shop:1.2.3 local\n", fixture.output("a.txt"));
    }

    @Test
    void outputsKeepSubdirectoriesPartialsAreNotRenderedAndStaleFilesGo() throws Exception {
        fixture.template("conf/proxy/site.conf.vm", "#parse('_part.vm')\n");
        fixture.template("_part.vm", "server $vars.DOMAIN;\n");
        RenderFixture.write(dir.resolve("target/deployer/local/old.yml"), "stale: true\n");
        List<RenderedFile> files = fixture.render(SecretMode.PREVIEW);
        assertEquals(List.of("conf/proxy/site.conf"), files.stream().map(RenderedFile::name).toList());
        assertEquals("server shop.example.com;\n", fixture.output("conf/proxy/site.conf"));
        assertFalse(Files.exists(dir.resolve("target/deployer/local/old.yml")));
        assertTrue(Files.exists(dir.resolve("target/deployer/image.json")), "only the environment directory is cleared");
    }

    @Test
    void quantumDescriptorIsWrittenOnlyWhenTheStackFileIsRendered() {
        fixture.template("docker-compose.yml.vm", "services:\n  app:\n    image: $image.ref\n");
        fixture.render(SecretMode.PREVIEW);
        assertFalse(Files.exists(dir.resolve("target/deployer/local/.quantum")));

        fixture.template("quantum.yml.vm", "version: '3.8'\nservices:\n  app:\n    image: $image.ref\n");
        RenderRequest request = new RenderRequest(fixture.project(), fixture.templates(), "qa", "ghcr.io/acme/shop",
                Map.of(), List.of(), "quantum.yml", SecretMode.PREVIEW);
        List<RenderedFile> files = fixture.renderer().render(request);
        RenderedFile descriptor = files.get(files.size() - 1);
        assertEquals(".quantum", descriptor.name());
        assertEquals("---\nversion: '1.0'\ncompose: quantum.yml\nenvironments:\n- name: qa\n  compose: quantum.yml\n",
                descriptor.content());
    }

    @Test
    void noTemplatesIsNotAnError() {
        assertEquals(List.of(), fixture.render(SecretMode.PREVIEW));
        assertEquals(List.of("[INFO] No templates (*.vm) in src/main/deploy: nothing to render"), fixture.log.lines());
    }

    @Test
    void badRequestsNameTheParameter() {
        fixture.environment = "Prod/../x";
        assertEquals("deployer.environment", assertThrows(DeployerException.class,
                () -> fixture.request(SecretMode.PREVIEW)).location());
        fixture.environment = "local";
        fixture.image = "ghcr.io/acme/shop:latest";
        assertEquals("deployer.image", assertThrows(DeployerException.class,
                () -> fixture.request(SecretMode.PREVIEW)).location());
        fixture.image = "ghcr.io/acme/shop";
        fixture.secrets = List.of("not-a-name");
        assertEquals("<secrets>", assertThrows(DeployerException.class,
                () -> fixture.request(SecretMode.PREVIEW)).location());
        fixture.secrets = List.of("DOMAIN");
        DeployerException both = assertThrows(DeployerException.class, () -> fixture.request(SecretMode.PREVIEW));
        assertTrue(both.problem().contains("declared as a secret and also given as a variable"), both.problem());
    }

    @Test
    void variablesMergePomThenProjectPropertiesThenUserProperties() {
        Map<String, String> merged = RenderRequest.mergeVariables(Map.of("A", "pom", "B", "pom", "C", "pom"),
                Map.of("deployer.var.B", "project", "deployer.var.C", "project", "other", "x"),
                Map.of("deployer.var.C", "user", "deployer.var.D", "user", "deployer.var.", "ignored"));
        assertEquals(Map.of("A", "pom", "B", "project", "C", "user", "D", "user"), merged);
    }
}
