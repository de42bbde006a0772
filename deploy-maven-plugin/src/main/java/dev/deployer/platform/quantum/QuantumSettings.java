package dev.deployer.platform.quantum;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What quantum-cli needs from the environment, read once and checked before anything remote changes:
 * the credentials ({@code QUANTUM_API_KEY}, or the deprecated {@code QUANTUM_USER} + {@code QUANTUM_PASSWORD}),
 * the endpoint ({@code QUANTUM_ENDPOINT}) and optionally the API host ({@code QUANTUM_HOST}).
 *
 * <p>Credentials exist only as {@link Secret}s and reach quantum-cli only through its environment.
 *
 * @param endpoint  the Quantum endpoint (a Swarm cluster) to deploy to
 * @param host      the API host override, or null
 * @param user      the user name of the deprecated user/password login, or null with an API key
 * @param secrets   {@code QUANTUM_API_KEY}, or {@code QUANTUM_PASSWORD}
 */
public record QuantumSettings(String endpoint, String host, String user, List<Secret> secrets) {

    public static final String API_KEY = "QUANTUM_API_KEY";
    public static final String USER = "QUANTUM_USER";
    public static final String PASSWORD = "QUANTUM_PASSWORD";
    public static final String ENDPOINT = "QUANTUM_ENDPOINT";
    public static final String HOST = "QUANTUM_HOST";
    public static final String STACK = "QUANTUM_STACK";

    public QuantumSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!endpoint.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new DeployerException("QUANTUM_ENDPOINT '" + endpoint + "' is not an endpoint name", ENDPOINT,
                    "set QUANTUM_ENDPOINT to the endpoint's name as 'quantum-cli endpoints ls' lists it");
        }
        secrets = List.copyOf(secrets);
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("quantum-cli needs a credential");
        }
    }

    /**
     * Reads the settings from {@code env}; a missing or half-given credential or endpoint is a
     * {@link DeployerException} naming the variable. The deprecated user/password login logs a warning.
     */
    public static QuantumSettings fromEnvironment(Function<String, String> env, Log log) {
        String endpoint = value(env, ENDPOINT);
        if (endpoint == null) {
            throw new DeployerException("QUANTUM_ENDPOINT is not set", ENDPOINT,
                    "set QUANTUM_ENDPOINT to the Quantum endpoint to deploy to (e.g. as a GitHub environment variable)");
        }
        String apiKey = secret(env, API_KEY);
        String user = value(env, USER);
        String password = secret(env, PASSWORD);
        if (apiKey != null) {
            return new QuantumSettings(endpoint, value(env, HOST), null, List.of(Secret.of(API_KEY, apiKey)));
        }
        if (user == null && password == null) {
            throw new DeployerException("No Quantum credentials: QUANTUM_API_KEY is not set", API_KEY,
                    "set QUANTUM_API_KEY from a secret (or the deprecated QUANTUM_USER and QUANTUM_PASSWORD)");
        }
        if (user == null || password == null) {
            String missing = user == null ? USER : PASSWORD;
            throw new DeployerException(missing + " is not set, but " + (user == null ? PASSWORD : USER) + " is",
                    missing, "set both QUANTUM_USER and QUANTUM_PASSWORD, or better QUANTUM_API_KEY alone");
        }
        log.warn("Logging in to Quantum with QUANTUM_USER/QUANTUM_PASSWORD, which quantum-cli deprecates: "
                + "use QUANTUM_API_KEY instead");
        return new QuantumSettings(endpoint, value(env, HOST), user, List.of(Secret.of(PASSWORD, password)));
    }

    /** The plain (non-secret) variables quantum-cli reads. */
    public Map<String, String> plainEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENDPOINT, endpoint);
        if (host != null) {
            env.put(HOST, host);
        }
        if (user != null) {
            env.put(USER, user);
        }
        return env;
    }

    /** What to mask and pass as secrets: the credential. */
    public List<Secret> credentialSecrets() {
        return new ArrayList<>(secrets);
    }

    /** A secret as given: its blanks may be part of it. */
    private static String secret(Function<String, String> env, String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static String value(Function<String, String> env, String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
