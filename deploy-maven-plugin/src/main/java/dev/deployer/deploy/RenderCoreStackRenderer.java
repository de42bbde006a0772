package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;
import dev.deployer.render.RenderRequest;
import dev.deployer.render.RenderedFile;
import dev.deployer.render.SecretMode;
import dev.deployer.render.TemplateRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The render core ({@code dev.deployer.render}) as the deploy runbook's {@link StackRenderer}, in DEPLOY mode
 * (secrets as {@code ${NAME}} placeholders), for the image being deployed (not the build's {@code image.json}: a
 * deploy of {@code -Ddeployer.tag} or a rollback renders another image). Renders in memory; no secret value is ever
 * read: the render core only checks that the referenced ones are set.
 */
public final class RenderCoreStackRenderer implements StackRenderer {

    private final TemplateRenderer renderer;
    private final RenderRequest request;
    private final String stackFile;

    /**
     * @param renderer  the render core
     * @param request   the render request as the render goal would build it (its mode is forced to DEPLOY)
     * @param stackFile the rendered file to deploy, relative to the output directory (e.g. {@code stack.yml})
     */
    public RenderCoreStackRenderer(TemplateRenderer renderer, RenderRequest request, String stackFile) {
        this.renderer = renderer;
        this.request = request.withMode(SecretMode.DEPLOY);
        this.stackFile = stackFile;
    }

    /** The stack file a target deploys by default: Compose prefers {@code docker-compose.yml} when there is a template for it. */
    public static String defaultStackFile(String target, Path templateDirectory) {
        if ("compose".equals(target) && Files.exists(templateDirectory.resolve("docker-compose.yml.vm"))) {
            return "docker-compose.yml";
        }
        return "stack.yml";
    }

    @Override
    public java.util.Map<String, String> variables() {
        return request.variables();
    }

    @Override
    public List<String> secretNames(ImageRef image) {
        return List.copyOf(renderer.referencedSecrets(requestFor(image), image));
    }

    @Override
    public Rendered render(ImageRef image) {
        return render(image, Map.of());
    }

    @Override
    public List<String> secretNames(ImageRef image, Map<String, ImageRef> images) {
        return List.copyOf(renderer.referencedSecrets(requestFor(image, images), image, images));
    }

    @Override
    public Rendered render(ImageRef image, Map<String, ImageRef> images) {
        RenderRequest forImage = requestFor(image, images);
        List<RenderedFile> files = renderer.renderFor(forImage, image, images);
        Map<String, String> byName = new LinkedHashMap<>();
        files.forEach(file -> byName.put(file.name(), file.content()));
        if (!byName.containsKey(stackFile)) {
            throw new DeployerException("The templates render no " + stackFile + " to deploy (they render: "
                    + byName.keySet() + ")", "deployer.stackFile",
                    "add " + request.templateDirectory().getFileName() + "/" + stackFile
                            + ".vm or name the rendered stack file with -Ddeployer.stackFile=…");
        }
        return new Rendered(stackFile, byName, List.copyOf(renderer.referencedSecrets(forImage, image, images)));
    }

    private RenderRequest requestFor(ImageRef image) {
        return requestFor(image, Map.of());
    }

    /**
     * The request for {@code image}; for a release whose owner builds no image of its own, {@code $image} stays
     * undefined (a template that uses it fails with its file and line), whatever image names the release.
     */
    private RenderRequest requestFor(ImageRef image, Map<String, ImageRef> images) {
        boolean ownImage = images.isEmpty() || images.containsKey(request.project().artifactId());
        return new RenderRequest(request.project(), request.templateDirectory(), request.environment(),
                ownImage ? image.repository() : null,
                request.variables(), request.secretNames(), request.quantumStackFile(), SecretMode.DEPLOY, request.releaseModules());
    }
}
