package dev.deployer.platform.compose;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import dev.deployer.core.DeployerException;
import dev.deployer.platform.EngineSupport;
import java.util.List;
import java.util.function.Supplier;

/**
 * Caddy's admin API inside the proxy container ({@value #ADDRESS}, reachable only there), spoken with the container's
 * own {@code wget} through the engine's exec API. Through the API rather than the {@code docker} CLI so that the
 * proxy's config (which may hold credentials) never appears in a command line or in the debug log.
 */
final class CaddyAdmin {

    static final String ADDRESS = "http://127.0.0.1:2019";
    private static final String CONFIG_VARIABLE = "DEPLOYER_PROXY_CONFIG";

    private final Supplier<DockerClient> docker;

    CaddyAdmin(Supplier<DockerClient> docker) {
        this.docker = docker;
    }

    /** The body of {@code GET path} (e.g. {@code /config/}). */
    String get(String container, String path) {
        return exec(container, List.of(), "GET " + path, "wget", "-qO-", ADDRESS + path);
    }

    /** Replaces the whole config ({@code POST /load}); Caddy switches gracefully, requests in flight finish. */
    void load(String container, String config) {
        exec(container, List.of(CONFIG_VARIABLE + "=" + config), "POST /load", "sh", "-c",
                "wget -qO- --header 'Content-Type: application/json' --post-data \"$" + CONFIG_VARIABLE + "\" " + ADDRESS + "/load");
    }

    /** What {@link #get} runs, as the CLI command (for the dry run). */
    static String describeGet(String container, String path) {
        return "docker exec " + container + " wget -qO- " + ADDRESS + path;
    }

    /** What {@link #load} runs, as the CLI command (for the dry run). */
    static String describeLoad(String container, String what) {
        return CONFIG_VARIABLE + "=<" + what + "> docker exec -e " + CONFIG_VARIABLE + " " + container + " sh -c 'wget -qO-"
                + " --header \"Content-Type: application/json\" --post-data \"$" + CONFIG_VARIABLE + "\" " + ADDRESS + "/load'";
    }

    private String exec(String container, List<String> env, String what, String... argv) {
        DockerClient client = docker.get();
        ExecCreateCmdResponse exec = client.execCreateCmd(container).withAttachStdout(true).withAttachStderr(true)
                .withEnv(env).withCmd(argv).exec();
        EngineSupport.LogCollector output = new EngineSupport.LogCollector();
        client.execStartCmd(exec.getId()).exec(output);
        String text = output.await();
        Long exit = client.inspectExecCmd(exec.getId()).exec().getExitCodeLong();
        if (exit == null || exit != 0) {
            throw DeployerException.of("The proxy's admin API (" + ADDRESS + " in container " + container + ") refused " + what
                    + " (exit code " + exit + "): " + firstLine(text),
                    "run the proxy as Caddy 2 with its admin endpoint on (no 'admin off'; the default localhost:2019) and wget"
                            + " in its image, or remove the label " + ProxiedService.LABEL + " for a plain replace");
        }
        return text;
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        String line = newline < 0 ? stripped : stripped.substring(0, newline);
        // never the config itself: a refused load may echo it
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
