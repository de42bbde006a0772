package dev.deployer.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment a child process starts with: never the whole environment of the build (which holds
 * {@code GITHUB_TOKEN}, registry passwords, every secret of the job), only
 * <ul>
 *   <li>what any tool needs to run: {@code PATH}, {@code HOME}, {@code USER}, {@code LOGNAME}, the locale
 *       ({@code LANG}, {@code LANGUAGE}, {@code LC_*}), {@code TZ}, {@code TMPDIR}, {@code TERM},
 *       {@code XDG_RUNTIME_DIR} and {@code XDG_CONFIG_HOME}, the proxy settings ({@code HTTP(S)_PROXY},
 *       {@code NO_PROXY}, either case) and the CA settings {@code SSL_CERT_FILE} / {@code SSL_CERT_DIR};</li>
 *   <li>the Docker client's own settings ({@code DOCKER_HOST}, {@code DOCKER_CONFIG}, {@code DOCKER_CERT_PATH},
 *       {@code DOCKER_TLS_VERIFY}, {@code DOCKER_CONTEXT} … — the CLI's documented variables, not any
 *       {@code DOCKER_*} such as a {@code DOCKER_PASSWORD} a job may set);</li>
 *   <li>{@code SSH_AUTH_SOCK} only for {@code ssh}, and for {@code docker} when its DOCKER_HOST is {@code ssh://};</li>
 *   <li>git's own {@code GIT_*} settings only for {@code git};</li>
 *   <li>what the {@link Command} itself carries: its plain variables and its secrets (for a deploy command, the
 *       declared secrets the stack file references; for quantum-cli, the {@code QUANTUM_*} settings).</li>
 * </ul>
 */
public final class ChildEnvironment {

    static final Set<String> BASE = Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM",
            "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
            "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR",
            // the Docker CLI's own settings (docs.docker.com, "Environment variables"), not every DOCKER_* a job sets
            // (DOCKER_PASSWORD, DOCKER_CONTENT_TRUST_*_PASSPHRASE stay behind)
            "DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS", "DOCKER_TLS_VERIFY", "DOCKER_CONTEXT",
            "DOCKER_API_VERSION", "DOCKER_DEFAULT_PLATFORM", "DOCKER_CLI_EXPERIMENTAL", "DOCKER_CLI_HINTS", "DOCKER_BUILDKIT",
            "DOCKER_TMPDIR", "DOCKER_HIDE_LEGACY_COMMANDS", "DOCKER_CONTENT_TRUST", "DOCKER_CONTENT_TRUST_SERVER");
    static final List<String> BASE_PREFIXES = List.of("LC_");
    static final String SSH_AUTH_SOCK = "SSH_AUTH_SOCK";
    static final String GIT_PREFIX = "GIT_";

    private ChildEnvironment() {
    }

    /** The whole environment {@code command} starts with, taken from {@code parent} and the command. */
    public static Map<String, String> of(Command command, Map<String, String> parent) {
        Map<String, String> env = new LinkedHashMap<>();
        parent.forEach((name, value) -> {
            if (BASE.contains(name) || BASE_PREFIXES.stream().anyMatch(name::startsWith)) {
                env.put(name, value);
            }
        });
        env.putAll(command.env());
        command.secretEnv().forEach(secret -> env.put(secret.name(), secret.reveal()));
        if (needsAgent(command, env) && parent.containsKey(SSH_AUTH_SOCK)) {
            env.put(SSH_AUTH_SOCK, parent.get(SSH_AUTH_SOCK));
        }
        if (program(command).equals("git")) {
            // git's own settings (GIT_DIR, GIT_WORK_TREE, GIT_CEILING_DIRECTORIES, …) decide which repository it reads
            parent.forEach((name, value) -> {
                if (name.startsWith(GIT_PREFIX)) {
                    env.putIfAbsent(name, value);
                }
            });
        }
        return env;
    }

    /** Replaces {@code builder}'s inherited environment by {@link #of}. */
    public static void apply(ProcessBuilder builder, Command command, Map<String, String> parent) {
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.putAll(of(command, parent));
    }

    private static String program(Command command) {
        return java.nio.file.Path.of(command.program()).getFileName().toString();
    }

    private static boolean needsAgent(Command command, Map<String, String> env) {
        String program = program(command);
        return program.equals("ssh") || program.equals("docker") && String.valueOf(env.get("DOCKER_HOST")).startsWith("ssh://");
    }
}
