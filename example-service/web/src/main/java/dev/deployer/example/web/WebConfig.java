package dev.deployer.example.web;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * The front end's settings, only from environment variables: {@code PORT} (default 8080), {@code BIND_ADDRESS}
 * (default {@code 0.0.0.0}), {@code API_URL} (default {@code http://api:8080}, the api's service name on the stack
 * network) and {@code APP_VERSION} (default {@code unknown}).
 */
public record WebConfig(String bindAddress, int port, URI apiUrl, String appVersion) {

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final String DEFAULT_API_URL = "http://api:8080";
    public static final String DEFAULT_VERSION = "unknown";

    public WebConfig {
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("bindAddress must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(appVersion, "appVersion");
    }

    /**
     * Reads the settings from environment variables ({@code System.getenv()} in production, a map in tests).
     *
     * @throws ConfigException naming the variable and the fix, when one is malformed
     */
    public static WebConfig fromEnvironment(Map<String, String> env) {
        String bindAddress = stringVariable(env, "BIND_ADDRESS", DEFAULT_BIND_ADDRESS);
        int port = portVariable(env);
        URI apiUrl = apiUrl(stringVariable(env, "API_URL", DEFAULT_API_URL));
        String version = stringVariable(env, "APP_VERSION", DEFAULT_VERSION);
        return new WebConfig(bindAddress, port, apiUrl, version);
    }

    private static URI apiUrl(String value) {
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        try {
            URI uri = URI.create(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException("API_URL is '" + value + "', not the base URL of the api. Set API_URL to"
                + " http://HOST:PORT (no path), or unset it to use " + DEFAULT_API_URL + ".");
    }

    private static String stringVariable(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int portVariable(Map<String, String> env) {
        String value = env.get("PORT");
        if (value == null || value.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 0 && parsed <= 65535) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("PORT is '" + value + "', not a port number. Set PORT to a number from 0 to 65535,"
                + " or unset it to use " + DEFAULT_PORT + ".");
    }

    /** A malformed environment variable; the message names it and says how to fix it. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
