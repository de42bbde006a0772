package dev.deployer.render;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zero-downtime warnings of {@link StackRules#warnings}: start-first update and rollback for the deployed image. */
class StackRulesWarningsTest {

    private static final String REPO = "127.0.0.1:5443/shop/app";

    private static List<String> warnings(String name, String yaml) {
        return StackRules.warnings(new RenderedFile(Path.of("/p/target/deployer/qa/" + name), name, "src/main/deploy/" + name + ".vm", yaml),
                "target/deployer/qa/" + name, REPO);
    }

    @Test
    void startFirstUpdateAndRollbackGiveNoWarning() {
        assertEquals(List.of(), warnings("stack.yml", """
                version: '3.8'
                services:
                  app:
                    image: 127.0.0.1:5443/shop/app:abc@sha256:0123
                    deploy:
                      update_config: {order: start-first, failure_action: rollback, monitor: 10s}
                      rollback_config: {order: start-first}
                  redis:
                    image: redis:7
                """));
    }

    @Test
    void missingConfigAndStopFirstAreWarnedWithFileLineAndFix() {
        List<String> found = warnings("stack.yml", """
                version: '3.8'
                services:
                  redis:
                    image: redis:7
                  app:
                    image: 127.0.0.1:5443/shop/app:abc
                    deploy:
                      update_config:
                        order: stop-first
                """);
        assertEquals(2, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("target/deployer/qa/stack.yml:8:7: Swarm service app (the deployed image) uses order: stop-first"
                + " in deploy.update_config"), found.get(0));
        assertTrue(found.get(0).contains("Fix: give it deploy.update_config with order: start-first, failure_action: rollback"), found.get(0));
        assertTrue(found.get(1).startsWith("target/deployer/qa/stack.yml:7:5: Swarm service app (the deployed image) has no deploy.rollback_config"),
                found.get(1));
    }

    @Test
    void defaultOrderIsStopFirstAndOnlyTheDeployedImageCounts() {
        List<String> found = warnings("stack.yml", """
                version: '3.8'
                services:
                  app:
                    image: 127.0.0.1:5443/shop/app:abc
                    deploy:
                      update_config: {failure_action: rollback}
                      rollback_config: {order: start-first}
                  other:
                    image: 127.0.0.1:5443/shop/other:1
                """);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).contains("uses the default order stop-first in deploy.update_config"), found.get(0));
    }

    @Test
    void plainComposeFilesAreNotSwarmStacks() {
        assertEquals(List.of(), warnings("docker-compose.yml", """
                services:
                  app:
                    image: 127.0.0.1:5443/shop/app:abc
                """));
    }
}
