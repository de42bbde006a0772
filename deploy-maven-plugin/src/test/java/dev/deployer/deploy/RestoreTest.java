package dev.deployer.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class RestoreTest {

    private static final String STACK = """
            services:
              proxy:
                image: caddy:new
                depends_on: [web, redis]
              web:
                image: acme/web:new
                depends_on:
                  redis:
                    condition: service_healthy
              redis:
                image: redis:7
            """;

    @Test
    void whatRanBeforeIsRestoredWithItsImagesAndNothingWaitsForAServiceThatDidNotRun() {
        StackState before = new StackState("shop", List.of(
                new StackState.ServiceState("proxy", "caddy:old", "sha256:" + "a".repeat(64), 1),
                new StackState.ServiceState("redis", "redis:7", "sha256:" + "b".repeat(64), 1)));

        Map<String, Map<String, Object>> services = services(Restore.withImages(STACK, before));

        assertEquals(List.of("proxy", "redis"), List.copyOf(services.keySet()));
        assertEquals("caddy:old", services.get("proxy").get("image"));
        assertEquals(List.of("redis"), services.get("proxy").get("depends_on"));
    }

    @Test
    void aDependsOnLeftEmptyIsDropped() {
        StackState before = new StackState("shop", List.of(
                new StackState.ServiceState("proxy", "caddy:old", "sha256:" + "a".repeat(64), 1),
                new StackState.ServiceState("web", "acme/web:old", "sha256:" + "c".repeat(64), 1)));

        Map<String, Map<String, Object>> services = services(Restore.withImages(STACK, before));

        assertEquals(List.of("web"), services.get("proxy").get("depends_on"));
        assertEquals(false, services.get("web").containsKey("depends_on"), services.get("web").toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services(String text) {
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        return (Map<String, Map<String, Object>>) root.get("services");
    }
}
