package dev.deployer.image;

import com.google.cloud.tools.jib.api.DockerClient;
import com.google.cloud.tools.jib.api.ImageDetails;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.image.ImageTarball;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Jib "Docker engine" that keeps nothing: Jib assembles the image (layers from its cache, config, manifest) and
 * reports its digest, and {@link #load} throws the image away instead of writing it anywhere. This is how the
 * immutability check learns the digest a push would produce without touching the registry and without writing a
 * tarball of the base image's layers.
 */
final class DigestOnlyClient implements DockerClient {

    @Override
    public boolean supported(Map<String, String> parameters) {
        return true;
    }

    @Override
    public String load(ImageTarball imageTarball, Consumer<Long> writtenByteCountListener) {
        return "digest computed; image not written";
    }

    @Override
    public void save(ImageReference imageReference, Path outputPath, Consumer<Long> writtenByteCountListener) {
        throw new UnsupportedOperationException("the digest-only target keeps no images");
    }

    @Override
    public ImageDetails inspect(ImageReference imageReference) {
        throw new UnsupportedOperationException("the digest-only target keeps no images");
    }
}
