package dev.deployer.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void defaultsApplyWhenOnlyThePasswordIsSet() {
        Config config = Config.fromEnvironment(Map.of("REDIS_PASSWORD", "s3cret"));

        assertEquals(new Config("0.0.0.0", 8080, "redis", 6379, "s3cret", "unknown"), config);
    }

    @Test
    void everySettingComesFromItsVariable() {
        Config config = Config.fromEnvironment(Map.of("PORT", "9000", "BIND_ADDRESS", "127.0.0.1", "REDIS_HOST",
                "cache", "REDIS_PORT", "6380", "REDIS_PASSWORD", "pw", "APP_VERSION", "1.0.0"));

        assertEquals(new Config("127.0.0.1", 9000, "cache", 6380, "pw", "1.0.0"), config);
    }

    @Test
    void aMissingOrEmptyPasswordIsRefusedWithTheFix() {
        for (Map<String, String> env : new Map[] {Map.of(), Map.of("REDIS_PASSWORD", "")}) {
            Config.ConfigException error = assertThrows(Config.ConfigException.class, () -> Config.fromEnvironment(env));
            assertTrue(error.getMessage().startsWith("REDIS_PASSWORD is not set. Set the environment variable"),
                    error.getMessage());
        }
    }

    @Test
    void aPortOutOfRangeIsRefusedNamingTheVariable() {
        Config.ConfigException error = assertThrows(Config.ConfigException.class,
                () -> Config.fromEnvironment(Map.of("REDIS_PASSWORD", "pw", "REDIS_PORT", "70000")));

        assertEquals("REDIS_PORT is '70000', not a port number. Set REDIS_PORT to a number from 1 to 65535, or unset it"
                + " to use 6379.", error.getMessage());
    }

    @Test
    void toStringNeverShowsThePassword() {
        Config config = Config.fromEnvironment(Map.of("REDIS_PASSWORD", "very-secret-value"));

        assertFalse(config.toString().contains("very-secret-value"), config.toString());
        assertTrue(config.toString().contains("redisPassword=[REDACTED]"), config.toString());
    }
}
