package dev.deployer.platform.compose;

import dev.deployer.core.DeployerException;
import dev.deployer.deploy.AbstractRegistryFaultsTest;
import dev.deployer.deploy.DeployFailedException;
import dev.deployer.deploy.fixture.TestImages;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The registry's faults on Compose (docs/faults.md); and an untrusted TLS certificate, which concerns Deployer only. */
class ComposeRegistryFaultsIT extends AbstractRegistryFaultsTest {

    @Override
    protected String targetName() {
        return "compose";
    }

    @Override
    protected String stackName() {
        return "tfault2-reg-compose";
    }

    @Override
    protected int hostPort() {
        return 18480;
    }

    @Override
    protected String template() {
        return "compose";
    }

    /** Compose pulls every image before it starts anything: a failed pull stops the deploy before anything changed. */
    @Override
    protected void assertPullTimeFailure(DeployerException failure, String registry, int historyBefore) {
        assertFalse(failure instanceof DeployFailedException, "nothing to restore: " + failure.getMessage());
        assertTrue(failure.getMessage().contains("stopped before anything changed: 'Pulling "), failure.getMessage());
        assertTrue(failure.getMessage().contains("from registry " + registry + "' failed"), "the registry is named: " + failure.getMessage());
        assertTrue(failure.getMessage().contains("Nothing was changed: what ran before still runs: "), failure.getMessage());
        assertTrue(failure.getMessage().contains("docker login <registry>"), "the fix: " + failure.getMessage());
        assertEquals(historyBefore, new dev.deployer.deploy.DeployHistory(scenario.target(dev.deployer.core.Log.silent()).store())
                .entries(stackName()).size(), "nothing recorded: nothing changed");
    }

    /**
     * A private registry (its own port, self-signed certificate and htpasswd) whose certificate Java does not trust:
     * Deployer's own look-up of {@code -Ddeployer.tag} stops before the lock. (The engine treats 127.0.0.0/8 as an
     * insecure registry and would pull from it anyway; on another address it refuses it at pull time, as a down one.)
     */
    @Test
    @Order(5)
    void anUntrustedCertificateIsFoundBeforeTheLock() throws Exception {
        int port = deadPort(hostPort() + 8);
        Path dir = Files.createDirectories(temp().resolve("private-registry"));
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", dir.resolve("key.pem").toString(),
                "-out", dir.resolve("cert.pem").toString()), dir);
        run(List.of("htpasswd", "-Bbc", dir.resolve("htpasswd").toString(), "tfault2", "tfault2-private-" + Instant.now().toEpochMilli()), dir);
        Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log:
                  level: error
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                  tls:
                    certificate: %s
                    key: %s
                auth:
                  htpasswd:
                    realm: tfault2
                    path: %s
                """.formatted(dir.resolve("data"), port, dir.resolve("cert.pem"), dir.resolve("key.pem"), dir.resolve("htpasswd")));
        Process registry = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        try {
            awaitListening(port, registry, dir.resolve("registry.log"));
            String repository = "127.0.0.1:" + port + "/tdeploy/counter";
            DeployerException failure = deployFails(Map.of(), repository, TestImages.sha("v3"));
            assertFalse(failure instanceof DeployFailedException, failure.getMessage());
            assertTrue(failure.getMessage().contains("Registry 127.0.0.1:" + port + " presents a TLS certificate that Java does not trust"),
                    failure.getMessage());
            assertTrue(failure.getMessage().contains("keytool -importcert"), "the fix: " + failure.getMessage());
        } finally {
            registry.destroy();
            if (!registry.waitFor(30, TimeUnit.SECONDS)) {
                registry.destroyForcibly().waitFor();
            }
        }
    }

    private static void awaitListening(int port, Process registry, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (!registry.isAlive() || Instant.now().isAfter(deadline)) {
                    fail("the private registry did not start on " + port + ":\n" + Files.readString(log));
                }
                Thread.sleep(100); // poll interval of a bounded wait for the port, not synchronisation by sleeping
            }
        }
    }

    private static void run(List<String> command, Path dir) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("setup.log").toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0,
                String.join(" ", command) + ":\n" + Files.readString(dir.resolve("setup.log")));
    }
}
