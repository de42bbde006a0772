package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Writes a plan's rendered files (placeholders only, never secret values): the one writer of the deploy's files, {@code .quantum} included. */
final class RenderedFiles {

    private RenderedFiles() {
    }

    /** Clears {@code directory} (what an earlier render or deploy left) and writes {@code files} into it. */
    static void replace(Path directory, Map<String, String> files) {
        try {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> paths = Files.walk(directory)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        } catch (IOException e) {
            throw cannot("clear " + directory, e);
        }
        add(directory, files);
    }

    /** Writes {@code files} into {@code directory}, replacing files of the same names. */
    static void add(Path directory, Map<String, String> files) {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = directory.resolve(file.getKey());
            try {
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw cannot("write " + path, e);
            }
        }
    }

    private static DeployerException cannot(String what, IOException e) {
        return DeployerException.of("Cannot " + what + ": " + e.getMessage(), "check that the build directory is writable");
    }
}
