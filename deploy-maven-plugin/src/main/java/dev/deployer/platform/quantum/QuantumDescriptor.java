package dev.deployer.platform.quantum;

import dev.deployer.core.DeployerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Where the {@code .quantum} project descriptor quantum-cli 2 reads lives (the project directory) and what it names
 * ({@code compose: <stack file>}). Its text is the render core's ({@code TemplateRenderer.quantumDescriptor}); the
 * deploy plan's write step is its one writer ({@link QuantumTarget#files}).
 *
 * @param directory  the project directory that holds {@code .quantum}
 * @param compose    the stack file it names, relative to {@code directory}
 */
public record QuantumDescriptor(Path directory, String compose) {

    public static final String FILE = ".quantum";

    /** The descriptor for {@code stackFile}, in the stack file's directory. */
    public static QuantumDescriptor of(Path stackFile) {
        Path file = stackFile.toAbsolutePath().normalize();
        return new QuantumDescriptor(file.getParent(), file.getFileName().toString());
    }

    public Path file() {
        return directory.resolve(FILE);
    }

    /** The compose file a {@code .quantum} names; a malformed descriptor is an error naming the file. */
    static String read(Path file) {
        Object data;
        try {
            data = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (YAMLException e) {
            throw new DeployerException(".quantum is not valid YAML: " + e.getMessage(), file.toString(),
                    "fix the YAML, or delete the file and let Deployer write it");
        }
        if (!(data instanceof Map<?, ?> map)) {
            throw new DeployerException(".quantum must be a mapping with version and compose", file.toString(),
                    "write version: '1.0' and compose: <stack file>");
        }
        Object version = map.get("version");
        if (version == null || !(String.valueOf(version).equals("1.0") || String.valueOf(version).equals("1"))) {
            throw new DeployerException(".quantum has version '" + version + "', quantum-cli reads '1.0'",
                    file.toString(), "write version: '1.0'");
        }
        Object compose = map.get("compose");
        if (!(compose instanceof String name) || name.isBlank()) {
            throw new DeployerException(".quantum names no compose file", file.toString(),
                    "write compose: <stack file>");
        }
        return name;
    }
}
