package dev.deployer.platform;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.deployer.core.Ahead;
import dev.deployer.core.DeployerException;
import java.time.Duration;
import java.util.function.Function;

/**
 * Connects docker-java to the engine the docker CLI would use: {@code DOCKER_HOST} (unix or tcp), else the local
 * socket. The API version is pinned to 1.41 (Debian's engine 20.10 speaks no newer one).
 */
public final class DockerEngine {

    public static final String API_VERSION = "1.41";
    private static final String CONNECTING = "connecting to the Docker engine";

    static {
        quietWireLog();
    }

    private DockerEngine() {
    }

    /**
     * Apache HttpClient logs every byte it moves at DEBUG (Maven's {@code -X}): container and service inspections
     * carry the deployed environment, secret values included. Its loggers are set to INFO unless the user chose a
     * level ({@code -Dorg.slf4j.simpleLogger.log.org.apache.hc=debug} still shows them, on purpose).
     */
    static void quietWireLog() {
        String key = "org.slf4j.simpleLogger.log.org.apache.hc";
        if (System.getProperty(key) == null) {
            System.setProperty(key, "info");
        }
    }

    /** A docker-java client on the engine of {@code env}'s DOCKER_HOST. */
    public static DockerClient connect(Function<String, String> env) {
        return open(env).client();
    }

    /**
     * A docker-java client and the raw HTTP client it talks through (one connection pool): the raw client serves
     * the few API calls docker-java does not model (Swarm config labels and data).
     */
    public record Connection(DockerClient client, DockerHttpClient http) {
    }

    /** Opens a connection; nothing is sent to the engine yet. */
    public static Connection open(Function<String, String> env) {
        DefaultDockerClientConfig config = config(env);
        DockerHttpClient http = http(config);
        return new Connection(DockerClientImpl.getInstance(config, http), http);
    }

    /**
     * Opens a connection and sends one ping, so that the request path is loaded and connected too (for a target
     * that connects ahead, in the background). Whether the engine answered is left to the target's check.
     */
    public static Connection openWarm(Function<String, String> env) {
        Connection connection = open(env);
        try {
            connection.client().pingCmd().exec();
        } catch (RuntimeException e) {
            // the target's check() asks again and reports it
        }
        return connection;
    }

    /**
     * A target's connection: opened and warmed ({@link #openWarm}) now, in the background, when {@code ahead}; else
     * opened on first use, so that a target built for a dry run never contacts the engine.
     */
    public static Ahead<Connection> connection(Function<String, String> env, boolean ahead) {
        return ahead ? Ahead.start(CONNECTING, () -> openWarm(env)) : Ahead.lazy(CONNECTING, () -> open(env));
    }

    /** The error of an engine that did not answer a target's check; {@code fix} says where DOCKER_HOST should point. */
    public static DeployerException unreachable(RuntimeException e, String fix) {
        return new DeployerException("Cannot reach the Docker engine: " + e.getMessage(), "DOCKER_HOST", fix);
    }

    /** The raw HTTP client, for the few API calls docker-java does not model (Swarm config labels and data). */
    public static DockerHttpClient http(Function<String, String> env) {
        return http(config(env));
    }

    private static DockerHttpClient http(DefaultDockerClientConfig config) {
        return new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(20)
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(Duration.ofSeconds(120))
                .build();
    }

    private static DefaultDockerClientConfig config(Function<String, String> env) {
        String host = env.apply("DOCKER_HOST");
        if (host == null || host.isBlank()) {
            host = "unix:///var/run/docker.sock";
        }
        if (host.startsWith("ssh://")) {
            throw new DeployerException("DOCKER_HOST=" + host + " is an ssh:// address; Deployer reads the engine's state"
                    + " through its API, which needs a unix:// or tcp:// address", "DOCKER_HOST",
                    "forward the remote socket first: ssh -N -L /tmp/remote-docker.sock:/var/run/docker.sock " + host.substring(6)
                            + " and set DOCKER_HOST=unix:///tmp/remote-docker.sock");
        }
        DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .withApiVersion(API_VERSION);
        String tlsVerify = env.apply("DOCKER_TLS_VERIFY");
        if (tlsVerify != null && !tlsVerify.isBlank() && !"0".equals(tlsVerify)) {
            config.withDockerTlsVerify(true).withDockerCertPath(env.apply("DOCKER_CERT_PATH"));
        }
        return config.build();
    }
}
