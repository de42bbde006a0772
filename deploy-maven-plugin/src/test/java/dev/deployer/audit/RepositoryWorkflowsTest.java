package dev.deployer.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** What the issue asks of this repository's own workflows, beyond what the audit checks. */
class RepositoryWorkflowsTest {

    private static final Path WORKFLOWS = WorkflowAudit.gitRoot(Path.of("").toAbsolutePath()).resolve(".github/workflows");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String name) throws IOException {
        Map<Object, Object> raw = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(WORKFLOWS.resolve(name)));
        // YAML 1.1 reads the key 'on' as true
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        raw.forEach((k, v) -> doc.put(Boolean.TRUE.equals(k) ? "on" : String.valueOf(k), v));
        return doc;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String key) {
        return (Map<String, Object>) ((Map<String, Object>) o).get(key);
    }

    @Test
    void ciIsReadOnlyWithoutSecretsAndRunsTheTestCommand() throws IOException {
        Map<String, Object> ci = load("ci.yml");
        assertEquals(List.of("pull_request", "push"), List.copyOf(map(ci, "on").keySet()));
        assertEquals(Map.of("contents", "read"), ci.get("permissions"));
        String text = Files.readString(WORKFLOWS.resolve("ci.yml"));
        assertFalse(text.contains("secrets."), "ci.yml uses no secrets");
        assertTrue(text.contains("run: ./scripts/test-all.sh"), "ci.yml runs the README's test command");
        assertTrue(text.contains("deployer:render -Pproduction"), "ci.yml previews the production stack");
        assertTrue(text.contains("-Ddeployer.push=false"), "ci.yml builds the image without pushing");
    }

    @Test
    void productionDeploysOnlyFromMainOrByHandThroughTheProtectedEnvironment() throws IOException {
        Map<String, Object> deploy = load("deploy.yml");
        assertEquals(List.of("push", "workflow_dispatch"), List.copyOf(map(deploy, "on").keySet()));
        assertEquals(List.of("main"), map(map(deploy, "on"), "push").get("branches"));
        assertEquals(Boolean.FALSE, map(deploy, "concurrency").get("cancel-in-progress"));
        Map<String, Object> job = map(map(deploy, "jobs"), "deploy");
        assertEquals("./.github/workflows/deployer.yml", job.get("uses"));
        assertEquals("production", map(job, "with").get("environment"));
        assertEquals("production", map(job, "with").get("profile"));

        Map<String, Object> qa = load("deploy-qa.yml");
        assertEquals(List.of("develop"), map(map(qa, "on"), "push").get("branches"));
        assertEquals("qa", map(map(map(qa, "jobs"), "deploy"), "with").get("environment"));
    }

    @Test
    void theReusableWorkflowPushesInTheBuildJobAndDeploysTheSameImageInTheEnvironment() throws IOException {
        Map<String, Object> reusable = load("deployer.yml");
        assertEquals(List.of("workflow_call"), List.copyOf(map(reusable, "on").keySet()));
        Map<String, Object> build = map(map(reusable, "jobs"), "build");
        Map<String, Object> deploy = map(map(reusable, "jobs"), "deploy");
        assertEquals("write", map(build, "permissions").get("packages"));
        assertEquals("read", map(deploy, "permissions").get("packages"));
        assertEquals("${{ inputs.environment }}", deploy.get("environment"));
        assertEquals(Map.of("group", "deploy-${{ inputs.environment }}", "cancel-in-progress", false), deploy.get("concurrency"));
        assertEquals(Map.of("image", "${{ steps.image.outputs.image }}", "digest", "${{ steps.image.outputs.digest }}",
                "digests", "${{ steps.image.outputs.digests }}", "sha", "${{ steps.image.outputs.sha }}"), build.get("outputs"));
        String text = Files.readString(WORKFLOWS.resolve("deployer.yml"));
        assertTrue(text.contains("\"${image[@]}\" -Ddeployer.release=\"$SHA\" -Ddeployer.release.digests=\"$DIGESTS\""),
                "the deploy job promotes the release the build job pushed (no Jib), checked against its digests");
        assertTrue(text.contains("DIGESTS: ${{ needs.build.outputs.digests }}"));
        assertTrue(text.contains("SHA: ${{ needs.build.outputs.sha }}"));
        String deployRun = String.valueOf(deploy.get("steps"));
        assertFalse(deployRun.contains("-Ddeployer.tag=\"$GITHUB_SHA\"") || deployRun.contains("-Ddeployer.push"),
                "the deploy job never rebuilds nor pushes");
    }

    /**
     * The signing key is an environment secret of the build job's signing environment, in the build step's
     * environment only, and never in a pull_request run; the deploy job gets the public key (a variable) and verifies.
     */
    @Test
    void theSigningKeyReachesOnlyTheBuildStepAndTheDeployVerifiesWithThePublicKey() throws IOException {
        Map<String, Object> reusable = load("deployer.yml");
        Map<String, Object> build = map(map(reusable, "jobs"), "build");
        Map<String, Object> deploy = map(map(reusable, "jobs"), "deploy");
        assertEquals("${{ !startsWith(github.event_name, 'pull_request') && inputs.signing-environment || '' }}",
                build.get("environment"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) build.get("steps");
        List<String> withKey = steps.stream().filter(step -> String.valueOf(step).contains("SIGNING_KEY"))
                .map(step -> String.valueOf(step.get("name"))).toList();
        assertEquals(List.of("Build and push (tag = commit SHA)"), withKey, "only the build step");
        assertEquals("${{ !startsWith(github.event_name, 'pull_request') && secrets.DEPLOYER_SIGNING_KEY || '' }}",
                map(steps.get(2), "env").get("DEPLOYER_SIGNING_KEY"));
        assertFalse(String.valueOf(deploy).contains("SIGNING_KEY"), "the deploy job never sees the signing key");
        assertFalse(build.containsKey("env") || reusable.containsKey("env"), "no job- or workflow-wide env");
        String text = Files.readString(WORKFLOWS.resolve("deployer.yml"));
        assertTrue(text.contains("VERIFY_PUBLIC_KEY: ${{ vars.DEPLOYER_VERIFY_PUBLIC_KEY }}"), "a variable, not a secret");
        assertTrue(text.contains("verify=(-Ddeployer.verify.publicKey=\"$RUNNER_TEMP/deployer-verify.pub.pem\")"));
        assertTrue(text.contains("-Ddeployer.release.digests=\"$DIGESTS\" \"${verify[@]}\""), "the deploy verifies");
        assertTrue(text.contains("\"${tag[@]}\" \"${verify[@]}\""), "and so does a rollback");
    }

    /**
     * The QA server is reached with {@code DOCKER_HOST=ssh://…} (Deployer tunnels it itself, see SshTunnel), its key
     * only in an agent and its host key pinned; the deploy resolves and pulls the image with the docker CLI's
     * credentials, so the job logs the docker CLI in to ghcr.io (docs/adopt.md, checked end to end except these by
     * scripts/check-adopt-guide.sh).
     */
    @Test
    void theDeployJobReachesTheEngineOverSshAndLogsInToTheRegistry() throws IOException {
        String text = Files.readString(WORKFLOWS.resolve("deployer.yml"));
        assertTrue(text.contains("ssh_host=$QA_DOCKER_HOST ssh_known=$QA_SSH_KNOWN_HOSTS ssh_key=$QA_SSH_PRIVATE_KEY"));
        assertTrue(text.contains("ssh_host=$PRODUCTION_DOCKER_HOST"), "production reaches the Swarm manager for the lock and history");
        assertTrue(text.contains("export DOCKER_HOST=\"$ssh_host\""));
        assertTrue(text.contains("printf '%s\\n' \"$ssh_known\" > ~/.ssh/known_hosts"), "the host key is pinned");
        assertTrue(text.contains("| ssh-add -"), "the key goes into an agent, never to disk");
        assertTrue(text.contains("docker login ghcr.io -u \"$GITHUB_ACTOR\" --password-stdin"));
    }

    @Test
    void releasePublishesOnVersionTagsWithPackagesWriteOnlyWherePublishing() throws IOException {
        Map<String, Object> release = load("release.yml");
        assertEquals(List.of("v*"), map(map(release, "on"), "push").get("tags"));
        assertEquals(Map.of("contents", "read"), release.get("permissions"));
        assertEquals("write", map(map(map(release, "jobs"), "publish"), "permissions").get("packages"));
        assertTrue(Files.readString(WORKFLOWS.resolve("release.yml"))
                .contains("-pl .,deploy-maven-plugin,deploy-parent-pom deploy"));
    }
}
