package dev.deployer.platform;

import com.github.dockerjava.transport.DockerHttpClient;
import dev.deployer.core.DeployerException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/** The few engine API calls docker-java does not model (config and volume labels), over its raw HTTP client. */
final class EngineApi {

    record Response(int status, String body) {
    }

    private final Supplier<DockerHttpClient> http;
    private final String keptAs;

    /** @param keptAs what the store keeps its records as, for the fix of an error ("as Swarm configs: …") */
    EngineApi(Supplier<DockerHttpClient> http, String keptAs) {
        this.http = http;
        this.keptAs = keptAs;
    }

    Response call(DockerHttpClient.Request.Method method, String path, String body) {
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(method)
                .path("/v" + DockerEngine.API_VERSION + path);
        if (body != null) {
            request.headers(Map.of("Content-Type", "application/json"));
            request.body(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        }
        try (DockerHttpClient.Response response = http.get().execute(request.build()); InputStream in = response.getBody()) {
            return new Response(response.getStatusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw DeployerException.of("Cannot reach the Docker engine: " + e.getMessage(), "check DOCKER_HOST and that the engine runs");
        }
    }

    void expect(Response response, int status, String what) {
        if (response.status() != status) {
            throw DeployerException.of("Docker engine refused to " + what + ": HTTP " + response.status() + " " + response.body().strip(),
                    "Deployer keeps its lock and history " + keptAs);
        }
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
