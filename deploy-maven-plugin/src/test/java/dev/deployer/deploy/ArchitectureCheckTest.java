package dev.deployer.deploy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitectureCheckTest {

    private static final String IMAGE = "ghcr.io/acme/shop:abc@sha256:" + "1".repeat(64);
    private static final NodePlatform ARM = NodePlatform.of("hetzner-cax11", "linux", "aarch64");
    private static final NodePlatform AMD = NodePlatform.of("hetzner-cx22", "linux", "x86_64");

    @Test
    void translatesTheKernelsMachineNames() {
        assertEquals("linux/amd64", NodePlatform.of("a", "linux", "x86_64").platform());
        assertEquals("linux/arm64", NodePlatform.of("a", "linux", "aarch64").platform());
        assertEquals("linux/arm/v7", NodePlatform.of("a", "linux", "armv7l").platform());
        assertEquals("linux/386", NodePlatform.of("a", null, "i686").platform());
        assertEquals("windows/amd64", NodePlatform.of("a", "Windows", "x86_64").platform());
    }

    @Test
    void variantsMatterOnlyFor32BitArm() {
        assertTrue(ARM.runs("linux/arm64/v8"));
        assertTrue(ARM.runs("linux/arm64"));
        assertFalse(ARM.runs("linux/amd64"));
        NodePlatform v7 = NodePlatform.of("pi", "linux", "armv7l");
        assertTrue(v7.runs("linux/arm/v6"), "a v7 CPU runs v6 code");
        assertFalse(NodePlatform.of("pi0", "linux", "armv6l").runs("linux/arm/v7"));
        assertFalse(AMD.runs("windows/amd64"));
    }

    @Test
    void refusesAnAmd64OnlyImageOnAnArm64ServerNamingTheFix() {
        DeployerException refused = assertThrows(DeployerException.class,
                () -> ArchitectureCheck.check(IMAGE, List.of("linux/amd64"), List.of(ARM), "the server"));
        assertEquals("image " + IMAGE + " is linux/amd64 only; the server is linux/arm64 — build with"
                + " -Ddeployer.platforms=linux/amd64,linux/arm64. Nothing was changed", refused.problem());
        assertEquals("deployer.platforms", refused.location());
        assertTrue(refused.fix().startsWith("build with -Ddeployer.platforms=linux/amd64,linux/arm64"), refused.fix());
    }

    @Test
    void aMultiPlatformImageRunsOnEveryNode() {
        assertDoesNotThrow(() -> ArchitectureCheck.check(IMAGE, List.of("linux/amd64", "linux/arm64/v8"),
                List.of(AMD, ARM), "service app's nodes"));
        assertDoesNotThrow(() -> ArchitectureCheck.check(IMAGE, List.of("linux/amd64"), List.of(AMD), "the server"));
    }

    @Test
    void namesTheNodesThatCannotRunItInAMixedSwarm() {
        DeployerException refused = assertThrows(DeployerException.class, () -> ArchitectureCheck.check(IMAGE,
                List.of("linux/amd64"), List.of(AMD, ARM, NodePlatform.of("cax21", "linux", "arm64")),
                "service app's nodes"));
        assertEquals("image " + IMAGE + " is linux/amd64 only; service app's nodes include linux/arm64 (hetzner-cax11,"
                + " cax21) — build with -Ddeployer.platforms=linux/amd64,linux/arm64. Nothing was changed",
                refused.problem());
    }

    @Test
    void noSelectedNodeOrUnknownPlatformsAreRefusedToo() {
        assertTrue(assertThrows(DeployerException.class, () -> ArchitectureCheck.check(IMAGE, List.of("linux/amd64"),
                List.of(), "service app's nodes")).problem().contains("selects no active node"));
        assertTrue(assertThrows(DeployerException.class, () -> ArchitectureCheck.check(IMAGE, List.of(),
                List.of(AMD), "the server")).problem().contains("are unknown"));
    }
}
