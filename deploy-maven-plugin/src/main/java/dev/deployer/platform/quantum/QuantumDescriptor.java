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
 * The {@code .quantum} project descriptor quantum-cli 2 reads from the project directory:
 * {@code version: '1.0'} and {@code compose: <stack file>} (plus optional {@code environments}, which
 * Deployer does not need: it renders one file per environment).
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

    /** What Deployer writes when the render step left no descriptor. */
    public String text() {
        return "# written by Deployer: the quantum-cli project descriptor\nversion: '1.0'\ncompose: " + compose + "\n";
    }

    /**
     * Makes sure {@code .quantum} exists and names this stack file: writes it when missing (it holds no
     * secret) or when it names another file of the directory (a rollback deploys {@code stack.rollback.yml}
     * from the same directory); a malformed descriptor is an error.
     *
     * @return true when the file was written
     */
    public boolean ensure() {
        Path file = file();
        if (Files.exists(file) && compose.equals(read(file))) {
            return false;
        }
        try {
            Files.writeString(file, text(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return true;
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
