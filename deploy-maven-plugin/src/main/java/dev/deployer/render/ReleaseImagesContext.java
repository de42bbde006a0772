package dev.deployer.render;

import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code $images} in templates: the release's images by module artifactId, {@code $images.api.ref} (or
 * {@code $images.get("my-api").ref} for a name with {@code -}), each with {@code .ref} (what to deploy:
 * {@code repository@digest}, or {@code repository:tag} before the image is pushed), {@code .digest} (null before),
 * {@code .tag} and {@code .repository}. Each module is resolved on first use.
 */
public final class ReleaseImagesContext {

    private final Function<String, ImageContext.Resolved> resolver;
    private final Map<String, String> repositories;
    private final Map<String, Image> resolved = new LinkedHashMap<>();

    /**
     * @param repositories the modules' repositories by artifactId (module order)
     * @param resolver     a module's tag and digest by artifactId
     */
    ReleaseImagesContext(Map<String, String> repositories, Function<String, ImageContext.Resolved> resolver) {
        this.repositories = new LinkedHashMap<>(repositories);
        this.resolver = resolver;
    }

    /** {@code $images.NAME}: the image of module NAME; fails naming the modules there are. */
    public synchronized Image get(String artifactId) {
        if (!repositories.containsKey(artifactId)) {
            throw new DeployerException("$images has no module '" + artifactId + "'"
                    + (repositories.isEmpty() ? ": this module owns no release (no image module among its dependencies)"
                    : " (the release's image modules: " + String.join(", ", repositories.keySet()) + ")"), null,
                    "name an image module by its artifactId; a module becomes one when the owner declares a dependency on it"
                            + " (scope provided) and it builds an image (deployer:build)");
        }
        return resolved.computeIfAbsent(artifactId, name -> new Image(name, repositories.get(name), resolver.apply(name)));
    }

    /** The resolved modules and where their tag and digest came from, for the render summary. */
    synchronized Map<String, String> sources() {
        Map<String, String> sources = new LinkedHashMap<>();
        resolved.forEach((name, image) -> sources.put(name, image.resolved.source()));
        return sources;
    }

    @Override
    public String toString() {
        return "$images" + repositories.keySet();
    }

    /** One module's image in {@code $images}. */
    public static final class Image {
        private final String module;
        private final String repository;
        private final ImageContext.Resolved resolved;

        Image(String module, String repository, ImageContext.Resolved resolved) {
            this.module = module;
            this.repository = repository;
            this.resolved = resolved;
        }

        public String getRepository() {
            if (repository == null) {
                throw new DeployerException("$images." + module + " has no image repository: module " + module
                        + " configures no deployer.image and has no image.json yet", null,
                        "set <image> in the deployer plugin configuration of module " + module);
            }
            return repository;
        }

        public String getTag() {
            return resolved.tag();
        }

        /** The digest, or null before the image is pushed: test it with {@code #if($images.api.digest)}. */
        public String getDigest() {
            return resolved.digest();
        }

        /** What to deploy: {@code repository@digest}; before the image is pushed, {@code repository:tag}. */
        public String getRef() {
            return resolved.digest() == null ? getRepository() + ":" + resolved.tag() : getRepository() + "@" + resolved.digest();
        }

        /** The image as the core's {@link ImageRef}. */
        public ImageRef toImageRef() {
            return new ImageRef(getRepository(), resolved.tag(), resolved.digest());
        }

        @Override
        public String toString() {
            return getRef();
        }
    }
}
