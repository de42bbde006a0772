package dev.deployer.platform;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The ssh command line of the tunnel ({@link SshTunnel}) as data: an {@code ssh://} DOCKER_HOST checked and turned
 * into ssh arguments that nothing in it can turn into an ssh option. Runs nothing.
 */
final class SshCommand {

    /** Where the engine listens on the remote host. */
    static final String REMOTE_SOCKET = "/var/run/docker.sock";
    /** A user name ssh cannot mistake for an option: no leading '-', no spaces, no '=' or quotes. */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");

    private SshCommand() {
    }

    /** The ssh command that forwards {@link #REMOTE_SOCKET} of {@code dockerHost} to {@code socket}. */
    static List<String> forward(String dockerHost, Path socket) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "ExitOnForwardFailure=yes",
                "-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3", "-N",
                "-L", socket + ":" + REMOTE_SOCKET));
        argv.addAll(target(dockerHost));
        return argv;
    }

    /**
     * {@code [-p port] -- [user@]host} of an ssh:// address; anything else in it is an error naming DOCKER_HOST. The
     * user is a plain name and the host a plain name or address, so neither can be read by ssh as an option.
     */
    static List<String> target(String dockerHost) {
        URI uri;
        try {
            uri = URI.create(dockerHost);
        } catch (IllegalArgumentException e) {
            throw invalid(dockerHost);
        }
        if (uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
                || uri.getQuery() != null || uri.getFragment() != null || (uri.getUserInfo() != null && uri.getUserInfo().contains(":"))) {
            throw invalid(dockerHost);
        }
        if ((uri.getUserInfo() != null && !USER.matcher(uri.getUserInfo()).matches()) || uri.getHost().startsWith("-")) {
            throw invalid(dockerHost);
        }
        List<String> target = new ArrayList<>();
        if (uri.getPort() != -1) {
            target.addAll(List.of("-p", String.valueOf(uri.getPort())));
        }
        target.add("--");
        target.add(uri.getUserInfo() == null ? uri.getHost() : uri.getUserInfo() + "@" + uri.getHost());
        return target;
    }

    private static DeployerException invalid(String dockerHost) {
        String shown = dockerHost.replaceFirst("^(ssh://[^:/@]*):[^@/]*@", "$1:" + Secret.REDACTED + "@");
        return new DeployerException("DOCKER_HOST=" + shown + " is not an ssh address Deployer understands", "DOCKER_HOST",
                "use ssh://user@host or ssh://user@host:port with a plain user name (no password, path or options: put those in"
                        + " ~/.ssh/config)");
    }
}
