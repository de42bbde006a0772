package dev.deployer.core;

import java.util.Objects;

/**
 * An image reference: repository, tag and, once known, digest. What templates see as {@code $image}.
 *
 * @param repository e.g. {@code ghcr.io/acme/service} (registry host included when not Docker Hub)
 * @param tag        e.g. the full git commit SHA; never an implicit {@code latest}; empty only for a parsed
 *                   reference that names none
 * @param digest     {@code sha256:...}, or null while unknown (before the image is pushed)
 */
public record ImageRef(String repository, String tag, String digest) {

    public ImageRef {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(tag, "tag");
        if (digest != null && !digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
    }

    /** {@code repository:tag@sha256:...} when the digest is known, else {@code repository:tag}. */
    public String ref() {
        String named = tag.isEmpty() ? repository : repository + ":" + tag;
        return digest == null ? named : named + "@" + digest;
    }

    /**
     * Parses {@code [host[:port]/]path[:tag][@sha256:…]}. The tag is empty when the reference names none (a bare
     * digest reference, or a name without tag as stack files may hold); it is never an implicit {@code latest}.
     *
     * @throws DeployerException naming the reference when it is not one
     */
    public static ImageRef parse(String reference) {
        if (reference == null || reference.isBlank() || reference.chars().anyMatch(Character::isWhitespace)) {
            throw new DeployerException("'" + reference + "' is not an image reference", null,
                    "write [registry/]repository[:tag][@sha256:<64 hex>], e.g. ghcr.io/acme/shop:4f1c2e9");
        }
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!digest.matches("sha256:[0-9a-f]{64}")) {
                throw new DeployerException("'" + reference + "' has no valid digest after '@'", null,
                        "write the digest as sha256: and 64 lower-case hex digits");
            }
        }
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        String tag = "";
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        if (rest.isEmpty() || rest.startsWith("/") || rest.endsWith("/")) {
            throw new DeployerException("'" + reference + "' names no repository", null,
                    "write [registry/]repository[:tag], e.g. ghcr.io/acme/shop");
        }
        return new ImageRef(rest, tag, digest);
    }

    /** The repository part of {@code host:port/repo:tag@sha256:…} (no tag, no digest); the text itself when it is no reference. */
    public static String repositoryOf(String imageRef) {
        try {
            return parse(imageRef).repository();
        } catch (DeployerException notAReference) {
            return imageRef;
        }
    }

    /** The digest of a reference ({@code repo:tag@sha256:…}), or null when it names none or is no reference. */
    public static String digestOf(String reference) {
        try {
            return parse(reference).digest();
        } catch (DeployerException notAReference) {
            return null;
        }
    }

    /** The reference without its digest ({@code repo:tag}); the text itself when it is no reference. */
    public static String withoutDigest(String reference) {
        try {
            ImageRef image = parse(reference);
            return new ImageRef(image.repository(), image.tag(), null).ref();
        } catch (DeployerException notAReference) {
            return reference;
        }
    }

    /** The registry host[:port] of the repository; {@code docker.io} when the first part names no host. */
    public String registry() {
        int slash = repository.indexOf('/');
        String first = slash < 0 ? "" : repository.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "docker.io";
    }

    /** The repository's path in its registry: {@code acme/shop}; {@code library/redis} for Docker Hub's official images. */
    public String path() {
        String registry = registry();
        if (!"docker.io".equals(registry)) {
            return repository.substring(registry.length() + 1);
        }
        String path = repository.startsWith("docker.io/") ? repository.substring("docker.io/".length()) : repository;
        return path.contains("/") ? path : "library/" + path;
    }

    public ImageRef withDigest(String newDigest) {
        return new ImageRef(repository, tag, newDigest);
    }

    /** Velocity reads properties through getters: {@code $image.ref} and friends. */
    public String getRepository() {
        return repository;
    }

    public String getTag() {
        return tag;
    }

    public String getDigest() {
        return digest;
    }

    public String getRef() {
        return ref();
    }

    @Override
    public String toString() {
        return ref();
    }
}
