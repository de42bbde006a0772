package dev.deployer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentsTest {

    private static Environments of(String environment, Map<String, String> properties) {
        return new Environments(environment, "shop", properties::get);
    }

    @Test
    void qaIsComposeOnAStackNamedAfterTheArtifactAndPushes() {
        Environments qa = of("qa", Map.of());
        assertEquals("compose", qa.value(Environments.TARGET, null));
        assertEquals("shop-qa", qa.value(Environments.STACK, null));
        assertTrue(qa.push(null));
        assertNull(qa.value(Environments.HEALTH_URL, null));
        assertEquals("main,master", qa.value(Environments.ALLOWED_REFS, null));
    }

    @Test
    void productionIsQuantumAndLeavesTheStackToQuantumStackOrTheArtifactId() {
        Environments production = of("production", Map.of());
        assertEquals("quantum", production.value(Environments.TARGET, null));
        assertNull(production.value(Environments.STACK, null));
        assertTrue(production.push(null));
        assertEquals("main,master", production.value(Environments.ALLOWED_REFS, null));
    }

    @Test
    void localBuildsATarballForCompose() {
        Environments local = of("local", Map.of());
        assertEquals("compose", local.value(Environments.TARGET, null));
        assertFalse(local.push(null));
        assertNull(local.value(Environments.STACK, null));
    }

    @Test
    void theEnvironmentsPropertyOverridesTheTableAndTheExplicitValueOverridesBoth() {
        Environments qa = of("qa", Map.of("deployer.qa.target", "swarm", "deployer.qa.healthUrl", " http://qa/health ",
                "deployer.qa.push", "false", "deployer.production.target", "compose"));
        assertEquals("swarm", qa.value(Environments.TARGET, null));
        assertEquals("http://qa/health", qa.value(Environments.HEALTH_URL, ""));
        assertFalse(qa.push(null));
        assertEquals("compose", qa.value(Environments.TARGET, "compose"));
        assertTrue(qa.push(Boolean.TRUE));
        assertEquals("swarm", qa.value(Environments.TARGET, "  "), "a blank explicit value counts as unset");
    }

    @Test
    void blankPropertiesCountAsUnset() {
        Environments production = of("production", Map.of("deployer.production.stack", "", "deployer.production.target", " "));
        assertNull(production.value(Environments.STACK, null));
        assertEquals("quantum", production.value(Environments.TARGET, null));
    }

    @Test
    void anEnvironmentOutsideTheTableUsesItsPropertiesAndTheDefaults() {
        Environments staging = of("staging", Map.of("deployer.staging.target", "swarm", "deployer.staging.push", "true"));
        assertEquals("swarm", staging.value(Environments.TARGET, null));
        assertTrue(staging.push(null));
        assertNull(staging.value(Environments.STACK, null));
        assertEquals("deployer.staging.stack", staging.property(Environments.STACK));
    }

    @Test
    void anEmptyEnvironmentIsAnError() {
        DeployerException e = assertThrows(DeployerException.class, () -> of(" ", Map.of()));
        assertTrue(e.getMessage().contains("deployer.environment"), e.getMessage());
    }
}
