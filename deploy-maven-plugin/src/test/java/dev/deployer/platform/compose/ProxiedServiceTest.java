package dev.deployer.platform.compose;

import dev.deployer.core.DeployerException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxiedServiceTest {

    @Test
    void theLabelOptsAServiceInWithItsScaleAndGracePeriod() {
        String stack = """
                services:
                  redis:
                    image: redis:7
                  app:
                    image: shop
                    labels:
                      dev.deployer.proxy: proxy
                    deploy:
                      replicas: 2
                    stop_grace_period: 1m30s
                  worker:
                    image: shop
                    labels: ["dev.deployer.proxy=proxy"]
                    scale: 3
                  proxy:
                    image: caddy
                """;

        assertEquals(List.of(new ProxiedService("app", "proxy", 2, Duration.ofSeconds(90)),
                new ProxiedService("worker", "proxy", 3, Duration.ofSeconds(10))), ProxiedService.of(stack, "stack.yml"));
    }

    @Test
    void withoutTheLabelNothingIsBehindAProxy() {
        assertEquals(List.of(), ProxiedService.of("services:\n  app:\n    image: shop\n  proxy:\n    image: caddy\n", "stack.yml"));
    }

    @Test
    void aProxyThatIsNotInTheStackIsRefusedBeforeAnythingRuns() {
        DeployerException e = assertThrows(DeployerException.class, () -> ProxiedService.of(
                "services:\n  app:\n    image: shop\n    labels:\n      dev.deployer.proxy: caddy\n", "stack.yml"));
        assertTrue(e.getMessage().contains("no other service 'caddy'"), e.getMessage());
    }

    @Test
    void aFixedContainerNameCannotRunTwice() {
        DeployerException e = assertThrows(DeployerException.class, () -> ProxiedService.of("services:\n  app:\n    image: shop\n"
                + "    container_name: shop\n    labels:\n      dev.deployer.proxy: proxy\n  proxy:\n    image: caddy\n", "stack.yml"));
        assertTrue(e.getMessage().contains("container_name"), e.getMessage());
    }

    @Test
    void composeDurations() {
        assertEquals(Duration.ofMillis(1500), ProxiedService.stopGrace("1.5s", "app", "f"));
        assertEquals(Duration.ofSeconds(20), ProxiedService.stopGrace(20, "app", "f"));
        assertEquals(Duration.ofMillis(500), ProxiedService.stopGrace("500ms", "app", "f"));
        assertThrows(DeployerException.class, () -> ProxiedService.stopGrace("soon", "app", "f"));
        assertEquals(2, new ProxiedService("app", "proxy", 1, Duration.ofMillis(1500)).stopSeconds());
    }
}
