package dev.deployer.render;

import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;
import java.util.function.Supplier;

/**
 * {@code $image} in templates: {@code $image.repository}, {@code $image.tag}, {@code $image.digest} (null until
 * the image is built and pushed) and {@code $image.ref}. Resolved on first use, so templates that do not use the
 * image need neither {@code deployer.image} nor a git checkout.
 */
public final class ImageContext {

    private final String repository;
    private final Supplier<Resolved> resolver;
    private Resolved resolved;

    /** A tag and digest, and where they came from (for the log). */
    record Resolved(String tag, String digest, String source) {
    }

    ImageContext(String repository, Supplier<Resolved> resolver) {
        this.repository = repository;
        this.resolver = resolver;
    }

    public String getRepository() {
        if (repository == null) {
            throw new DeployerException("The template uses $image but no image repository is configured"
                    + " (parameter image, property deployer.image)", null,
                    "set <image>ghcr.io/OWNER/NAME</image> in the plugin configuration or pass -Ddeployer.image=ghcr.io/OWNER/NAME");
        }
        return repository;
    }

    public String getTag() {
        return resolved().tag();
    }

    /** The digest, or null before the image is pushed: test it with {@code #if($image.digest)}. */
    public String getDigest() {
        return resolved().digest();
    }

    public String getRef() {
        return toImageRef().ref();
    }

    /** The image as the core's {@link ImageRef}. */
    public ImageRef toImageRef() {
        return new ImageRef(getRepository(), getTag(), getDigest());
    }

    /** Whether a template used the tag or digest (and where they came from), for the log; null when unused. */
    String source() {
        return resolved == null ? null : resolved.source();
    }

    private synchronized Resolved resolved() {
        if (resolved == null) {
            resolved = resolver.get();
        }
        return resolved;
    }

    @Override
    public String toString() {
        return getRef();
    }
}
