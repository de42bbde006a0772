package dev.deployer.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;
import dev.deployer.deploy.DeployPlan;
import dev.deployer.deploy.NodePlatform;
import dev.deployer.deploy.NodeQuery;
import dev.deployer.deploy.StackFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodePlatformsTest {

    private static final NodePlatforms.Node MANAGER = new NodePlatforms.Node("n1", "amd-1", "manager", "active", "ready",
            "linux", "x86_64", Map.of("tier", "web"), Map.of());
    private static final NodePlatforms.Node ARM = new NodePlatforms.Node("n2", "arm-1", "worker", "active", "ready",
            "linux", "aarch64", Map.of("tier", "db"), Map.of("zone", "fsn1"));
    private static final NodePlatforms.Node DRAINED = new NodePlatforms.Node("n3", "arm-2", "worker", "drain", "ready",
            "linux", "aarch64", Map.of(), Map.of());
    private static final NodePlatforms.Node DOWN = new NodePlatforms.Node("n4", "arm-3", "worker", "active", "down",
            "linux", "aarch64", Map.of(), Map.of());
    private static final List<NodePlatforms.Node> ALL = List.of(MANAGER, ARM, DRAINED, DOWN);

    private static List<String> selected(String... constraints) {
        return NodePlatforms.selected(ALL, List.of(constraints)).stream().map(NodePlatform::node).toList();
    }

    @Test
    void withoutConstraintsEveryReadyActiveNode() {
        assertEquals(List.of("amd-1", "arm-1"), selected());
        assertEquals(List.of("linux/amd64", "linux/arm64"),
                NodePlatforms.selected(ALL, List.of()).stream().map(NodePlatform::platform).toList());
    }

    @Test
    void constraintsNarrowAsSwarmPlacesThem() {
        assertEquals(List.of("arm-1"), selected("node.platform.arch==aarch64"));
        assertEquals(List.of("amd-1"), selected("node.platform.arch != aarch64"));
        assertEquals(List.of("arm-1"), selected("node.labels.tier==db"));
        assertEquals(List.of("amd-1"), selected("node.labels.tier!=db"));
        assertEquals(List.of("amd-1"), selected("node.role==MANAGER"));
        assertEquals(List.of("arm-1"), selected("engine.labels.zone==fsn1", "node.platform.os==linux"));
        assertEquals(List.of(), selected("node.labels.tier==db", "node.role==manager"));
        assertEquals(List.of("arm-1"), selected("node.hostname==arm-1"));
        assertEquals(List.of("amd-1", "arm-1"), selected("node.labels.missing!=x"), "an absent label differs");
    }

    @Test
    void malformedOrUnknownConstraintsFail() {
        assertEquals("Placement constraint 'node.role' is not key==value or key!=value",
                assertThrows(DeployerException.class, () -> selected("node.role")).problem());
        assertEquals("Placement constraint key 'node.color' is unknown",
                assertThrows(DeployerException.class, () -> selected("node.color==red")).problem());
    }

    private static DeployPlan plan(String stackText) {
        Path dir = Path.of("target/deployer/qa");
        return new DeployPlan("shop", "qa", new ImageRef("registry.example/acme/shop", "abc", "sha256:" + "a".repeat(64)), dir,
                dir.resolve("stack.yml"), StackFiles.services(stackText, "stack.yml"), List.of(), Duration.ofMinutes(1), stackText);
    }

    @Test
    void theSwarmQuerySelectsTheAppServicesNodesByTheirPlacementConstraintsAndReadsOnlyWhenRun() {
        DeployPlan plan = plan("""
                services:
                  app:
                    image: registry.example/acme/shop:abc@sha256:%s
                    deploy:
                      placement:
                        constraints:
                          - node.labels.tier==db
                  redis:
                    image: redis:7
                    deploy:
                      placement:
                        constraints: [node.role==manager]
                """.formatted("a".repeat(64)));
        AtomicInteger reads = new AtomicInteger();

        NodeQuery query = NodePlatforms.swarmQuery(plan, () -> {
            reads.incrementAndGet();
            return ALL;
        });

        assertEquals(0, reads.get(), "building the query reads nothing (a dry run prints it)");
        assertEquals("service app's nodes", query.where());
        assertEquals(NodePlatforms.DESCRIBE_NODES + "\n# app: the ready, active nodes matching node.labels.tier==db",
                query.display());
        assertEquals(List.of("linux/arm64"), query.read().get().stream().map(NodePlatform::platform).toList(),
                "redis's constraint is not the app's");
        assertEquals(1, reads.get());
    }

    @Test
    void withoutAnAppServiceEveryReadyActiveNodeOfTheSwarm() {
        NodeQuery query = NodePlatforms.swarmQuery(plan("services:\n  web:\n    image: nginx:1\n"), () -> ALL);

        assertEquals("the Swarm's nodes", query.where());
        assertEquals(List.of("amd-1", "arm-1"), query.read().get().stream().map(NodePlatform::node).toList());
    }
}
