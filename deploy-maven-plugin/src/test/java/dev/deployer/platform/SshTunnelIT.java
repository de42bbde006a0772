package dev.deployer.platform;

import com.github.dockerjava.api.DockerClient;
import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import dev.deployer.core.ProcessRunner;
import dev.deployer.deploy.TargetContext;
import dev.deployer.testing.RecordingLog;
import dev.deployer.testing.TestInfra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DOCKER_HOST=ssh://… through the real sshd of the CI environment (127.0.0.1:2222, Host deployer-ci-ssh). */
class SshTunnelIT {

    private final RecordingLog log = new RecordingLog("[SshTunnelIT] ");

    private TargetContext context(String dockerHost) {
        Map<String, String> env = dockerHost == null ? Map.of() : Map.of("DOCKER_HOST", dockerHost);
        return new TargetContext(new ProcessRunner(log), log, env::get, Clock.systemUTC());
    }

    @Test
    void anSshAddressBecomesTheSshTarget() {
        assertEquals(List.of("-p", "2222", "--", "deploy@hetzner-1.example.com"), SshCommand.target("ssh://deploy@hetzner-1.example.com:2222"));
        assertEquals(List.of("--", "qa-server"), SshCommand.target("ssh://qa-server"));
        assertEquals("/var/run/docker.sock", SshCommand.forward("ssh://qa-server", Path.of("/tmp/x/docker.sock"))
                .stream().filter(arg -> arg.startsWith("/tmp/x/docker.sock:")).findFirst().orElseThrow().split(":")[1]);
    }

    @Test
    void aPasswordOrAPathInTheAddressIsRefusedNamingDockerHost() {
        for (String bad : List.of("ssh://deploy:secret@host", "ssh://host/var/run/docker.sock", "ssh://", "ssh://host?x=1")) {
            DeployerException e = assertThrows(DeployerException.class, () -> SshTunnel.openFor(context(bad)), bad);
            assertEquals("DOCKER_HOST", e.location());
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
        }
    }

    @Test
    void withoutAnSshAddressNothingIsOpened() {
        TargetContext context = context("unix:///var/run/docker.sock");
        try (SshTunnel tunnel = SshTunnel.openFor(context)) {
            assertFalse(tunnel.open());
            assertSame(context, tunnel.context());
        }
    }

    @Test
    void theEngineAnswersThroughTheTunnelForDockerJavaAndCommandsAndClosingRemovesEverything() throws Exception {
        TestInfra.require();
        Path socket;
        try (SshTunnel tunnel = SshTunnel.openFor(context(TestInfra.sshDockerHost()))) {
            assertTrue(tunnel.open());
            String local = tunnel.context().env("DOCKER_HOST");
            assertTrue(local.startsWith("unix:///"), local);
            socket = Path.of(local.substring("unix://".length()));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
            try (DockerClient docker = DockerEngine.connect(tunnel.context().env())) {
                docker.pingCmd().exec();
                assertTrue(docker.infoCmd().exec().getSwarm().getControlAvailable(), "the engine behind sshd is the Swarm manager");
            }
            CommandRunner.Result version = tunnel.context().runner()
                    .run(Command.of("docker", "version", "--format", "{{.Server.Version}}"), Duration.ofSeconds(30));
            assertTrue(version.succeeded(), version.output());
            assertTrue(log.text().contains("DOCKER_HOST=" + local), "commands run with the local end as DOCKER_HOST:\n" + log.text());
        }
        assertFalse(Files.exists(socket.getParent()), "the private directory is removed");
        assertTrue(sshForwarding(socket).isEmpty(), "ssh was stopped: " + sshForwarding(socket));
    }

    @Test
    void anUnreachableServerFailsNamingDockerHostAndLeavesNothing() throws IOException {
        TestInfra.require();
        List<Path> before = tunnelDirectories();
        DeployerException e = assertThrows(DeployerException.class, () -> SshTunnel.openFor(context("ssh://root@127.0.0.1:1")));
        assertEquals("DOCKER_HOST", e.location());
        assertTrue(e.getMessage().contains("Cannot reach the Docker engine at DOCKER_HOST=ssh://root@127.0.0.1:1")
                && e.getMessage().contains("Connection refused"), e.getMessage());
        assertTrue(e.fix().contains("'ssh -p 1 -- root@127.0.0.1 docker version'"), e.fix());
        assertEquals(before, tunnelDirectories(), "no tunnel directory is left");
    }

    @Test
    void anUnknownHostKeyIsNotAcceptedSilently() {
        TestInfra.require();
        // the known_hosts of the CI environment names [127.0.0.1]:2222, not localhost
        DeployerException e = assertThrows(DeployerException.class, () -> SshTunnel.openFor(context("ssh://root@localhost:2222")));
        assertTrue(e.getMessage().contains("Host key verification failed"), e.getMessage());
    }

    private static List<Path> tunnelDirectories() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("deployer-ssh-")).sorted().toList();
        }
    }

    private static List<ProcessHandle> sshForwarding(Path socket) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(socket.toString())).toList();
    }
}
