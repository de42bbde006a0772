package dev.deployer.platform;

import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import dev.deployer.core.Shutdown;
import dev.deployer.deploy.TargetContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reaches a Docker engine at {@code DOCKER_HOST=ssh://[user@]host[:port]} (a Hetzner server, a Swarm manager) for
 * everything Deployer does with it: docker-java speaks only unix:// and tcp://, so one {@code ssh -N -L} forwards
 * the remote engine socket to a socket in a private temporary directory (0700), and the {@link #context() context}
 * of the tunnel points docker-java and every command ({@code docker compose}, {@code docker stack deploy}) at it.
 * The login is plain {@code ssh}: keys from ssh-agent or {@code ~/.ssh/config}, the host key from known_hosts
 * ({@code StrictHostKeyChecking=yes} is forced: an unknown or changed host key fails, it is never accepted),
 * {@code BatchMode} (never a prompt). The user part of DOCKER_HOST must be a plain user name and the destination
 * follows {@code --}, so nothing in DOCKER_HOST can become an ssh option ({@code ssh://-oProxyCommand=…@host}). Closing the tunnel stops ssh and removes the directory; so does a JVM exit.
 *
 * <p>For any other {@code DOCKER_HOST} (or none) no tunnel is opened and the context is the given one.
 */
public final class SshTunnel implements AutoCloseable {

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

    private final TargetContext context;
    private final Process ssh;
    private final Path directory;
    private final Shutdown.Registration onExit;

    private SshTunnel(TargetContext context, Process ssh, Path directory) {
        this.context = context;
        this.ssh = ssh;
        this.directory = directory;
        // on the one ordered shutdown path: a deploy registered after the tunnel stops, restores and unlocks first
        this.onExit = ssh == null ? null : Shutdown.jvm().register("close the ssh tunnel", this::stop);
    }

    /** A tunnel when {@code context}'s DOCKER_HOST is an ssh:// address, else a no-op around {@code context}. */
    public static SshTunnel openFor(TargetContext context) {
        String dockerHost = context.env("DOCKER_HOST");
        if (dockerHost == null || !dockerHost.strip().startsWith("ssh://")) {
            return new SshTunnel(context, null, null);
        }
        SshCommand.target(dockerHost.strip()); // a malformed address fails before anything starts
        Path directory = privateDirectory();
        Path socket = directory.resolve("docker.sock");
        Command command = Command.of(SshCommand.forward(dockerHost.strip(), socket));
        context.log().info("DOCKER_HOST=" + dockerHost + ": forwarding the engine socket over ssh to " + socket);
        Process ssh;
        try {
            // through the command runner: ssh gets the allowlisted environment (with SSH_AUTH_SOCK), none of the
            // build's secrets, and the same "Running:" line as every other command
            ssh = context.runner().start(command);
        } catch (DeployerException e) {
            delete(directory);
            throw new DeployerException(e.problem() + " (for DOCKER_HOST=" + dockerHost + ")", "DOCKER_HOST",
                    "install the OpenSSH client (ssh) or use a unix:// or tcp:// DOCKER_HOST");
        }
        StringBuilder output = new StringBuilder();
        Thread pump = new Thread(() -> copy(ssh.getInputStream(), output), "deployer-ssh-output");
        pump.setDaemon(true);
        pump.start();
        SshTunnel tunnel = new SshTunnel(tunnelled(context, "unix://" + socket), ssh, directory);
        Instant deadline = Instant.now().plus(OPEN_TIMEOUT);
        while (!Files.exists(socket)) {
            if (!ssh.isAlive() || Instant.now().isAfter(deadline)) {
                if (!ssh.isAlive()) {
                    awaitOutput(pump); // before close(): stopping the process closes its output
                }
                tunnel.close();
                String said;
                synchronized (output) {
                    said = output.toString().strip();
                }
                throw new DeployerException("Cannot reach the Docker engine at DOCKER_HOST=" + dockerHost + ": ssh "
                        + (ssh.isAlive() ? "did not forward the socket within " + OPEN_TIMEOUT.toSeconds() + " s"
                        : "exited with code " + ssh.exitValue()) + (said.isEmpty() ? "" : ": " + said), "DOCKER_HOST",
                        "check that 'ssh " + String.join(" ", SshCommand.target(dockerHost.strip())) + " docker version' works without a prompt"
                                + " from this machine (key in ssh-agent or ~/.ssh/config, host key in known_hosts)");
            }
            try {
                Thread.sleep(50); // bounded wait for ssh to create the local socket
            } catch (InterruptedException e) {
                tunnel.close();
                Thread.currentThread().interrupt();
                throw new DeployerException("Interrupted while opening the ssh tunnel to " + dockerHost, "DOCKER_HOST", "run again");
            }
        }
        context.log().debug("ssh tunnel to " + dockerHost + " is open");
        return tunnel;
    }

    /** The context to use while the tunnel is open: DOCKER_HOST is the local end for docker-java and commands alike. */
    public TargetContext context() {
        return context;
    }

    /** {@code other} (e.g. with another log) through this tunnel: the same local end while it is open. */
    public TargetContext through(TargetContext other) {
        return ssh == null ? other : tunnelled(other, context.env("DOCKER_HOST"));
    }

    /** Whether a tunnel was opened. */
    public boolean open() {
        return ssh != null;
    }

    @Override
    public void close() {
        if (ssh == null) {
            return;
        }
        stop();
        onExit.close();
    }

    private void stop() {
        ssh.destroy();
        try {
            if (!ssh.waitFor(5, TimeUnit.SECONDS)) {
                ssh.destroyForcibly();
                ssh.waitFor();
            }
        } catch (InterruptedException e) {
            ssh.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        delete(directory);
    }

    private static TargetContext tunnelled(TargetContext context, String localHost) {
        Function<String, String> env = name -> "DOCKER_HOST".equals(name) ? localHost : context.env(name);
        CommandRunner runner = new CommandRunner() {
            @Override
            public Result run(Command command, Duration timeout) {
                return context.runner().run(command.withEnv("DOCKER_HOST", localHost), timeout);
            }

            @Override
            public Process start(Command command) {
                return context.runner().start(command.withEnv("DOCKER_HOST", localHost));
            }
        };
        return context.with(runner, env);
    }

    private static Path privateDirectory() {
        try {
            return Files.createTempDirectory("deployer-ssh-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw DeployerException.of("Cannot create a private temporary directory for the ssh tunnel: " + e.getMessage(),
                    "check that java.io.tmpdir is writable");
        }
    }

    private static void delete(Path directory) {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // already gone
        }
    }

    /** Lets the output pump read what the ended ssh said (it ends with ssh's output), for at most a second. */
    private static void awaitOutput(Thread pump) {
        try {
            pump.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(InputStream in, StringBuilder into) {
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (into) {
                    if (into.length() < 8192) {
                        into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException e) {
            // ssh ended
        }
    }
}
