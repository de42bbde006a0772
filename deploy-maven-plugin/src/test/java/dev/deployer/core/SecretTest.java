package dev.deployer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void aOneCharacterSecretDoesNotMaskThatCharacterEverywhere() {
        Secret one = Secret.of("FLAG", "e");
        assertEquals("deployed service redis", one.maskIn("deployed service redis"));
        assertFalse(one.maskable());
    }

    @Test
    void valuesFromTheMinimumLengthOnAreMasked() {
        Secret secret = Secret.of("PASSWORD", "pa55");
        assertTrue(secret.maskable());
        assertEquals("login [REDACTED] ok", secret.maskIn("login pa55 ok"));
        assertEquals("x [REDACTED] y [REDACTED]", Secret.of("KEY", "line-one\nline-two").maskIn("x line-one y line-two"));
    }
}
