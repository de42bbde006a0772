package dev.deployer.maven;

import java.util.Map;

/**
 * The one place that knows how the core's parameter keys are spelled for a Maven user. The core names a parameter by
 * its key ({@code deployer.tag}, the user property); an error about it reaches the user as the POM element and the
 * command-line property: {@code <tag> (-Ddeployer.tag)}.
 */
final class PropertyNames {

    /** The prefix of every user property Deployer reads. */
    static final String PREFIX = "deployer.";

    /** Keys whose POM element is not the key's last part. */
    private static final Map<String, String> ELEMENTS = Map.of(
            "deployer.quantum.stackFile", "quantumStackFile",
            "deployer.audit.ignore", "ignores",
            "deployer.audit.skip", "skipAudit",
            "deployer.verify.publicKey", "verifyPublicKey",
            "deployer.verify.enforce", "verifyEnforce");

    private PropertyNames() {
    }

    /** Whether {@code location} names a parameter (rather than a file, an environment variable or nothing). */
    static boolean isParameter(String location) {
        return location != null && location.startsWith(PREFIX) && location.matches("deployer\\.[A-Za-z0-9_.]+");
    }

    /** {@code <element> (-Ddeployer.x)} for a parameter key; {@code -Ddeployer.var.NAME} for a variable; else unchanged. */
    static String spell(String location) {
        if (!isParameter(location)) {
            return location;
        }
        if (location.startsWith(PREFIX + "var.")) {
            return "<variables><" + location.substring((PREFIX + "var.").length()) + "> (-D" + location + ")";
        }
        String element = ELEMENTS.getOrDefault(location, location.substring(location.lastIndexOf('.') + 1));
        return "<" + element + "> (-D" + location + ")";
    }
}
