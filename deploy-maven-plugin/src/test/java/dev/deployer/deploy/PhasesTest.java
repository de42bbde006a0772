package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The phase computation every target uses: labels by name or number, else depends_on depth; the phase files. */
class PhasesTest {

    private static final String STACK = """
            version: "3.8"
            services:
              web:
                image: web:2
                depends_on: [api]
                networks: [front, back]
              api:
                image: api:2
                depends_on: [db]
                environment:
                  DB_PASSWORD: ${DB_PASSWORD}
                networks: [back]
                configs: [api-config]
              db:
                image: postgres:16
                volumes: [data:/var/lib/postgresql/data]
                networks: [back]
            networks:
              front: {}
              back:
                driver: overlay
            volumes:
              data: {}
            configs:
              api-config:
                file: ./api.properties
            """;

    private static Phases phases(String text) {
        return Phases.of(StackFiles.services(text, "stack.yml"), "stack.yml");
    }

    @Test
    void dependsOnGivesThePhasesDataFirst() {
        Phases phases = phases(STACK);
        assertEquals(List.of(List.of("db"), List.of("api"), List.of("web")), phases.groups());
        assertEquals(3, phases.size());
        assertEquals(List.of("db", "api"), phases.upTo(2));
        assertEquals("1: db; 2: api; 3: web", phases.toString());
    }

    @Test
    void theGroupLabelTakesNamesAndNumbersInEitherLabelForm() {
        String text = """
                services:
                  proxy: {image: p, labels: ["dev.deployer.group=proxy"]}
                  web: {image: w, deploy: {labels: {dev.deployer.group: Frontend}}}
                  api: {image: a, labels: {dev.deployer.group: backend}}
                  worker: {image: k, labels: {dev.deployer.group: "1"}}
                  redis: {image: r, deploy: {labels: ["dev.deployer.group=data"]}}
                """;
        assertEquals(List.of(List.of("redis"), List.of("api", "worker"), List.of("web"), List.of("proxy")), phases(text).groups());
    }

    @Test
    void aLabelOverridesTheDependsOnDepthAndServicesWithoutEitherAreFirst() {
        String text = """
                services:
                  api: {image: a, depends_on: [redis], labels: ["dev.deployer.group=7"]}
                  redis: {image: r}
                  web: {image: w, depends_on: [api]}
                """;
        // redis depth 0, web depth 2, api label 7
        assertEquals(List.of(List.of("redis"), List.of("web"), List.of("api")), phases(text).groups());
    }

    @Test
    void aStackWithoutDependenciesIsOnePhase() {
        assertTrue(phases("services:\n  a: {image: a}\n  b: {image: b}\n").single());
    }

    @Test
    void anUnknownLabelValueIsAnErrorNamingTheServiceAndTheChoices() {
        DeployerException e = assertThrows(DeployerException.class,
                () -> StackFiles.services("services:\n  a: {image: a, labels: [\"dev.deployer.group=backends\"]}\n", "stack.yml"));
        assertTrue(e.getMessage().contains("Service 'a': label dev.deployer.group=backends"), e.getMessage());
        assertTrue(e.fix().contains("data, backend, frontend or proxy"), e.fix());
        assertThrows(DeployerException.class, () -> StackFiles.services("services:\n  a: {image: a, labels: [\"dev.deployer.group=-1\"]}\n", "s"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCumulativeFileHoldsPhasesOneToKAndEveryTopLevelSection() {
        Phases phases = phases(STACK);
        Map<String, Object> two = new Yaml(new SafeConstructor(new LoaderOptions())).load(phases.cumulativeText(STACK, 2, "stack.yml"));
        assertEquals(List.of("api", "db"), List.copyOf(((Map<String, Object>) two.get("services")).keySet()), "file order kept");
        assertEquals(List.of("version", "services", "networks", "volumes", "configs"), List.copyOf(two.keySet()));
        assertEquals(List.of("db"), ((Map<String, Object>) ((Map<String, Object>) two.get("services")).get("api")).get("depends_on"));
        assertEquals(List.of("DB_PASSWORD"), StackFiles.placeholders(phases.cumulativeText(STACK, 2, "stack.yml")));
        assertEquals(List.of("db", "api", "web"), phases.upTo(3));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPhaseFileHoldsThatPhaseAloneWithoutDependenciesOnServicesLeftOut() {
        Phases phases = phases(STACK);
        Map<String, Object> three = new Yaml(new SafeConstructor(new LoaderOptions())).load(phases.phaseText(STACK, 3, "stack.yml"));
        Map<String, Object> services = (Map<String, Object>) three.get("services");
        assertEquals(List.of("web"), List.copyOf(services.keySet()));
        assertFalse(((Map<String, Object>) services.get("web")).containsKey("depends_on"));
        assertTrue(three.containsKey("networks"));
    }

    @Test
    void phaseFilesAreNamedAfterTheStackFile() {
        assertEquals("stack.phase-1.yml", Phases.fileName(Path.of("/x/qa/stack.yml"), 1));
        assertEquals("quantum.phase-2.yml", Phases.fileName(Path.of("quantum.yaml"), 2));
        assertEquals("stack.yml.rollback.phase-3.yml", Phases.fileName(Path.of("stack.yml.rollback.yml"), 3));
    }
}
