package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Where a Basic credential may go when a registry names a token service. */
class RegistryProbeTest {

    @Test
    void basicCredentialsGoToHttpsRealmsOnTheRegistryOrElsewhere() {
        assertDoesNotThrow(() -> RegistryProbe.requireSafeRealm(URI.create("https://ghcr.io/token"), "ghcr.io", "deployer.image"));
        assertDoesNotThrow(() -> RegistryProbe.requireSafeRealm(URI.create("https://auth.docker.io/token"), "registry-1.docker.io",
                "deployer.image"));
    }

    @Test
    void neverOverPlainHttpToTheRegistryItself() {
        DeployerException e = assertThrows(DeployerException.class,
                () -> RegistryProbe.requireSafeRealm(URI.create("http://registry.example.test:5443/auth"), "registry.example.test:5443",
                        "deployer.image"));
        assertEquals("deployer.image", e.location());
        assertTrue(e.getMessage().contains("the registry's own host") && e.getMessage().contains("without TLS"), e.getMessage());
    }

    @Test
    void neverOverPlainHttpToAnotherHost() {
        DeployerException e = assertThrows(DeployerException.class,
                () -> RegistryProbe.requireSafeRealm(URI.create("http://collector.evil.test/token"), "registry.example.test:5443",
                        "deployer.baseImage"));
        assertTrue(e.getMessage().contains("another host, collector.evil.test"), e.getMessage());
    }
}
