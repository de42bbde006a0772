package dev.deployer.render;

import dev.deployer.core.DeployerException;
import dev.deployer.core.ProjectInfo;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a render needs, as plain data.
 *
 * @param project            the project (coordinates, base and build directory)
 * @param templateDirectory  where the {@code *.vm} templates are, e.g. {@code src/main/deploy}
 * @param environment        the environment, e.g. {@code local}, {@code qa}, {@code production}
 * @param imageRepository    the image repository ({@code deployer.image}), or null when not configured
 * @param variables          {@code $vars}: name to value, already merged from the POM and {@code deployer.var.*}
 * @param secretNames        {@code $secrets}: the declared names; values only ever come from the environment
 * @param quantumStackFile   the rendered file the {@code .quantum} descriptor points at, e.g. {@code stack.yml}
 * @param mode               how secrets render
 * @param releaseModules     the image modules of the release this module owns ({@code $images}); empty for a module
 *                           deployed alone
 */
public record RenderRequest(ProjectInfo project, Path templateDirectory, String environment, String imageRepository,
                            Map<String, String> variables, List<String> secretNames, String quantumStackFile,
                            SecretMode mode, List<dev.deployer.core.ReleaseModule> releaseModules) {

    static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A module deployed alone: no {@code $images} beyond none. */
    public RenderRequest(ProjectInfo project, Path templateDirectory, String environment, String imageRepository,
            Map<String, String> variables, List<String> secretNames, String quantumStackFile, SecretMode mode) {
        this(project, templateDirectory, environment, imageRepository, variables, secretNames, quantumStackFile, mode, List.of());
    }

    public RenderRequest {
        releaseModules = releaseModules == null ? List.of() : List.copyOf(releaseModules);
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(templateDirectory, "templateDirectory");
        Objects.requireNonNull(mode, "mode");
        if (environment == null || !ENVIRONMENT.matcher(environment).matches()) {
            throw new DeployerException("Invalid environment name '" + environment + "'", "deployer.environment",
                    "use lower-case letters, digits, '.', '_' or '-', e.g. -Ddeployer.environment=production");
        }
        if (imageRepository != null && imageRepository.isBlank()) {
            imageRepository = null;
        }
        if (imageRepository != null && !imageRepository.matches("[a-z0-9][a-z0-9._:/-]*")
                || imageRepository != null && imageRepository.substring(imageRepository.lastIndexOf('/') + 1).contains(":")) {
            throw new DeployerException("Invalid image repository '" + imageRepository + "'", "deployer.image",
                    "give the repository without tag or digest, e.g. <image>ghcr.io/acme/service</image>;"
                            + " the tag is the commit SHA");
        }
        Map<String, String> vars = new LinkedHashMap<>();
        variables.forEach((name, value) -> {
            if (!NAME.matcher(name).matches()) {
                throw new DeployerException("Invalid variable name '" + name + "'", "<variables>",
                        "use letters, digits and '_' (not starting with a digit), so templates can write $vars.NAME");
            }
            vars.put(name, value == null ? "" : value);
        });
        variables = Collections.unmodifiableMap(vars);
        secretNames = List.copyOf(secretNames);
        for (String name : secretNames) {
            if (!NAME.matcher(name).matches()) {
                throw new DeployerException("Invalid secret name '" + name + "'", "<secrets>",
                        "a secret is named like the environment variable that holds it: letters, digits and '_'");
            }
            if (variables.containsKey(name)) {
                throw new DeployerException("'" + name + "' is declared as a secret and also given as a variable",
                        "<variables> / deployer.var." + name,
                        "remove the variable: secret values come only from the environment variable " + name);
            }
        }
        if (quantumStackFile == null || quantumStackFile.isBlank()) {
            quantumStackFile = "stack.yml";
        }
        Path stack = Path.of(quantumStackFile).normalize();
        if (stack.isAbsolute() || stack.startsWith("..")) {
            throw new DeployerException("Invalid Quantum stack file '" + quantumStackFile + "'", "deployer.quantum.stackFile",
                    "name a rendered file relative to target/deployer/<environment>/, e.g. stack.yml");
        }
    }

    /** Where the rendered files go: {@code target/deployer/<environment>/}. */
    public Path outputDirectory() {
        return project.deployerDir().resolve(environment);
    }

    /** The same request with secrets rendering as {@code mode}. */
    public RenderRequest withMode(SecretMode newMode) {
        return new RenderRequest(project, templateDirectory, environment, imageRepository, variables, secretNames,
                quantumStackFile, newMode, releaseModules);
    }

    /** Merges variables: POM {@code <variables>}, then project properties, then user properties {@code deployer.var.NAME}. */
    public static Map<String, String> mergeVariables(Map<String, String> pom, Map<String, String> projectProperties,
                                                     Map<String, String> userProperties) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (pom != null) {
            merged.putAll(pom);
        }
        for (Map<String, String> properties : List.of(projectProperties, userProperties)) {
            properties.forEach((key, value) -> {
                if (key.startsWith(VAR_PREFIX) && key.length() > VAR_PREFIX.length()) {
                    merged.put(key.substring(VAR_PREFIX.length()), value);
                }
            });
        }
        return merged;
    }

    /** The prefix of properties that set variables: {@code -Ddeployer.var.NAME=value}. */
    public static final String VAR_PREFIX = "deployer.var.";
}
