package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.GitInfo;
import dev.deployer.core.Log;
import dev.deployer.core.ProcessRunner;
import dev.deployer.core.ProjectInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A tiny HTTP service in a real temporary git repository: {@code demo.App} answers {@code /health} with
 * {@code ok <greeting>} on port 8080. Compiled with the JDK's compiler into {@code target/classes}.
 */
final class TestApp {

    static final CommandRunner RUNNER = new ProcessRunner(Log.silent());

    final Path dir;

    TestApp(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        Files.writeString(dir.resolve(".gitignore"), "target/\n");
        git("init", "-q", "-b", "main");
        git("config", "user.email", "test@deployer.dev");
        git("config", "user.name", "Deployer test");
        git("config", "commit.gpgsign", "false");
    }

    /** Writes the source with the given greeting and compiles it (nothing is committed). */
    TestApp source(String greeting) throws IOException {
        Path source = dir.resolve("src/demo/App.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package demo;

                import com.sun.net.httpserver.HttpServer;
                import java.net.InetSocketAddress;
                import java.nio.charset.StandardCharsets;

                public class App {
                    public static void main(String[] args) throws Exception {
                        HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
                        server.createContext("/health", exchange -> {
                            byte[] body = "ok GREETING".getBytes(StandardCharsets.UTF_8);
                            exchange.sendResponseHeaders(200, body.length);
                            exchange.getResponseBody().write(body);
                            exchange.close();
                        });
                        server.start();
                        System.out.println("listening on 8080");
                    }
                }
                """.replace("GREETING", greeting));
        Files.writeString(dir.resolve("src/app.properties"), "greeting=" + greeting + "\n");
        compile(greeting);
        return this;
    }

    /** Compiles into target/classes, which is not in git (as in a Maven build). */
    void compile(String greeting) throws IOException {
        Path classes = classes();
        if (Files.exists(classes)) {
            try (var walk = Files.walk(classes)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.createDirectories(classes);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int code = compiler.run(null, null, null, "--release", "17", "-d", classes.toString(),
                dir.resolve("src/demo/App.java").toString());
        assertEquals(0, code, "compiling the test app");
        Files.writeString(classes.resolve("app.properties"), "greeting=" + greeting + "\n");
    }

    TestApp commit(String message) {
        git("add", "-A");
        git("commit", "-q", "-m", message);
        return this;
    }

    Path classes() {
        return dir.resolve("target/classes");
    }

    GitInfo gitInfo() {
        return GitInfo.read(project(), RUNNER, name -> null);
    }

    ProjectInfo project() {
        return new ProjectInfo("dev.deployer.test", "demo", "1.0.0", "jar", dir, dir.resolve("target"));
    }

    /** A request for this app: pushed or not, into {@code image}, from {@code base}. */
    ImageRequest request(String image, String base, boolean push, List<String> extraTags, String environment) {
        return new ImageRequest(project(), gitInfo(), environment, image, base, "demo.App", null, classes(),
                List.of(), List.of(), List.of("-Xss512k"), List.of("8080"), List.of("team=deployer"), extraTags,
                "https://example.test/deployer/demo", push, false);
    }

    void git(String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        CommandRunner.Result result = RUNNER.run(Command.of(argv).in(dir), Duration.ofSeconds(30));
        assertTrue(result.succeeded(), "git " + String.join(" ", args) + ": " + result.output());
    }

    /** An {@link ImageBuilder} seeing only {@code env} (no real Docker config, no settings.xml), logging to {@code log}. */
    static ImageBuilder builder(Map<String, String> env, Path home, Log log) {
        CredentialChain chain = new CredentialChain(env::get, CredentialChain.ServerLookup.none(), home);
        return new ImageBuilder(log, chain, new RegistryProbe(), new dev.deployer.core.GitHubActions(env::get, System.out),
                ConsoleMode.PLAIN, System.out, env::get);
    }
}
