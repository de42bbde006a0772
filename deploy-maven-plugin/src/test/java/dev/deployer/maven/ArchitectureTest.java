package dev.deployer.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only {@code dev.deployer.maven} may use Maven or Plexus types: the core stays a plain library that the mojos
 * adapt. Checks the compiled classes (their constant pools name every type they use, imported or fully qualified).
 */
class ArchitectureTest {

    private static final Path CLASSES = Path.of(System.getProperty("basedir", "."), "target", "classes");
    private static final List<String> FORBIDDEN = List.of("org/apache/maven/", "org/codehaus/plexus/");

    @Test
    void onlyTheMavenPackageUsesMavenOrPlexusTypes() throws IOException {
        List<String> offenders = classes().stream()
                .filter(file -> !relative(file).startsWith("dev/deployer/maven/"))
                .filter(ArchitectureTest::usesMaven)
                .map(ArchitectureTest::relative)
                .toList();
        assertEquals(List.of(), offenders, "classes outside dev.deployer.maven that use org.apache.maven or"
                + " org.codehaus.plexus; move the Maven part into a mojo and hand the core plain data");
    }

    @Test
    void theCheckSeesMavenTypesWhereTheyAreUsed() throws IOException {
        List<Path> all = classes();
        assertTrue(all.stream().anyMatch(file -> relative(file).startsWith("dev/deployer/core/")), "core classes scanned");
        assertTrue(all.stream().anyMatch(file -> relative(file).startsWith("dev/deployer/render/")), "render classes scanned");
        assertTrue(usesMaven(CLASSES.resolve("dev/deployer/maven/AbstractDeployerMojo.class")),
                "the scan must detect Maven types, else it proves nothing");
        assertTrue(Files.exists(CLASSES.resolve("dev/deployer/maven/HelpMojo.class")),
                "the generated help mojo belongs to dev.deployer.maven (helpPackageName in the POM)");
    }

    private static List<Path> classes() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES.resolve("dev/deployer"))) {
            return files.filter(file -> file.toString().endsWith(".class")).sorted().toList();
        }
    }

    private static boolean usesMaven(Path classFile) {
        try {
            String bytes = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            return FORBIDDEN.stream().anyMatch(bytes::contains);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String relative(Path file) {
        return CLASSES.relativize(file).toString().replace('\\', '/');
    }
}
