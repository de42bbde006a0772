package dev.deployer.core;

import java.util.Objects;

/**
 * An image reference: repository, tag and, once known, digest. What templates see as {@code $image}.
 *
 * @param repository e.g. {@code ghcr.io/acme/service} (registry host included when not Docker Hub)
 * @param tag        e.g. the full git commit SHA; never an implicit {@code latest}
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
        return digest == null ? repository + ":" + tag : repository + ":" + tag + "@" + digest;
    }

    /** The repository part of {@code host:port/repo:tag@sha256:…} (no tag, no digest). */
    public static String repositoryOf(String imageRef) {
        String withoutDigest = imageRef.contains("@") ? imageRef.substring(0, imageRef.indexOf('@')) : imageRef;
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        return colon > slash ? withoutDigest.substring(0, colon) : withoutDigest;
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
