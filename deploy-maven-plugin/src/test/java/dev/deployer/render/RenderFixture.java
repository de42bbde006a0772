package dev.deployer.render;

import dev.deployer.testing.RecordingLog;
import dev.deployer.core.ProcessRunner;
import dev.deployer.core.ProjectInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A throw-away project directory with templates, and a renderer over it. */
final class RenderFixture {

    static final String SHA = "4f1c2e9a7b3d5f60718293a4b5c6d7e8f9012345";
    static final String DIGEST = "sha256:9b2f6a1c3d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd";

    final Path basedir;
    final RecordingLog log = new RecordingLog();
    final Map<String, String> env = new HashMap<>();
    final Map<String, String> variables = new LinkedHashMap<>();
    List<String> secrets = List.of();
    String image = "ghcr.io/acme/shop";
    String environment = "local";

    RenderFixture(Path basedir) {
        this.basedir = basedir;
    }

    ProjectInfo project() {
        return new ProjectInfo("dev.example", "shop", "1.2.3", "jar", basedir, basedir.resolve("target"));
    }

    Path templates() {
        return basedir.resolve("src/main/deploy");
    }

    /** Writes a template, e.g. {@code template("stack.yml.vm", "...")}. */
    RenderFixture template(String name, String text) {
        write(templates().resolve(name), text);
        return this;
    }

    /** Copies {@code src/test/resources/render/<name>/templates} into the project. */
    RenderFixture templatesFrom(String name) {
        Path source = resource(name).resolve("templates");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                write(templates().resolve(source.relativize(file).toString()), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes {@code target/deployer/image.json} as {@code deployer:build} does. */
    RenderFixture built(String repository, String digest) {
        return built(repository, digest, true);
    }

    RenderFixture built(String repository, String digest, boolean pushed) {
        String digestJson = digest == null ? "null" : "\"" + digest + "\"";
        write(basedir.resolve("target/deployer/image.json"), "{\"image\": \"" + repository + "\", \"tags\": [\"" + SHA
                + "\", \"main\"], \"digest\": " + digestJson + ", \"pushed\": " + pushed + "}\n");
        return this;
    }

    RenderRequest request(SecretMode mode) {
        return new RenderRequest(project(), templates(), environment, image, variables, secrets, "stack.yml", mode);
    }

    TemplateRenderer renderer() {
        return new TemplateRenderer(log, env::get, new ProcessRunner(log));
    }

    List<RenderedFile> render(SecretMode mode) {
        return renderer().render(request(mode));
    }

    String output(String name) {
        try {
            return Files.readString(basedir.resolve("target/deployer/" + environment + "/" + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(RenderFixture.class.getResource("/render/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
