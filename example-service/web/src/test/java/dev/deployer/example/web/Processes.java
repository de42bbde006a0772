package dev.deployer.example.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Real processes for the tests: a JVM running a main class of the test classpath, its port read from its log. */
final class Processes {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Processes() {
    }

    /** Starts {@code mainClass} in its own JVM with exactly {@code env}, stdout and stderr into {@code log}. */
    static Process launch(String mainClass, Map<String, String> env, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), mainClass));
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The port of the "listening on 127.0.0.1:PORT" line of the log, waiting for it up to {@link #DEADLINE}. */
    static int awaitPort(Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
        while (System.nanoTime() < deadline) {
            Matcher matcher = listening.matcher(Files.readString(log));
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            if (!process.isAlive()) {
                fail("the process exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
        return fail("the process did not log its port within " + DEADLINE + ":\n" + Files.readString(log));
    }

    /** Stops the process (SIGTERM, then SIGKILL after the deadline) and waits until it is gone. */
    static void stop(Process process) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    static HttpResponse<String> get(int port, String path, String accept) throws IOException, InterruptedException {
        return send(port, "GET", path, accept);
    }

    static HttpResponse<String> send(int port, String method, String path, String accept)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", accept)
                .timeout(Duration.ofSeconds(15))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
