package dev.deployer.example;

import java.util.Map;
import java.util.Objects;

/**
 * The service's settings. They come only from environment variables: {@code PORT} (default 8080),
 * {@code REDIS_HOST} (default {@code redis}), {@code REDIS_PORT} (default 6379), {@code REDIS_PASSWORD}
 * (required) and {@code APP_VERSION} (default {@code unknown}).
 *
 * <p>{@link #toString()} never shows the password.
 */
public record Config(String bindAddress, int port, String redisHost, int redisPort, String redisPassword,
        String appVersion) {

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final String DEFAULT_REDIS_HOST = "redis";
    public static final int DEFAULT_REDIS_PORT = 6379;
    public static final String DEFAULT_VERSION = "unknown";

    public Config {
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("bindAddress must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (redisHost == null || redisHost.isBlank()) {
            throw new IllegalArgumentException("redisHost must not be blank");
        }
        if (redisPort < 1 || redisPort > 65535) {
            throw new IllegalArgumentException("redisPort must be 1..65535, got " + redisPort);
        }
        if (redisPassword == null || redisPassword.isEmpty()) {
            throw new IllegalArgumentException("redisPassword must not be empty");
        }
        Objects.requireNonNull(appVersion, "appVersion");
    }

    /**
     * Reads the settings from environment variables ({@code System.getenv()} in production, a map in tests).
     *
     * @throws ConfigException naming the variable and the fix, when one is missing or malformed
     */
    public static Config fromEnvironment(Map<String, String> env) {
        int port = intVariable(env, "PORT", DEFAULT_PORT, 0);
        String bindAddress = stringVariable(env, "BIND_ADDRESS", DEFAULT_BIND_ADDRESS);
        String redisHost = stringVariable(env, "REDIS_HOST", DEFAULT_REDIS_HOST);
        int redisPort = intVariable(env, "REDIS_PORT", DEFAULT_REDIS_PORT, 1);
        String password = env.get("REDIS_PASSWORD");
        if (password == null || password.isEmpty()) {
            throw new ConfigException("REDIS_PASSWORD is not set. Set the environment variable REDIS_PASSWORD to the"
                    + " password of the Redis server (the deployment passes the secret REDIS_PASSWORD).");
        }
        String version = stringVariable(env, "APP_VERSION", DEFAULT_VERSION);
        return new Config(bindAddress, port, redisHost, redisPort, password, version);
    }

    private static String stringVariable(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int intVariable(Map<String, String> env, String name, int fallback, int min) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= 65535) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(name + " is '" + value + "', not a port number. Set " + name + " to a number from "
                + min + " to 65535, or unset it to use " + fallback + ".");
    }

    @Override
    public String toString() {
        return "Config[bindAddress=" + bindAddress + ", port=" + port + ", redis=" + redisHost + ":" + redisPort + ", redisPassword=[REDACTED], appVersion="
                + appVersion + "]";
    }

    /** A missing or malformed environment variable; the message names it and says how to fix it. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
