package dev.deployer.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What each environment means when neither the POM nor {@code -D} says otherwise: the one table behind
 * {@code -Pqa} / {@code -Pproduction}. The parent POM's profiles and the plugin-alone snippet's profiles only set
 * {@code deployer.environment}; the rest comes from here, so the two ways of adopting cannot drift apart.
 *
 * <p>A setting is resolved, first found wins:
 * <ol>
 *   <li>{@code deployer.<setting>}: the plugin's {@code <configuration>}, {@code -D} or a POM property;</li>
 *   <li>{@code deployer.<environment>.<setting>}: a property ({@code -D} first, then the POM), e.g.
 *       {@code deployer.qa.healthUrl};</li>
 *   <li>this table ({@link #DEFAULTS});</li>
 *   <li>the default for any environment ({@link #ANY}).</li>
 * </ol>
 * Blank values count as unset. An environment not in the table (say {@code staging}) takes its settings from
 * {@code deployer.staging.*} properties and the defaults for any environment.
 *
 * @param environment the environment ({@code deployer.environment})
 * @param artifactId  the project's artifactId (the {@code qa} stack is {@code <artifactId>-qa})
 * @param properties  property look-up: the user's {@code -D} first, then the project's properties; null when unset
 */
public record Environments(String environment, String artifactId, Function<String, String> properties) {

    public static final String TARGET = "target";
    public static final String STACK = "stack";
    public static final String PUSH = "push";
    public static final String HEALTH_URL = "healthUrl";
    public static final String ALLOWED_REFS = "allowedRefs";

    /** {@code @{artifactId}} in a value stands for the project's artifactId. */
    public static final Map<String, Map<String, String>> DEFAULTS = table();

    /** What every environment gets unless the table, a property or the POM says otherwise. */
    public static final Map<String, String> ANY = Map.of(TARGET, "compose", PUSH, "false", ALLOWED_REFS, "main,master");

    private static Map<String, Map<String, String>> table() {
        Map<String, Map<String, String>> table = new LinkedHashMap<>();
        // local: a developer's machine; the image goes to target/deployer/image.tar
        table.put("local", Map.of(TARGET, "compose", PUSH, "false"));
        // qa: Docker Compose on a server whose engine DOCKER_HOST reaches (ssh://…), the local engine when unset
        table.put("qa", Map.of(TARGET, "compose", STACK, "@{artifactId}-qa", PUSH, "true"));
        // production: Planetary Quantum; the stack is QUANTUM_STACK when set, else the artifactId
        table.put("production", Map.of(TARGET, "quantum", PUSH, "true", ALLOWED_REFS, "main,master"));
        return Map.copyOf(table);
    }

    public Environments {
        if (environment == null || environment.isBlank()) {
            throw new DeployerException("deployer.environment is empty", "deployer.environment",
                    "leave it unset (local), or use -Pqa / -Pproduction or -Ddeployer.environment=<name>");
        }
        environment = environment.strip();
    }

    /** The value of {@code setting}: {@code explicit} (the goal's parameter) when set, else as the class describes. */
    public String value(String setting, String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit.strip();
        }
        String property = properties.apply("deployer." + environment + "." + setting);
        if (property != null && !property.isBlank()) {
            return property.strip();
        }
        String fallback = DEFAULTS.getOrDefault(environment, Map.of()).getOrDefault(setting, ANY.get(setting));
        return fallback == null ? null : fallback.replace("@{artifactId}", artifactId);
    }

    /** {@code deployer.push}: the explicit value when set, else the environment's. */
    public boolean push(Boolean explicit) {
        return Boolean.parseBoolean(value(PUSH, explicit == null ? null : explicit.toString()));
    }

    /** Where a setting of this environment came from, for messages: {@code deployer.qa.healthUrl}. */
    public String property(String setting) {
        return "deployer." + environment + "." + setting;
    }
}
