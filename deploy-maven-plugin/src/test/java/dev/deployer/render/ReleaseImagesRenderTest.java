package dev.deployer.render;

import dev.deployer.core.BuiltImage;
import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;
import dev.deployer.core.ProjectInfo;
import dev.deployer.core.ReleaseModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code $images} in the templates of a release's owner: preview before the images exist, and the deploy's render. */
class ReleaseImagesRenderTest {

    private static final String API = "registry.example/acme/api";
    private static final String WEB = "registry.example/acme/my-web";
    private static final String DIGEST = RenderFixture.DIGEST;

    @TempDir
    Path basedir;

    private RenderFixture fixture() {
        return new RenderFixture(basedir.resolve("stack"));
    }

    private List<ReleaseModule> modules() {
        return List.of(new ReleaseModule("api", API, basedir.resolve("api/target/deployer")),
                new ReleaseModule("my-web", WEB, basedir.resolve("my-web/target/deployer")));
    }

    /** The owner: a pom module with no image of its own. */
    private RenderRequest request(RenderFixture fixture, SecretMode mode) {
        ProjectInfo owner = new ProjectInfo("dev.example", "stack", "1.0", "pom", fixture.basedir, fixture.basedir.resolve("target"));
        return new RenderRequest(owner, fixture.templates(), "local", null, Map.of(), List.of(), "stack.yml", mode, modules());
    }

    private static final String TEMPLATE = "version: \"3.8\"\nservices:\n  api:\n    image: \"$images.api.ref\"\n"
            + "  web:\n    image: \"$images.get(\"my-web\").ref\"\n";

    @Test
    void previewUsesEachBuiltModulesDigestAndAPlaceholderForTheOthers() throws Exception {
        RenderFixture fixture = fixture().template("stack.yml.vm", TEMPLATE);
        new BuiltImage(API, List.of(RenderFixture.SHA), DIGEST, "pushed", Map.of()).write(modules().get(0).imageJson());

        fixture.renderer().render(request(fixture, SecretMode.PREVIEW));

        String stack = java.nio.file.Files.readString(fixture.basedir.resolve("target/deployer/local/stack.yml"));
        assertTrue(stack.contains("image: \"" + API + "@" + DIGEST + "\""), stack);
        assertTrue(stack.contains("image: \"" + WEB + ":" + TemplateRenderer.NO_COMMIT_TAG + "\""), stack);
        assertTrue(fixture.log.text().contains("$images.my-web " + WEB + ":" + TemplateRenderer.NO_COMMIT_TAG
                + " (placeholder: module my-web not built and pushed yet)"), fixture.log.text());
    }

    @Test
    void theDeploysRenderUsesExactlyTheReleasesImages() {
        RenderFixture fixture = fixture().template("stack.yml.vm", TEMPLATE + "# $images.api.tag $images.api.digest $images.api.repository\n");
        String web = "sha256:" + "cd".repeat(32);
        Map<String, ImageRef> images = Map.of("api", new ImageRef(API, RenderFixture.SHA, DIGEST),
                "my-web", new ImageRef(WEB, RenderFixture.SHA, web));

        String stack = fixture.renderer().renderFor(request(fixture, SecretMode.DEPLOY), images.get("api"), images).get(0).content();

        assertTrue(stack.contains("image: \"" + WEB + "@" + web + "\""), stack);
        assertTrue(stack.contains("# " + RenderFixture.SHA + " " + DIGEST + " " + API), stack);
    }

    @Test
    void anUnknownModuleNamesTheReleasesModules() {
        RenderFixture fixture = fixture().template("stack.yml.vm", "services:\n  x:\n    image: \"$images.worker.ref\"\n");
        DeployerException e = assertThrows(DeployerException.class, () -> fixture.renderer().render(request(fixture, SecretMode.PREVIEW)));
        assertTrue(e.problem().contains("$images has no module 'worker' (the release's image modules: api, my-web)"), e.problem());
        assertTrue(e.location().startsWith("src/main/deploy/stack.yml.vm:3"), e.location());
    }

    @Test
    void anOwnerWithoutAnImageOfItsOwnHasNoImageVariable() {
        RenderFixture fixture = fixture().template("stack.yml.vm", "services:\n  x:\n    image: \"$image.ref\"\n");
        DeployerException e = assertThrows(DeployerException.class, () -> fixture.renderer().render(request(fixture, SecretMode.PREVIEW)));
        assertTrue(e.problem().contains("no image repository is configured"), e.problem());
        assertTrue(e.location().startsWith("src/main/deploy/stack.yml.vm:3:"), e.location());
    }
}
