package dev.deployer.deploy;

import dev.deployer.core.ImageRef;
import dev.deployer.core.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 */
public record DeployPlan(String stack, String environment, ImageRef image, Path directory, Path stackFile,
        List<StackService> services, List<Secret> secrets, Duration timeout, String stackText) {

    public DeployPlan {
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
