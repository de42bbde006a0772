package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackFilesTest {

    private static final String STACK = """
            version: "3.8"
            services:
              proxy:
                image: proxy:1
                depends_on: [frontend]
              frontend:
                image: web:1
                depends_on:
                  backend:
                    condition: service_healthy
              backend:
                image: app:1
                depends_on: [db, cache]
                healthcheck: {test: ["CMD", "true"]}
              db:
                image: postgres:16
              cache:
                image: redis:7
                environment:
                  PASSWORD: ${REDIS_PASSWORD}
                  OTHER: "${API_KEY:-none}"
            """;

    @Test
    void groupsFollowTheDependsOnOrder() {
        List<StackService> services = StackFiles.services(STACK, "stack.yml");
        assertEquals(List.of(List.of("db", "cache"), List.of("backend"), List.of("frontend"), List.of("proxy")),
                StackFiles.groups(services, "stack.yml"));
        assertTrue(services.get(2).healthCheck());
    }

    @Test
    void anExplicitGroupLabelWins() {
        String text = """
                services:
                  app:
                    image: app:1
                    labels: ["dev.deployer.group=0"]
                  redis:
                    image: redis:7
                    deploy:
                      labels:
                        dev.deployer.group: "1"
                """;
        assertEquals(List.of(List.of("app"), List.of("redis")), StackFiles.groups(StackFiles.services(text, "s.yml"), "s.yml"));
    }

    @Test
    void aCycleIsAnErrorNamingIt() {
        String text = """
                services:
                  a: {image: a, depends_on: [b]}
                  b: {image: b, depends_on: [a]}
                """;
        DeployerException e = assertThrows(DeployerException.class, () -> StackFiles.groups(StackFiles.services(text, "s.yml"), "s.yml"));
        assertTrue(e.getMessage().startsWith("s.yml: depends_on forms a cycle: a -> b -> a"), e.getMessage());
    }

    @Test
    void anUnknownDependencyAndAMissingServicesBlockAreErrors() {
        assertThrows(DeployerException.class, () -> StackFiles.groups(StackFiles.services("services:\n  a: {image: a, depends_on: [x]}\n", "s"), "s"));
        DeployerException e = assertThrows(DeployerException.class, () -> StackFiles.services("version: '3'\n", "stack.yml"));
        assertTrue(e.getMessage().contains("no 'services:'"));
    }

    @Test
    void placeholdersAreTheSecretNames() {
        assertEquals(List.of("REDIS_PASSWORD", "API_KEY"), StackFiles.placeholders(STACK));
    }
}
