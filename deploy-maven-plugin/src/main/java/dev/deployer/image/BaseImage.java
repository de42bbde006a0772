package dev.deployer.image;

import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import dev.deployer.core.DeployerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The base image, from {@code deployer.baseImage}: a registry image ({@code 127.0.0.1:5443/deployer/jre17:17}), a
 * {@code docker save} tarball ({@code tar://path}, relative to the project) or an image of the local engine
 * ({@code docker://name}).
 *
 * @param kind      where the base comes from
 * @param reference the image reference (for a tarball: none)
 * @param tarball   the tarball, for {@link Kind#TAR}
 */
record BaseImage(Kind kind, ImageReference reference, Path tarball) {

    enum Kind { REGISTRY, TAR, DOCKER }

    BaseImage {
        Objects.requireNonNull(kind, "kind");
    }

    static BaseImage parse(String value, Path basedir) {
        if (value == null || value.isBlank()) {
            throw new DeployerException("No base image", "deployer.baseImage",
                    "set <deployer.baseImage> to a Java runtime image, e.g. eclipse-temurin:17-jre or tar://base.tar");
        }
        String base = value.strip();
        if (base.startsWith("tar://")) {
            Path tarball = basedir.resolve(base.substring("tar://".length())).normalize();
            if (!Files.isRegularFile(tarball)) {
                throw new DeployerException("The base image tarball " + tarball + " does not exist", "deployer.baseImage",
                        "make it with docker save -o " + tarball + " <image>, or correct the path");
            }
            return new BaseImage(Kind.TAR, null, tarball);
        }
        boolean docker = base.startsWith("docker://");
        String name = docker ? base.substring("docker://".length()) : base;
        try {
            ImageReference reference = ImageReference.parse(name);
            String last = name.substring(name.lastIndexOf('/') + 1);
            if (!docker && !last.contains(":") && !name.contains("@")) {
                throw new DeployerException("The base image '" + base + "' has no tag or digest", "deployer.baseImage",
                        "pin the base, e.g. " + base + ":17 or " + base + "@sha256:...");
            }
            return new BaseImage(docker ? Kind.DOCKER : Kind.REGISTRY, reference, null);
        } catch (InvalidImageReferenceException e) {
            throw new DeployerException("'" + base + "' is not an image reference", "deployer.baseImage",
                    "write it as host[:port]/path:tag, tar://file.tar or docker://name:tag");
        }
    }

    /** The registry ({@code host[:port]}) to pull from, for a registry base. */
    Optional<String> registry() {
        return kind == Kind.REGISTRY ? Optional.of(reference.getRegistry()) : Optional.empty();
    }

    JavaContainerBuilder javaContainerBuilder(Optional<RegistryCredential> credential) {
        switch (kind) {
            case TAR:
                return JavaContainerBuilder.from(TarImage.at(tarball));
            case DOCKER:
                return JavaContainerBuilder.from(DockerDaemonImage.named(reference));
            default:
                RegistryImage image = RegistryImage.named(reference);
                credential.ifPresent(found -> image.addCredential(found.username(), found.password().reveal()));
                return JavaContainerBuilder.from(image);
        }
    }
}
