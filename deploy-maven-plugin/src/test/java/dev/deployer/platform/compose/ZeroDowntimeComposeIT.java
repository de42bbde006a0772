package dev.deployer.platform.compose;

import dev.deployer.core.CommandRunner;
import dev.deployer.deploy.AbstractZeroDowntimeScenarioTest;
import dev.deployer.deploy.DeployFailedException;
import dev.deployer.deploy.DeploymentResult;
import dev.deployer.deploy.fixture.Scenario;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero downtime on Compose (blue/green behind the Caddy proxy, see {@link AbstractZeroDowntimeScenarioTest}): a new
 * version, a refused broken one (its container starts beside the old one and never receives a request: Docker's DNS
 * would list it, the proxy is pinned to the old ones) and {@code deployer:rollback}. First, a stack adopting the label
 * while its running proxy cannot be steered (admin API off): the app is replaced in place with a warning, and the
 * deploys after it are blue/green. Own project {@code zdt-compose}, port 18520.
 */
class ZeroDowntimeComposeIT extends AbstractZeroDowntimeScenarioTest {

    private static final String STACK = "zdt-compose";

    /**
     * The stack runs v2 behind a proxy without its admin API (an earlier proxy configuration); the deploy of v1 with the
     * template whose proxy has its admin API cannot steer the running proxy: it replaces the app in place, says so in
     * one warning, succeeds, and replaces the proxy (the next deploys, the tests after this one, are blue/green).
     */
    @Test
    @Order(0)
    void aRunningProxyThatCannotBeSteeredMeansAnInPlaceReplaceWithAWarning() throws Exception {
        Scenario earlier = new Scenario(targetName(), STACK, port(), "compose-proxy-admin-off", scenario.deployerDir(), scenario.env());
        assertEquals(DeploymentResult.Outcome.DEPLOYED, earlier.deployment(log, "redis").deploy(request("v2")).outcome());
        assertEquals("v2", get("/version"));
        String proxy = proxyContainer();

        int from = log.lines().size();
        DeploymentResult result = deploy("v1", "redis");
        List<String> lines = log.lines().subList(from, log.lines().size());

        assertEquals(DeploymentResult.Outcome.DEPLOYED, result.outcome());
        String warning = "[WARN] app: the running proxy 'proxy' cannot be steered: its admin API does not answer (The proxy's"
                + " admin API (http://127.0.0.1:2019 in container " + proxy + ") refused GET /config/ (exit code 1): wget: can't"
                + " connect to remote host (127.0.0.1): Connection refused). app is replaced in place this time (stopped, then"
                + " started); once the proxy runs with its admin API on and 'reverse_proxy app:<port>' (docs/deploy.md, Zero"
                + " downtime), its deploys are blue/green";
        assertTrue(lines.contains(warning), "the warning, exactly, in:\n" + String.join("\n", lines));
        assertEquals(1, lines.stream().filter(line -> line.startsWith("[WARN]")).count(), String.join("\n", lines));
        assertEquals("v1", get("/version"));
        String replaced = proxyContainer();
        assertTrue(!replaced.equals(proxy), "the proxy was replaced by the one with its admin API");
        assertTrue(docker("exec", replaced, "wget", "-qO-", "http://127.0.0.1:2019/config/").contains("app:8080"),
                "the new proxy's admin API answers with its route to the app");
    }

    /**
     * A switch-over that fails after it pinned the proxy to the new container (its {@code docker stop} of the old one
     * fails once: an engine that did not answer, or an interruption at that moment) leaves the old container with its
     * requests in flight. The restore finds it older than the pinned one: it stops it with the grace period (SIGTERM:
     * the slow request finishes on v1) rather than removing it at once, and brings v1 back blue/green.
     */
    @Test
    @Order(4)
    void aSwitchOverThatFailsAfterThePinLetsTheOldContainerFinishItsRequestsInTheRestore() throws Exception {
        // v1 runs (already, after the tests before this one)
        assertTrue(Set.of(DeploymentResult.Outcome.DEPLOYED, DeploymentResult.Outcome.UNCHANGED).contains(deploy("v1", "redis").outcome()));
        AtomicBoolean injected = new AtomicBoolean();
        int from = log.lines().size();
        Held<DeploymentResult> held = whileHeld(() -> scenario.deployment(log, "redis", real -> (command, timeout) -> {
            List<String> argv = command.argv();
            if (argv.size() > 2 && argv.get(0).equals("docker") && argv.get(1).equals("stop") && injected.compareAndSet(false, true)) {
                return new CommandRunner.Result(1, "injected: the engine did not answer");
            }
            return real.run(command, timeout);
        }).deploy(request("v2")), false);
        List<String> lines = log.lines().subList(from, log.lines().size());

        DeployFailedException failure = assertThrows(DeployFailedException.class, held::result);
        assertTrue(injected.get(), "the switch-over's docker stop failed once");
        assertTrue(failure.rolledBack(), failure.getMessage());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("[INFO] app: stopping [") && line.contains(": they served before"
                + " the proxy was pinned to [")), String.join("\n", lines));
        assertTrue(held.drained(), "v1 got SIGTERM from the restore with the slow request in flight");
        assertEquals(200, held.slow().statusCode(), held.slow().body());
        assertEquals("v1", held.slow().body(), "the request in flight on v1 finished there");
        assertEquals("v1", get("/version"));
    }

    /** The v2 deploy after the proxy got its admin API started v2 beside v1, the proxy pinned to v1. */
    @Override
    protected void assertReplacedBeside(List<String> lines) {
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("[INFO] app: the proxy 'proxy' is pinned to ")
                && line.endsWith("; starting 1 new container(s) beside them")), String.join("\n", lines));
    }

    /** Deployer's own {@code docker stop --time <stop_grace_period>} kills the old container after the grace period. */
    @Override
    protected boolean outlastingRequestIsCut() {
        return true;
    }

    private static String proxyContainer() {
        return docker("ps", "-q", "--no-trunc", "--filter", "label=com.docker.compose.project=" + STACK, "--filter",
                "label=com.docker.compose.service=proxy").strip();
    }

    @Override
    protected String targetName() {
        return "compose";
    }

    @Override
    protected String stackName() {
        return STACK;
    }

    @Override
    protected int port() {
        return 18520;
    }

    @Override
    protected String template() {
        return "compose-proxy";
    }

    @Override
    protected List<String> appFilters() {
        return List.of("label=com.docker.compose.project=" + STACK, "label=com.docker.compose.service=app");
    }

    @Override
    protected List<String> redisFilters() {
        return List.of("label=com.docker.compose.project=" + STACK, "label=com.docker.compose.service=redis");
    }
}
