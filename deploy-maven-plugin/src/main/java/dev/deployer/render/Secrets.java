package dev.deployer.render;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Secret;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code $secrets} in templates. It never reads a secret's value: in {@link SecretMode#PREVIEW} a secret renders
 * as {@value Secret#REDACTED}; in {@link SecretMode#DEPLOY} as a {@code ${NAME}} placeholder that Compose, Swarm
 * or quantum-cli fill in from the deploy command's environment (so there it must be set).
 */
public final class Secrets {

    private final List<String> declared;
    private final SecretMode mode;
    private final Function<String, String> env;
    private final Set<String> referenced = new TreeSet<>();

    Secrets(List<String> declared, SecretMode mode, Function<String, String> env) {
        this.declared = List.copyOf(declared);
        this.mode = mode;
        this.env = env;
    }

    /** {@code $secrets.NAME}. */
    public Object get(String name) {
        if (!declared.contains(name)) {
            throw new DeployerException("Undeclared secret $secrets." + name, null,
                    "declare it in the plugin's <secrets><secret>" + name + "</secret></secrets>; its value then"
                            + " comes only from the environment variable " + name);
        }
        referenced.add(name);
        if (mode == SecretMode.PREVIEW) {
            return Secret.REDACTED;
        }
        String value = env.apply(name);
        if (value == null || value.isEmpty()) {
            throw new DeployerException("Secret " + name + " is not set in the environment", null,
                    "set the environment variable " + name + " for the deploy (in GitHub Actions: add the"
                            + " repository or environment secret " + name + " and pass it with env: " + name
                            + ": ${{ secrets." + name + " }})");
        }
        return new Placeholder(name);
    }

    /** The secrets the templates used so far, in name order. */
    Set<String> referenced() {
        return Set.copyOf(referenced);
    }

    @Override
    public String toString() {
        return "$secrets" + declared;
    }

    /** Renders as {@code ${NAME}}: a literal placeholder for the deploy tool, not Velocity syntax. */
    public record Placeholder(String name) {
        @Override
        public String toString() {
            return "${" + name + "}";
        }
    }
}
