package dev.deployer.image;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Finds the credential for a registry, in this order:
 * <ol>
 *   <li>environment {@code DEPLOYER_REGISTRY_USERNAME}/{@code DEPLOYER_REGISTRY_PASSWORD} — only for the registry
 *       Deployer pushes to (so they are never sent to another host);</li>
 *   <li>the {@code settings.xml} {@code <server>} whose id is the registry's {@code host[:port]} (the Maven layer
 *       hands in a lookup that decrypts it);</li>
 *   <li>the Docker config ({@code $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json}: {@code auths},
 *       {@code credHelpers}, {@code credsStore}), read by Jib — what {@code docker login} and
 *       {@code docker/login-action} write;</li>
 *   <li>{@code GITHUB_ACTOR}/{@code GITHUB_TOKEN}, for {@code ghcr.io} only.</li>
 * </ol>
 * Values are never logged; only the source is named in messages. Every password or token found is masked in GitHub
 * Actions ({@code ::add-mask::}) as soon as it is read, so no later output of any step can print it.
 */
public final class CredentialChain {

    static final String ENV_USERNAME = "DEPLOYER_REGISTRY_USERNAME";
    static final String ENV_PASSWORD = "DEPLOYER_REGISTRY_PASSWORD";

    /** Looks up a {@code settings.xml} server by id and returns its (decrypted) username and password. */
    @FunctionalInterface
    public interface ServerLookup {
        Optional<RegistryCredential> find(String serverId);

        static ServerLookup none() {
            return id -> Optional.empty();
        }
    }

    private final Function<String, String> env;
    private final ServerLookup settings;
    private final Path dockerConfig;
    private final Consumer<Secret> mask;

    /**
     * A chain that masks what it reads in GitHub Actions (when {@code env} says it runs there) on standard output.
     *
     * @param env       the environment (System::getenv in production)
     * @param settings  the settings.xml lookup
     * @param userHome  the user's home, where {@code .docker/config.json} is when {@code DOCKER_CONFIG} is unset
     */
    public CredentialChain(Function<String, String> env, ServerLookup settings, Path userHome) {
        this(env, settings, userHome, new GitHubActions(env, System.out)::mask);
    }

    /** As above, {@code mask} called with every password or token the moment it is read. */
    public CredentialChain(Function<String, String> env, ServerLookup settings, Path userHome, Consumer<Secret> mask) {
        this.env = env;
        this.settings = settings;
        this.mask = mask;
        String dockerConfigDir = env.apply("DOCKER_CONFIG");
        this.dockerConfig = (dockerConfigDir != null && !dockerConfigDir.isBlank()
                ? Path.of(dockerConfigDir) : userHome.resolve(".docker")).resolve("config.json");
    }

    /**
     * The credential for {@code registry} ({@code host[:port]}), or empty when no source has one.
     *
     * @param pushRegistry whether this is the registry Deployer pushes to (the environment variables apply only there)
     */
    public Optional<RegistryCredential> find(String registry, boolean pushRegistry) {
        Optional<RegistryCredential> found = lookUp(registry, pushRegistry);
        found.ifPresent(credential -> mask.accept(credential.password()));
        return found;
    }

    private Optional<RegistryCredential> lookUp(String registry, boolean pushRegistry) {
        if (pushRegistry) {
            Optional<RegistryCredential> fromEnv = fromEnvironment();
            if (fromEnv.isPresent()) {
                return fromEnv;
            }
        }
        Optional<RegistryCredential> fromSettings = settings.find(registry);
        if (fromSettings.isPresent()) {
            return fromSettings;
        }
        Optional<RegistryCredential> fromDocker = fromDockerConfig(registry);
        if (fromDocker.isPresent()) {
            return fromDocker;
        }
        return fromGitHub(registry);
    }

    /** The sources that were consulted for {@code registry}, for a "no credentials found" message. */
    public List<String> sources(String registry, boolean pushRegistry) {
        List<String> sources = new ArrayList<>();
        if (pushRegistry) {
            sources.add("environment " + ENV_USERNAME + "/" + ENV_PASSWORD);
        }
        sources.add("settings.xml <server> with <id>" + registry + "</id>");
        sources.add("Docker config " + dockerConfig);
        if (isGhcr(registry)) {
            sources.add("environment GITHUB_ACTOR/GITHUB_TOKEN");
        }
        return sources;
    }

    private Optional<RegistryCredential> fromEnvironment() {
        String username = env.apply(ENV_USERNAME);
        String password = env.apply(ENV_PASSWORD);
        boolean hasUser = username != null && !username.isBlank();
        boolean hasPassword = password != null && !password.isEmpty();
        if (hasUser != hasPassword) {
            throw new DeployerException("Only one of " + ENV_USERNAME + " and " + ENV_PASSWORD + " is set",
                    "environment", "set both (or neither) of them");
        }
        if (!hasUser) {
            return Optional.empty();
        }
        return Optional.of(new RegistryCredential(username, Secret.of(ENV_PASSWORD, password),
                "environment " + ENV_USERNAME + "/" + ENV_PASSWORD));
    }

    private Optional<RegistryCredential> fromDockerConfig(String registry) {
        if (!Files.isRegularFile(dockerConfig)) {
            return Optional.empty();
        }
        try {
            ImageReference reference = ImageReference.parse(registry + "/deployer-credential-lookup");
            Map<String, String> environment = new java.util.HashMap<>();
            String path = env.apply("PATH");
            if (path != null) {
                environment.put("PATH", path);
            }
            Optional<Credential> credential = CredentialRetrieverFactory
                    .forImage(reference, event -> { }, environment)
                    .dockerConfig(dockerConfig)
                    .retrieve();
            return credential.map(found -> new RegistryCredential(found.getUsername(),
                    Secret.of("docker-config", found.getPassword()), "Docker config " + dockerConfig));
        } catch (InvalidImageReferenceException e) {
            throw new DeployerException("'" + registry + "' is not a registry host[:port]", "deployer.image",
                    "give the repository as host[:port]/path, e.g. ghcr.io/acme/service");
        } catch (CredentialRetrievalException e) {
            throw new DeployerException("Reading the credential for " + registry + " from " + dockerConfig
                    + " failed: " + e.getMessage(), dockerConfig.toString(),
                    "check the credential helper named there (docker-credential-*) is on the PATH, or run docker login again");
        }
    }

    private Optional<RegistryCredential> fromGitHub(String registry) {
        if (!isGhcr(registry)) {
            return Optional.empty();
        }
        String actor = env.apply("GITHUB_ACTOR");
        String token = env.apply("GITHUB_TOKEN");
        if (actor == null || actor.isBlank() || token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RegistryCredential(actor, Secret.of("GITHUB_TOKEN", token),
                "environment GITHUB_ACTOR/GITHUB_TOKEN"));
    }

    private static boolean isGhcr(String registry) {
        return registry.equals("ghcr.io");
    }
}
