package dev.deployer.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;
import dev.deployer.core.Log;
import dev.deployer.core.ProjectInfo;
import dev.deployer.render.RenderRequest;
import dev.deployer.render.RenderedFile;
import dev.deployer.render.SecretMode;
import dev.deployer.render.TemplateRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The render core ({@code dev.deployer.render}) as the deploy runbook's {@link StackRenderer}, in DEPLOY mode
 * (secrets as {@code ${NAME}} placeholders).
 *
 * <p>The render core takes {@code $image} from {@code target/deployer/image.json}. A deploy of another image
 * ({@code -Ddeployer.tag}, a rollback) must not overwrite the build's record, so this adapter renders in a private
 * staging build directory whose {@code image.json} names the image being deployed, then moves the files into
 * {@code target/deployer/<environment>/}. No secret value is ever written: the render core only checks that the
 * referenced ones are set.
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
        return withStaging(image, staged -> List.copyOf(renderer.referencedSecrets(staged)));
    }

    @Override
    public Rendered render(ImageRef image, Path directory) {
        return withStaging(image, staged -> {
            List<RenderedFile> files = renderer.render(staged);
            Path from = staged.outputDirectory();
            List<Path> moved = new ArrayList<>();
            try {
                deleteRecursively(directory);
                Files.createDirectories(directory);
                for (RenderedFile file : files) {
                    Path target = directory.resolve(from.relativize(file.file()).toString());
                    Files.createDirectories(target.getParent());
                    Files.move(file.file(), target, StandardCopyOption.REPLACE_EXISTING);
                    moved.add(target);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path stack = directory.resolve(stackFile);
            if (!Files.isRegularFile(stack)) {
                throw new DeployerException("The templates rendered no " + stackFile + " to deploy (rendered: "
                        + moved.stream().map(p -> directory.relativize(p).toString()).toList() + ")", "deployer.stackFile",
                        "add src/main/deploy/" + stackFile + ".vm or name the rendered stack file with -Ddeployer.stackFile=…");
            }
            return new Rendered(stack, moved, renderer.referencedSecrets(staged).stream().toList());
        });
    }

    private <T> T withStaging(ImageRef image, java.util.function.Function<RenderRequest, T> action) {
        ProjectInfo project = request.project();
        Path staging = project.buildDir().resolve("deployer-staging-" + request.environment());
        try {
            deleteRecursively(staging);
            Path deployerDir = staging.resolve("deployer");
            Files.createDirectories(deployerDir);
            new ObjectMapper().writeValue(deployerDir.resolve(TemplateRenderer.IMAGE_JSON).toFile(), Map.of(
                    "image", image.repository(), "tags", List.of(image.tag()), "digest", image.digest(), "pushed", true));
            ProjectInfo stagedProject = new ProjectInfo(project.groupId(), project.artifactId(), project.version(),
                    project.packaging(), project.basedir(), staging);
            RenderRequest staged = new RenderRequest(stagedProject, request.templateDirectory(), request.environment(),
                    image.repository(), request.variables(), request.secretNames(), request.quantumStackFile(), SecretMode.DEPLOY);
            return action.apply(staged);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteRecursively(staging);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
