package dev.deployer.example.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

class WebConfigTest {

    @Test
    void defaultsReachTheApiByItsServiceName() {
        WebConfig config = WebConfig.fromEnvironment(Map.of());

        assertEquals(new WebConfig("0.0.0.0", 8080, URI.create("http://api:8080"), "unknown"), config);
    }

    @Test
    void readsEveryVariableAndDropsATrailingSlash() {
        WebConfig config = WebConfig.fromEnvironment(Map.of("PORT", "9090", "BIND_ADDRESS", "127.0.0.1",
                "API_URL", "http://backend:8081/", "APP_VERSION", " abc123 "));

        assertEquals(new WebConfig("127.0.0.1", 9090, URI.create("http://backend:8081"), "abc123"), config);
    }

    @Test
    void aMalformedPortNamesTheVariableAndTheRange() {
        WebConfig.ConfigException error = assertThrows(WebConfig.ConfigException.class,
                () -> WebConfig.fromEnvironment(Map.of("PORT", "70000")));

        assertEquals("PORT is '70000', not a port number. Set PORT to a number from 0 to 65535, or unset it to use 8080.",
                error.getMessage());
    }

    @Test
    void anApiUrlWithAPathOrWithoutSchemeIsRefused() {
        for (String bad : new String[] {"api:8080", "http://api:8080/hits", "ftp://api", "http://", "http://api:8080?x=1"}) {
            WebConfig.ConfigException error = assertThrows(WebConfig.ConfigException.class,
                    () -> WebConfig.fromEnvironment(Map.of("API_URL", bad)), bad);
            assertEquals("API_URL is '" + bad + "', not the base URL of the api. Set API_URL to http://HOST:PORT (no path),"
                    + " or unset it to use http://api:8080.", error.getMessage());
        }
    }
}
