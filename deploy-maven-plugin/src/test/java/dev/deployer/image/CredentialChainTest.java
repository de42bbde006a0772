package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order of credential sources, with a real Docker config file read by Jib. */
class CredentialChainTest {

    private static final String REGISTRY = "registry.example.test:5443";

    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();
    private final CredentialChain.ServerLookup settings = id -> id.equals(REGISTRY)
            ? Optional.of(new RegistryCredential("from-settings", Secret.of("s", "settings-pw"), "settings.xml <server> with <id>" + id + "</id>"))
            : Optional.empty();

    @BeforeEach
    void dockerConfig() throws Exception {
        Files.createDirectories(home.resolve(".docker"));
        String auth = Base64.getEncoder().encodeToString("from-docker:docker-pw".getBytes(StandardCharsets.UTF_8));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":\"" + auth
                + "\"},\"ghcr.io\":{\"auth\":\"" + auth + "\"}}}");
    }

    private CredentialChain chain() {
        return new CredentialChain(env::get, settings, home);
    }

    @Test
    void environmentFirstForThePushRegistry() {
        env.put("DEPLOYER_REGISTRY_USERNAME", "from-env");
        env.put("DEPLOYER_REGISTRY_PASSWORD", "env-pw");
        RegistryCredential found = chain().find(REGISTRY, true).orElseThrow();
        assertEquals("from-env", found.username());
        assertEquals("env-pw", found.password().reveal());
        assertEquals("environment DEPLOYER_REGISTRY_USERNAME/DEPLOYER_REGISTRY_PASSWORD", found.source());
        assertEquals("from-settings", chain().find(REGISTRY, false).orElseThrow().username(),
                "the environment credential is never sent to another registry");
    }

    @Test
    void settingsThenDockerConfig() {
        assertEquals("from-settings", chain().find(REGISTRY, true).orElseThrow().username());
        RegistryCredential docker = chain().find("ghcr.io", true).orElseThrow();
        assertEquals("from-docker", docker.username());
        assertEquals("docker-pw", docker.password().reveal());
        assertTrue(docker.source().startsWith("Docker config " + home.resolve(".docker/config.json")), docker.source());
    }

    @Test
    void dockerConfigEnvironmentVariableMovesTheFile() throws Exception {
        Path elsewhere = Files.createDirectories(home.resolve("elsewhere"));
        String auth = Base64.getEncoder().encodeToString("moved:moved-pw".getBytes(StandardCharsets.UTF_8));
        Files.writeString(elsewhere.resolve("config.json"), "{\"auths\":{\"other.test\":{\"auth\":\"" + auth + "\"}}}");
        env.put("DOCKER_CONFIG", elsewhere.toString());
        assertEquals("moved", chain().find("other.test", false).orElseThrow().username());
    }

    @Test
    void githubTokenLastAndOnlyForGhcr() throws Exception {
        Files.delete(home.resolve(".docker/config.json"));
        env.put("GITHUB_ACTOR", "octocat");
        env.put("GITHUB_TOKEN", "ghs_token");
        RegistryCredential github = chain().find("ghcr.io", true).orElseThrow();
        assertEquals("octocat", github.username());
        assertEquals("environment GITHUB_ACTOR/GITHUB_TOKEN", github.source());
        assertTrue(chain().find("quay.io", true).isEmpty());
    }

    @Test
    void halfAnEnvironmentCredentialIsAnError() {
        env.put("DEPLOYER_REGISTRY_USERNAME", "someone");
        DeployerException e = assertThrows(DeployerException.class, () -> chain().find(REGISTRY, true));
        assertTrue(e.problem().contains("Only one of DEPLOYER_REGISTRY_USERNAME and DEPLOYER_REGISTRY_PASSWORD"));
    }

    @Test
    void theCredentialPrintsWithoutItsValue() {
        RegistryCredential credential = chain().find(REGISTRY, true).orElseThrow();
        assertTrue(!credential.toString().contains("settings-pw") && credential.toString().contains("from-settings"));
    }

    @Test
    void everyPasswordReadIsMaskedInGitHubActions() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        env.put("GITHUB_ACTIONS", "true");
        dev.deployer.core.GitHubActions github = new dev.deployer.core.GitHubActions(env::get, new java.io.PrintStream(out, true));
        CredentialChain chain = new CredentialChain(env::get, settings, home, github::mask);
        chain.find(REGISTRY, true);
        chain.find("ghcr.io", true);
        assertEquals("::add-mask::settings-pw\n::add-mask::docker-pw\n", out.toString());
    }
}
