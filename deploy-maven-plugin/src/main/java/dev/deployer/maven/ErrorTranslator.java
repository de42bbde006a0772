package dev.deployer.maven;

import dev.deployer.core.DeployerException;
import java.io.UncheckedIOException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The one translation of the core's exceptions into build failures: every one reaches the user as problem, location
 * and fix. A {@link DeployerException} keeps its three parts, its parameter spelled as the POM element and the
 * property ({@link PropertyNames}); an {@link IllegalArgumentException} from a record's check and an I/O error get a
 * location and a fix of their own instead of a stack trace.
 */
final class ErrorTranslator {

    private ErrorTranslator() {
    }

    /** The build failure for {@code failure}. */
    static MojoFailureException translate(RuntimeException failure) {
        DeployerException explained = explain(failure);
        // not the cause: Maven appends every cause's message that its own does not contain, and the core's message
        // spells the location differently; as a suppressed exception the whole chain still shows under -e
        MojoFailureException translated = new MojoFailureException(message(explained));
        translated.addSuppressed(failure);
        return translated;
    }

    /** {@code failure} as a {@link DeployerException} (itself when it is one). */
    static DeployerException explain(RuntimeException failure) {
        if (failure instanceof DeployerException known) {
            return known;
        }
        if (failure instanceof IllegalArgumentException invalid) {
            return new DeployerException("Invalid configuration: " + invalid.getMessage(), "the plugin configuration",
                    "correct the value the message names (in the POM's <configuration> or its -Ddeployer.* property)", invalid);
        }
        if (failure instanceof UncheckedIOException io) {
            return new DeployerException("Cannot read or write a file: " + io.getCause().getMessage(),
                    io.getMessage() == null ? null : io.getMessage().replaceFirst("^java\\.io\\.\\w+: ", ""),
                    "check that the file or directory exists and that the build may write to target/", io);
        }
        return new DeployerException("Unexpected error: " + failure, null,
                "run again with -e for the stack trace and report it; nothing after the failing step ran", failure);
    }

    /** {@code location: problem} and {@code Fix: fix}, the location spelled for a Maven user. */
    static String message(DeployerException e) {
        StringBuilder text = new StringBuilder();
        String location = PropertyNames.spell(e.location());
        if (location != null && !location.isBlank()) {
            text.append(location).append(": ");
        }
        text.append(e.problem());
        if (e.fix() != null && !e.fix().isBlank()) {
            text.append("\n  Fix: ").append(e.fix());
        }
        return text.toString();
    }
}
