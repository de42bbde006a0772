package dev.deployer.image;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.MainClassFinder;
import dev.deployer.core.DeployerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The class the image runs, found the way Jib finds it: {@code deployer.mainClass}, else the {@code Main-Class} of the
 * project jar's manifest ({@code Start-Class} for a Spring Boot executable jar), else the one class of the compiled classes with a {@code public static void main(String[])}
 * (jib-core's own {@link MainClassFinder}). None, or several, is an error that lists what was found and how to choose.
 *
 * @param name       the main class, or null when none or several were found
 * @param source     where it came from, for the log ({@code deployer.mainClass}, the manifest, the scan)
 * @param candidates the classes with a {@code main} the scan found (several when ambiguous; empty when none or not scanned)
 * @param where      what was looked at, for the error
 */
public record MainClass(String name, String source, List<String> candidates, String where) {

    private static final String SPRING_BOOT_LAUNCHER = "org.springframework.boot.loader.";
    private static final String JAVA_NAME = "[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*";

    public MainClass {
        candidates = List.copyOf(candidates);
    }

    /**
     * Looks for the main class: {@code configured} (blank = not set), the manifest of {@code jar} (may be null or
     * missing), then the {@code .class} files under {@code classesDir} (may be missing). {@code jibLog} receives
     * the finder's own messages (debug detail).
     */
    public static MainClass search(String configured, Path jar, Path classesDir, Consumer<LogEvent> jibLog) {
        if (configured != null && !configured.isBlank()) {
            String main = configured.strip();
            if (!main.matches(JAVA_NAME)) {
                throw new DeployerException("'" + main + "' is not a Java class name", "deployer.mainClass",
                        "give the fully qualified main class, e.g. com.acme.Main");
            }
            return new MainClass(main, "deployer.mainClass", List.of(), "deployer.mainClass");
        }
        String[] manifest = manifestMainClass(jar);
        if (manifest != null) {
            return new MainClass(manifest[0], manifest[1] + " of " + jar.getFileName(), List.of(), jar.getFileName().toString());
        }
        String where = (jar != null && Files.isRegularFile(jar) ? jar.getFileName() + " (no Main-Class in its manifest) and " : "")
                + classesDir.getFileName() + "/";
        if (!Files.isDirectory(classesDir)) {
            return new MainClass(null, null, List.of(), where);
        }
        MainClassFinder.Result found = MainClassFinder.find(classFiles(classesDir), jibLog);
        return switch (found.getType()) {
            case MAIN_CLASS_FOUND -> new MainClass(found.getFoundMainClass(),
                    "the only class with a main method in " + classesDir.getFileName() + "/", List.of(), where);
            case MULTIPLE_MAIN_CLASSES -> new MainClass(null, null, found.getFoundMainClasses().stream().sorted().toList(), where);
            case MAIN_CLASS_NOT_FOUND -> new MainClass(null, null, List.of(), where);
        };
    }

    /**
     * Why {@code deployer:build} skips this module as not a service, or null when it is one. A module is a service when
     * it sets {@code deployer.image}, or when it is a jar with a class to run; a library jar (no image, no main class)
     * or another packaging without an image is skipped, not failed, so a reactor needs no {@code deployer.skip} on its
     * libraries. A module that sets {@code deployer.image} but has no main class fails later, clearly.
     */
    public static String notAService(String image, String packaging, java.util.function.Supplier<MainClass> main) {
        if (image != null && !image.isBlank()) {
            return null;
        }
        if (!"jar".equals(packaging)) {
            return "not a service (no deployer.image, packaging '" + packaging + "')";
        }
        MainClass found = main.get();
        return found.any() ? null : "not a service (no deployer.image, and no main class: " + found.where()
                + " has no class with a public static void main(String[]))";
    }

    /** True when a main class was found, or several (a service whose main class must be chosen). */
    public boolean any() {
        return name != null || !candidates.isEmpty();
    }

    /** The main class; none or several is an error naming the candidates and how to choose. */
    public String required() {
        if (name != null) {
            return name;
        }
        if (candidates.isEmpty()) {
            throw new DeployerException("No main class: deployer.mainClass is not set, and " + where
                    + " has no class with a public static void main(String[])", "deployer.mainClass",
                    "set <deployer.mainClass>com.acme.Main</deployer.mainClass> in the POM properties (or"
                            + " -Ddeployer.mainClass=com.acme.Main), or add the service's main class");
        }
        String first = candidates.get(0);
        throw new DeployerException("Several main classes in " + where + ": " + String.join(", ", candidates),
                "deployer.mainClass", "choose one: <deployer.mainClass>" + first + "</deployer.mainClass> in the POM"
                        + " properties (or <mainClass> in the plugin configuration, or -Ddeployer.mainClass=" + first + ")");
    }

    /**
     * The manifest's main class and the attribute it came from: {@code Main-Class}, or for a Spring Boot executable jar
     * (whose {@code Main-Class} is Spring Boot's launcher, not on the image's class path) its {@code Start-Class}.
     */
    private static String[] manifestMainClass(Path jar) {
        if (jar == null || !Files.isRegularFile(jar)) {
            return null;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return null;
            }
            String main = manifest.getMainAttributes().getValue("Main-Class");
            String start = manifest.getMainAttributes().getValue("Start-Class");
            if (main != null && main.strip().startsWith(SPRING_BOOT_LAUNCHER) && start != null && !start.isBlank()) {
                return new String[] {start.strip(), "Start-Class"};
            }
            return main == null || main.isBlank() ? null : new String[] {main.strip(), "Main-Class"};
        } catch (IOException e) {
            throw new DeployerException("Cannot read " + jar + ": " + e.getMessage(), "deployer.mainClass",
                    "rebuild the jar, or set deployer.mainClass");
        }
    }

    private static List<Path> classFiles(Path classesDir) {
        try (Stream<Path> files = Files.walk(classesDir)) {
            return files.filter(Files::isRegularFile).filter(file -> file.toString().endsWith(".class")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + classesDir, e);
        }
    }
}
