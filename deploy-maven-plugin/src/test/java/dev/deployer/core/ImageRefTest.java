package dev.deployer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageRefTest {

    private static final String DIGEST = "sha256:" + "0a".repeat(32);

    @Test
    void parsesRegistryPortRepositoryTagAndDigest() {
        ImageRef image = ImageRef.parse("127.0.0.1:5443/acme/shop:4f1c@" + DIGEST);
        assertEquals(new ImageRef("127.0.0.1:5443/acme/shop", "4f1c", DIGEST), image);
        assertEquals("127.0.0.1:5443", image.registry());
        assertEquals("acme/shop", image.path());
        assertEquals("127.0.0.1:5443/acme/shop:4f1c@" + DIGEST, image.ref());
    }

    @Test
    void dockerHubNamesAndMissingParts() {
        ImageRef redis = ImageRef.parse("redis:7");
        assertEquals("docker.io", redis.registry());
        assertEquals("library/redis", redis.path());
        ImageRef bare = ImageRef.parse("ghcr.io/acme/shop@" + DIGEST);
        assertEquals("", bare.tag());
        assertEquals("ghcr.io/acme/shop@" + DIGEST, bare.ref());
        assertEquals("localhost:5000/x", ImageRef.parse("localhost:5000/x").repository());
        assertEquals("localhost:5000", ImageRef.parse("localhost:5000/x").registry());
    }

    @Test
    void lenientHelpersForWhatAnEngineReports() {
        assertEquals(DIGEST, ImageRef.digestOf("a/b:1@" + DIGEST));
        assertNull(ImageRef.digestOf("a/b:1"));
        assertNull(ImageRef.digestOf("not a reference"));
        assertEquals("a/b:1", ImageRef.withoutDigest("a/b:1@" + DIGEST));
        assertEquals("host:5000/a/b", ImageRef.repositoryOf("host:5000/a/b:1@" + DIGEST));
    }

    @Test
    void malformedReferencesFailNamingTheReference() {
        DeployerException e = assertThrows(DeployerException.class, () -> ImageRef.parse("a/b@sha256:short"));
        assertTrue(e.getMessage().contains("'a/b@sha256:short' has no valid digest"), e.getMessage());
        assertThrows(DeployerException.class, () -> ImageRef.parse(""));
        assertThrows(DeployerException.class, () -> ImageRef.parse(":tag"));
    }
}
