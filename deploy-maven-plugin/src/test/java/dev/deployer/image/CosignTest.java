package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CosignTest {

    @Test
    void signsTheSimpleSigningPayloadVerifiablyWithThePublicHalf() throws Exception {
        String[] pair = TestKeys.keyPair();
        String[] other = TestKeys.keyPair();
        SigningKey key = SigningKey.parse(Secret.of(SigningKey.ENV, pair[0]));
        byte[] payload = Cosign.payload("ghcr.io/acme/shop", "sha256:" + "a".repeat(64));
        assertEquals("{\"critical\":{\"identity\":{\"docker-reference\":\"ghcr.io/acme/shop\"},\"image\":"
                + "{\"docker-manifest-digest\":\"sha256:" + "a".repeat(64) + "\"},\"type\":\"cosign container image"
                + " signature\"},\"optional\":null}", new String(payload, StandardCharsets.UTF_8));
        byte[] signature = key.sign(payload);
        assertTrue(SigningKey.verify(SigningKey.publicKey(pair[1]), payload, signature));
        assertTrue(SigningKey.verify(key.publicKey(), payload, signature), "the derived public half");
        assertEquals(SigningKey.publicKey(pair[1]), key.publicKey());
        assertFalse(SigningKey.verify(SigningKey.publicKey(other[1]), payload, signature));
        assertEquals(Optional.of("sha256:" + "a".repeat(64)), Cosign.signedDigest(payload));
        assertEquals("SigningKey[[REDACTED]]", key.toString());
    }

    @Test
    void aBadKeyFailsWithoutShowingIt() {
        String notAKey = "-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5LWNhbmFyeQ==\n-----END PRIVATE KEY-----\n";
        DeployerException bad = assertThrows(DeployerException.class,
                () -> SigningKey.parse(Secret.of(SigningKey.ENV, notAKey)));
        assertEquals("DEPLOYER_SIGNING_KEY is not an unencrypted ECDSA P-256 private key in PEM", bad.problem());
        assertFalse(bad.getMessage().contains("bm90LWEta2V5LWNhbmFyeQ"));
        assertThrows(DeployerException.class, () -> SigningKey.publicKey("nope"));
    }
}
