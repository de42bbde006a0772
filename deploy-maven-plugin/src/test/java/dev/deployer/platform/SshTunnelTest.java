package dev.deployer.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import dev.deployer.core.ProcessRunner;
import dev.deployer.deploy.TargetContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ssh command line of the tunnel, as data: no ssh is started. */
class SshTunnelTest {

    /**
     * ssh starts through the context's command runner (its child environment, its log line): the runner here records
     * the command and starts {@code sh -c 'exit 3'} in its place, so the tunnel fails as an ssh that exits would.
     */
    @Test
    void sshStartsThroughTheCommandRunner() {
        List<Command> started = new ArrayList<>();
        CommandRunner runner = new CommandRunner() {
            @Override
            public Result run(Command command, Duration timeout) {
                throw new AssertionError("the tunnel runs nothing to completion: " + command.display());
            }

            @Override
            public Process start(Command command) {
                started.add(command);
                return new ProcessRunner(Log.silent()).start(Command.of("sh", "-c", "echo 'Permission denied (publickey)'; exit 3"));
            }
        };
        TargetContext context = new TargetContext(runner, Log.silent(),
                Map.of("DOCKER_HOST", "ssh://deploy@qa-server:2222")::get, Clock.systemUTC());

        DeployerException e = assertThrows(DeployerException.class, () -> SshTunnel.openFor(context));

        assertEquals(1, started.size());
        List<String> argv = started.get(0).argv();
        assertEquals("ssh", argv.get(0));
        assertEquals(List.of("-p", "2222", "--", "deploy@qa-server"), argv.subList(argv.size() - 4, argv.size()));
        assertEquals("DOCKER_HOST", e.location());
        assertTrue(e.getMessage().contains("exited with code 3") && e.getMessage().contains("Permission denied"), e.getMessage());
    }

    @Test
    void aRunnerThatStartsNoProcessesCannotOpenATunnel() {
        CommandRunner scripted = (command, timeout) -> new CommandRunner.Result(0, "");
        TargetContext context = new TargetContext(scripted, Log.silent(), Map.of("DOCKER_HOST", "ssh://qa-server")::get,
                Clock.systemUTC());

        DeployerException e = assertThrows(DeployerException.class, () -> SshTunnel.openFor(context));

        assertEquals("DOCKER_HOST", e.location());
        assertTrue(e.getMessage().contains("background"), e.getMessage());
    }

    private static final Path SOCKET = Path.of("/tmp/x/docker.sock");

    @Test
    void hostKeysAreAlwaysCheckedStrictly() {
        List<String> argv = SshCommand.forward("ssh://deploy@qa-server", SOCKET);
        int option = argv.indexOf("StrictHostKeyChecking=yes");
        assertTrue(option > 0 && "-o".equals(argv.get(option - 1)), argv.toString());
        assertTrue(argv.contains("BatchMode=yes"), argv.toString());
    }

    @Test
    void theDestinationFollowsADoubleDashAndComesLast() {
        List<String> argv = SshCommand.forward("ssh://deploy@qa-server:2222", SOCKET);
        assertEquals(List.of("-p", "2222", "--", "deploy@qa-server"), argv.subList(argv.size() - 4, argv.size()));
        assertEquals(List.of("--", "qa-server"), SshCommand.target("ssh://qa-server"));
    }

    @Test
    void aUserThatWouldBeReadAsAnOptionIsRefused() {
        for (String bad : List.of("ssh://-oProxyCommand=touch@host", "ssh://-oProxyCommand%3Dtouch%20%2Ftmp%2Fpwned@host",
                "ssh://-p22@host", "ssh://de%20ploy@host", "ssh://de%0Aploy@host")) {
            DeployerException e = assertThrows(DeployerException.class, () -> SshCommand.target(bad), bad);
            assertEquals("DOCKER_HOST", e.location());
            assertTrue(e.getMessage().contains("plain user name"), e.getMessage());
        }
    }

    @Test
    void ordinaryUserNamesPass() {
        for (String user : List.of("deploy", "ci_bot", "ops.team", "u-1")) {
            assertEquals(List.of("--", user + "@host.example.com"), SshCommand.target("ssh://" + user + "@host.example.com"));
        }
        assertFalse(SshCommand.target("ssh://host").contains("-oProxyCommand"));
    }
}
