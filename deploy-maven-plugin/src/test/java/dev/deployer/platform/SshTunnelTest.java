package dev.deployer.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ssh command line of the tunnel, as data: nothing is started. */
class SshTunnelTest {

    private static final Path SOCKET = Path.of("/tmp/x/docker.sock");

    @Test
    void hostKeysAreAlwaysCheckedStrictly() {
        List<String> argv = SshTunnel.command("ssh://deploy@qa-server", SOCKET);
        int option = argv.indexOf("StrictHostKeyChecking=yes");
        assertTrue(option > 0 && "-o".equals(argv.get(option - 1)), argv.toString());
        assertTrue(argv.contains("BatchMode=yes"), argv.toString());
    }

    @Test
    void theDestinationFollowsADoubleDashAndComesLast() {
        List<String> argv = SshTunnel.command("ssh://deploy@qa-server:2222", SOCKET);
        assertEquals(List.of("-p", "2222", "--", "deploy@qa-server"), argv.subList(argv.size() - 4, argv.size()));
        assertEquals(List.of("--", "qa-server"), SshTunnel.target("ssh://qa-server"));
    }

    @Test
    void aUserThatWouldBeReadAsAnOptionIsRefused() {
        for (String bad : List.of("ssh://-oProxyCommand=touch@host", "ssh://-oProxyCommand%3Dtouch%20%2Ftmp%2Fpwned@host",
                "ssh://-p22@host", "ssh://de%20ploy@host", "ssh://de%0Aploy@host")) {
            DeployerException e = assertThrows(DeployerException.class, () -> SshTunnel.target(bad), bad);
            assertEquals("DOCKER_HOST", e.location());
            assertTrue(e.getMessage().contains("plain user name"), e.getMessage());
        }
    }

    @Test
    void ordinaryUserNamesPass() {
        for (String user : List.of("deploy", "ci_bot", "ops.team", "u-1")) {
            assertEquals(List.of("--", user + "@host.example.com"), SshTunnel.target("ssh://" + user + "@host.example.com"));
        }
        assertFalse(SshTunnel.target("ssh://host").contains("-oProxyCommand"));
    }
}
