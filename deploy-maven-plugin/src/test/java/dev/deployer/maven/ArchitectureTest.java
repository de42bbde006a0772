package dev.deployer.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only {@code dev.deployer.maven} may use Maven or Plexus types: the core stays a plain library that the mojos
 * adapt; and no two packages depend on each other, directly or through others. Checks the compiled classes (their
 * constant pools name every type they use, imported or fully qualified).
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

    @Test
    void noPackageCycles() throws IOException {
        Map<String, Set<String>> uses = packageGraph();
        List<String> cycles = new ArrayList<>();
        for (String from : uses.keySet()) {
            for (String to : uses.get(from)) {
                if (from.compareTo(to) < 0 && reaches(uses, to, from)) {
                    cycles.add(from + " <-> " + to);
                }
            }
        }
        assertEquals(List.of(), cycles, "package cycles (each pair reaches the other): move the shared type to the"
                + " package both depend on, or turn the dependency around with an interface");
    }

    @Test
    void theCycleCheckSeesDependencies() throws IOException {
        Map<String, Set<String>> uses = packageGraph();
        assertTrue(uses.getOrDefault("dev.deployer.maven", Set.of()).contains("dev.deployer.deploy"),
                "the graph must contain maven -> deploy, else it proves nothing: " + uses);
        assertTrue(reaches(uses, "dev.deployer.maven", "dev.deployer.core"), "maven reaches core through others");
    }

    private static final Pattern REFERENCE = Pattern.compile("dev/deployer/((?:[a-z0-9_]+/)*)[A-Z]");

    /** Package to the other dev.deployer packages its classes name. */
    private static Map<String, Set<String>> packageGraph() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (Path file : classes()) {
            String relative = relative(file);
            String from = relative.substring(0, relative.lastIndexOf('/')).replace('/', '.');
            Set<String> targets = uses.computeIfAbsent(from, k -> new TreeSet<>());
            String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            Matcher m = REFERENCE.matcher(bytes);
            while (m.find()) {
                String to = ("dev/deployer/" + m.group(1)).replaceAll("/$", "").replace('/', '.');
                if (!to.equals(from)) {
                    targets.add(to);
                }
            }
        }
        return uses;
    }

    private static boolean reaches(Map<String, Set<String>> uses, String from, String to) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of(from));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (next.equals(to)) {
                return true;
            }
            if (seen.add(next)) {
                todo.addAll(uses.getOrDefault(next, Set.of()));
            }
        }
        return false;
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
