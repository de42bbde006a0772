package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deployer.verify.publicKey} as PEM text or a file; a bad key fails before anything is read. No registry. */
class RegistryImageChecksTest {

    @TempDir
    Path dir;

    private RegistryImageChecks checks(String pem, boolean enforce) {
        return new RegistryImageChecks(new CredentialChain(name -> null, CredentialChain.ServerLookup.none(), dir),
                dir.resolve("image.json"), pem, enforce);
    }

    @Test
    void thePublicKeyIsPemTextOrAFileRelativeToTheProject() throws Exception {
        String pem = TestKeys.keyPair()[1];
        Files.writeString(dir.resolve("deployer.pub.pem"), pem);

        assertEquals(pem.strip(), RegistryImageChecks.publicKeyPem(pem, dir));
        assertEquals(pem, RegistryImageChecks.publicKeyPem("deployer.pub.pem", dir));
        assertEquals(pem, RegistryImageChecks.publicKeyPem(dir.resolve("deployer.pub.pem").toString(), Path.of("/")));
        assertNull(RegistryImageChecks.publicKeyPem("  ", dir), "unset: no verification");
        assertNull(RegistryImageChecks.publicKeyPem(null, dir));
    }

    @Test
    void aMissingFileOrABadKeyIsRefusedNamingTheParameter() throws Exception {
        DeployerException missing = assertThrows(DeployerException.class,
                () -> RegistryImageChecks.publicKeyPem("keys/none.pem", dir));
        assertEquals("deployer.verify.publicKey", missing.location());
        assertTrue(missing.problem().contains("'keys/none.pem'"), missing.getMessage());

        DeployerException notAKey = assertThrows(DeployerException.class,
                () -> checks("-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n", true));
        assertEquals("deployer.verify.publicKey", notAKey.location());
    }

    @Test
    void verifiesOnlyWithAKeyAndEnforcesAsTold() throws Exception {
        assertFalse(checks(null, true).verifiesSignatures());
        RegistryImageChecks reporting = checks(TestKeys.keyPair()[1], false);
        assertTrue(reporting.verifiesSignatures());
        assertFalse(reporting.enforcesSignatures());
        assertTrue(checks(TestKeys.keyPair()[1], true).enforcesSignatures());
    }
}
