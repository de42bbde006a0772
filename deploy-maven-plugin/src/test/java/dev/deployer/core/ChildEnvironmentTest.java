package dev.deployer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Child processes start from an allowlist, never from the build's whole environment. */
class ChildEnvironmentTest {

    private static Map<String, String> parent() {
        Map<String, String> parent = new HashMap<>();
        parent.put("PATH", System.getenv("PATH"));
        parent.put("HOME", "/home/ci");
        parent.put("LC_ALL", "C.UTF-8");
        parent.put("DOCKER_HOST", "unix:///var/run/docker.sock");
        parent.put("DOCKER_CONFIG", "/home/ci/.docker");
        parent.put("GITHUB_TOKEN", "ghs_canary0123456789");
        parent.put("DEPLOYER_REGISTRY_PASSWORD", "registry-canary");
        parent.put("QUANTUM_API_KEY", "quantum-canary");
        parent.put("REDIS_PASSWORD", "redis-canary");
        parent.put("SSH_AUTH_SOCK", "/tmp/ssh-agent.sock");
        parent.put("AWS_SECRET_ACCESS_KEY", "aws-canary");
        parent.put("DOCKER_PASSWORD", "docker-password-canary");
        parent.put("GIT_DIR", "/srv/checkout/.git");
        return parent;
    }

    @Test
    void aDeployCommandSeesTheBaseDockerSettingsAndItsDeclaredSecretsOnly() {
        Command deploy = Command.of("docker", "compose", "up", "-d").withSecrets(List.of(Secret.of("REDIS_PASSWORD", "redis-value")));
        Map<String, String> env = ChildEnvironment.of(deploy, parent());
        assertEquals(Map.of("PATH", System.getenv("PATH"), "HOME", "/home/ci", "LC_ALL", "C.UTF-8",
                "DOCKER_HOST", "unix:///var/run/docker.sock", "DOCKER_CONFIG", "/home/ci/.docker",
                "REDIS_PASSWORD", "redis-value"), env);
    }

    @Test
    void theSshAgentOnlyForSsh() {
        assertEquals("/tmp/ssh-agent.sock", ChildEnvironment.of(Command.of("ssh", "-N", "--", "host"), parent()).get("SSH_AUTH_SOCK"));
        assertEquals("/tmp/ssh-agent.sock", ChildEnvironment.of(Command.of("docker", "ps").withEnv("DOCKER_HOST", "ssh://u@h"),
                parent()).get("SSH_AUTH_SOCK"), "docker itself runs ssh for an ssh:// DOCKER_HOST");
        assertFalse(ChildEnvironment.of(Command.of("docker", "ps"), parent()).containsKey("SSH_AUTH_SOCK"));
        assertFalse(ChildEnvironment.of(Command.of("git", "status"), parent()).containsKey("SSH_AUTH_SOCK"));
    }

    @Test
    void gitsOwnSettingsOnlyForGit() {
        assertEquals("/srv/checkout/.git", ChildEnvironment.of(Command.of("git", "status"), parent()).get("GIT_DIR"),
                "GIT_DIR decides which repository git reads");
        assertFalse(ChildEnvironment.of(Command.of("docker", "ps"), parent()).containsKey("GIT_DIR"));
        assertFalse(ChildEnvironment.of(Command.of("git", "status"), parent()).containsKey("GITHUB_TOKEN"),
                "GITHUB_TOKEN is no git setting");
    }

    @Test
    void aRealProcessDoesNotInheritTheBuildsSecrets() {
        CommandRunner.Result result = new ProcessRunner(Log.silent(), ChildEnvironmentTest::parent)
                .run(Command.of("env").withEnv("QUANTUM_ENDPOINT", "ep-1"), Duration.ofSeconds(30));
        assertEquals(0, result.exitCode(), result.output());
        for (String canary : List.of("ghs_canary", "registry-canary", "quantum-canary", "redis-canary", "aws-canary", "docker-password-canary", "SSH_AUTH_SOCK")) {
            assertFalse(result.output().contains(canary), canary + " reached the child:\n" + result.output());
        }
        assertTrue(result.output().contains("QUANTUM_ENDPOINT=ep-1"), result.output());
        assertTrue(result.output().contains("HOME=/home/ci"), result.output());
    }
}
