package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reads the secrets a stack references from the environment, failing before anything remote happens when one is missing. */
final class EnvironmentSecrets {

    private EnvironmentSecrets() {
    }

    /** The values of {@code names}; a missing or empty one fails naming {@code origin} and how to set it. */
    static List<Secret> read(Function<String, String> env, List<String> names, String origin) {
        List<Secret> secrets = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            String value = env.apply(name);
            if (value == null || value.isEmpty()) {
                missing.add(name);
            } else {
                secrets.add(Secret.of(name, value));
            }
        }
        if (!missing.isEmpty()) {
            throw new DeployerException("The stack references secret(s) " + missing + " but the environment does not set them",
                    origin, "export " + missing.get(0) + "=... before deploying (in GitHub Actions: env: " + missing.get(0)
                            + ": ${{ secrets." + missing.get(0) + " }}); nothing was changed");
        }
        return secrets;
    }

    /**
     * {@code declared} plus every other placeholder of {@code stackText}: a declared variable's placeholder gets the
     * variable's value; any other required one ({@code ${X}}) is read from the environment and must be set; an optional
     * one ({@code ${X:-default}}) is passed when the environment sets it. {@code $${X}} is no placeholder.
     */
    static List<Secret> forStack(Function<String, String> env, List<Secret> declared, Map<String, String> variables,
            String stackText, String origin) {
        List<String> names = declared.stream().map(Secret::name).toList();
        List<String> required = StackFiles.requiredPlaceholders(stackText);
        List<Secret> all = new ArrayList<>(declared);
        List<String> fromEnvironment = new ArrayList<>();
        for (String name : StackFiles.placeholders(stackText)) {
            if (names.contains(name)) {
                continue;
            }
            if (variables.containsKey(name)) {
                all.add(Secret.of(name, variables.get(name)));
            } else if (required.contains(name)) {
                fromEnvironment.add(name);
            } else if (env.apply(name) != null) {
                all.add(Secret.of(name, env.apply(name)));
            }
        }
        all.addAll(read(env, fromEnvironment, origin));
        return all;
    }
}
