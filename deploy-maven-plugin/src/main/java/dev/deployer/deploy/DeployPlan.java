package dev.deployer.deploy;

import dev.deployer.core.ImageRef;
import dev.deployer.core.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link Target} needs to build the deploy commands of one stack.
 *
 * @param stack       the stack / compose project name ({@code deployer.stack})
 * @param environment {@code local}, {@code qa}, {@code production}
 * @param image       the service image being deployed, digest known
 * @param directory   the directory of the rendered files ({@code target/deployer/<env>/}); commands run here
 * @param stackFile   the rendered stack file (compose format), secrets as {@code ${NAME}} placeholders
 * @param services    the services of the stack file, in file order, with their dependencies
 * @param secrets     the secret values the stack file references; they travel only in the commands' environment
 * @param timeout     how long one deploy command may take
 * @param stackText   the stack file's text (placeholders, never secret values): what is written to {@code stackFile}
 * @param images      a release's images by module artifactId (every one verified by digest); empty when the stack
 *                    deploys {@code image} alone
 */
public record DeployPlan(String stack, String environment, ImageRef image, Path directory, Path stackFile,
        List<StackService> services, List<Secret> secrets, Duration timeout, String stackText, Map<String, ImageRef> images) {

    /** A plan of one image (no release). */
    public DeployPlan(String stack, String environment, ImageRef image, Path directory, Path stackFile,
            List<StackService> services, List<Secret> secrets, Duration timeout, String stackText) {
        this(stack, environment, image, directory, stackFile, services, secrets, timeout, stackText, Map.of());
    }

    public DeployPlan {
        images = images == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(images));
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(stackFile, "stackFile");
        services = List.copyOf(services);
        secrets = List.copyOf(secrets);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(stackText, "stackText");
        if (!stack.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("stack name '" + stack + "' must be lower-case letters, digits, '-' or '_'");
        }
    }

    /** A plan for a stack file already on disk (its text read from it). */
    public DeployPlan(String stack, String environment, ImageRef image, Path directory, Path stackFile,
            List<StackService> services, List<Secret> secrets, Duration timeout) {
        this(stack, environment, image, directory, stackFile, services, secrets, timeout, read(stackFile));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The images the deploy runs and verifies by digest: a release's every image, else {@link #image}. */
    public java.util.Collection<ImageRef> deployedImages() {
        return images.isEmpty() ? List.of(image) : images.values();
    }

    /** The same plan with {@code deployed} as its image: {@link #appServices()} are then the services that run it. */
    public DeployPlan running(ImageRef deployed) {
        return deployed.equals(image) ? this : new DeployPlan(stack, environment, deployed, directory, stackFile, services, secrets, timeout, stackText, images);
    }

    /** The same plan for another stack file (a restore's): its text, services and secrets, and the images it runs. */
    public DeployPlan restoring(ImageRef restoredImage, Path file, List<StackService> restoredServices, List<Secret> restoredSecrets,
            String text, Map<String, ImageRef> restoredImages) {
        return new DeployPlan(stack, environment, restoredImage, directory, file, restoredServices, restoredSecrets, timeout,
                text, restoredImages);
    }

    /** The service names, in file order. */
    public List<String> serviceNames() {
        return services.stream().map(StackService::name).toList();
    }

    /** The services that run the deployed image (its repository), in file order: the app. */
    public List<StackService> appServices() {
        return services.stream().filter(service -> dev.deployer.core.ImageRef.repositoryOf(service.image())
                .equals(image.repository())).toList();
    }
}
