package dev.deployer.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import dev.deployer.core.DeployerException;
import dev.deployer.core.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Asks a registry's {@code /v2/} endpoint, within a few seconds, whether it is reachable over trusted TLS and
 * accepts the credential: Jib alone retries an unreachable or untrusted registry for about a minute. Follows the
 * registry's challenge: HTTP Basic (e.g. a private {@code docker-registry} with htpasswd) or a Bearer token
 * service (ghcr.io, Docker Hub), asking the token service for the scope the build needs.
 */
public final class RegistryProbe {

    /** The whole probe, every request included, ends within this. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(6);

    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final Duration budget;
    /** One client for all probes of a build: a second probe of the same registry reuses the TLS connection. */
    private final HttpClient client;
    /** For requests that carry a Basic credential: never sent on to wherever a redirect points. */
    private final HttpClient noRedirects;

    public RegistryProbe(Duration budget) {
        this.budget = budget;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(budget)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.noRedirects = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(budget)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private static URI tokenUri(String realm, String query, String registry, String parameter) {
        try {
            URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("not an absolute URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new DeployerException("Registry " + registry + " names the token service '" + realm
                    + "', which is not an absolute URL", parameter, "check the registry address in " + parameter);
        }
    }

    /**
     * Basic credentials go to a token service (the challenge's {@code realm}) only over https: never in clear text over
     * http, whether the realm is the registry's own host or another one (where https is what keeps them between the
     * two parties the registry named). Anything else is refused before the credential leaves this machine.
     */
    static void requireSafeRealm(URI realm, String registry, String parameter) {
        if (!"https".equalsIgnoreCase(realm.getScheme())) {
            String where = hostOf(registry).equalsIgnoreCase(realm.getHost()) ? "the registry's own host" : "another host, " + realm.getHost();
            throw new DeployerException("Registry " + registry + " asks for the credential to be sent to the token service "
                    + realm.getScheme() + "://" + realm.getAuthority() + realm.getPath() + " (" + where
                    + ") without TLS; Deployer sends credentials to a token service only over https", parameter,
                    "configure the registry's token auth realm with an https:// URL (auth.token.realm in the registry's config)");
        }
    }

    private static String hostOf(String registry) {
        int colon = registry.lastIndexOf(':');
        return colon > 0 && !registry.endsWith("]") ? registry.substring(0, colon) : registry;
    }

    public RegistryProbe() {
        this(DEFAULT_BUDGET);
    }

    /** What {@link #read} opens: the repository's registry and path, and a read-only session on it. */
    public record Reading(String registry, String path, RegistrySession session) {
    }

    /**
     * A read-only session on the registry of {@code repository} ({@code host[:port]/path}), with the credential
     * {@code credentials} finds for it; a repository that is not one fails naming {@code parameter}.
     */
    public Reading read(String repository, CredentialChain credentials, String parameter) {
        ImageReference reference;
        try {
            reference = ImageReference.parse(repository);
        } catch (InvalidImageReferenceException e) {
            throw new DeployerException("'" + repository + "' is not an image repository", parameter,
                    "write it as host[:port]/path");
        }
        String registry = reference.getRegistry();
        return new Reading(registry, reference.getRepository(), check(registry, reference.getRepository(),
                credentials.find(registry, true), false, credentials.sources(registry, true), parameter));
    }

    /**
     * Checks {@code registry} (host[:port]) for access to {@code repository} ({@code pull}, or {@code pull,push}).
     *
     * @param credential the credential the build will use, if any
     * @param consulted  the credential sources looked at, named when the registry wants one and there is none
     * @param parameter  the POM parameter that names this registry, for messages
     */
    public RegistrySession check(String registry, String repository, Optional<RegistryCredential> credential,
                                 boolean push, List<String> consulted, String parameter) {
        Instant deadline = Instant.now().plus(budget);
        URI base = URI.create("https://" + registry + "/v2/");
        HttpResponse<String> first = send(client, HttpRequest.newBuilder(base), deadline, registry, parameter);
        int status = first.statusCode();
        if (status == 200) {
            return new RegistrySession(client, registry, Optional.empty(), parameter);
        }
        if (status != 401) {
            throw unexpected(registry, parameter, status);
        }
        String challenge = first.headers().firstValue("WWW-Authenticate").orElse("");
        String scheme = challenge.split(" ", 2)[0].toLowerCase(Locale.ROOT);
        String action = push ? "pull,push" : "pull";
        if (credential.isEmpty() && !scheme.equals("bearer")) {
            throw noCredential(registry, consulted, parameter);
        }
        HttpResponse<String> answer;
        Optional<Secret> authorization;
        if (scheme.equals("bearer")) {
            Map<String, String> params = params(challenge);
            String realm = params.get("realm");
            if (realm == null) {
                throw unexpected(registry, parameter, status);
            }
            String query = (params.containsKey("service") ? "service=" + encode(params.get("service")) + "&" : "")
                    + "scope=" + encode("repository:" + repository + ":" + action);
            URI tokenUri = tokenUri(realm, query, registry, parameter);
            HttpRequest.Builder token = HttpRequest.newBuilder(tokenUri);
            if (credential.isPresent()) {
                requireSafeRealm(tokenUri, registry, parameter);
                token.header("Authorization", basic(credential.get()));
            }
            // with a credential the token service's redirects are not followed: Basic goes to the checked realm only
            answer = send(credential.isPresent() ? noRedirects : client, token, deadline, registry, parameter);
            if (answer.statusCode() == 401 && credential.isEmpty()) {
                throw noCredential(registry, consulted, parameter);
            }
            authorization = bearer(answer);
        } else {
            authorization = Optional.of(Secret.of("Authorization", basic(credential.get())));
            answer = send(client, HttpRequest.newBuilder(base).header("Authorization", authorization.get().reveal()),
                    deadline, registry, parameter);
        }
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            RegistryCredential used = credential.orElseThrow(() -> noCredential(registry, consulted, parameter));
            throw new DeployerException("Registry " + registry + " rejected the credential of user '" + used.username()
                    + "' from " + used.source() + " (HTTP " + answer.statusCode() + " for " + action + " access to "
                    + repository + ")", parameter,
                    "correct the password or token in " + used.source() + "; for " + action
                            + " the account needs that permission on " + repository);
        }
        if (answer.statusCode() / 100 != 2) {
            throw unexpected(registry, parameter, answer.statusCode());
        }
        return new RegistrySession(client, registry, authorization, parameter);
    }

    /** The token of a token service's answer ({@code token} or {@code access_token}), as a Bearer authorization. */
    private static Optional<Secret> bearer(HttpResponse<String> answer) {
        if (answer.statusCode() / 100 != 2) {
            return Optional.empty();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
            String token = json.hasNonNull("token") ? json.get("token").asText() : json.path("access_token").asText("");
            return token.isEmpty() ? Optional.empty() : Optional.of(Secret.of("Authorization", "Bearer " + token));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request, Instant deadline,
                                             String registry, String parameter) {
        Duration left = remaining(deadline);
        try {
            return client.send(request.timeout(left).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new DeployerException("Registry " + registry + " did not accept a connection within "
                    + left.toSeconds() + " s", parameter, "check the address and that the registry is up and reachable from here");
        } catch (HttpTimeoutException e) {
            throw new DeployerException("Registry " + registry + " did not answer within " + left.toSeconds() + " s",
                    parameter, "check the registry is healthy and reachable from here");
        } catch (IOException e) {
            throw translate(e, registry, parameter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployerException("Interrupted while probing registry " + registry, parameter, null);
        }
    }

    static DeployerException translate(IOException e, String registry, String parameter) {
        if (causedBy(e, ConnectException.class) || causedBy(e, java.nio.channels.ClosedChannelException.class)) {
            return new DeployerException("Cannot connect to registry " + registry + " (connection refused: nothing"
                    + " listens on https://" + registry + ")", parameter,
                    "start the registry or correct the host and port in " + parameter);
        }
        if (causedBy(e, UnresolvedAddressException.class) || causedBy(e, java.net.UnknownHostException.class)) {
            return new DeployerException("Unknown registry host in '" + registry + "'", parameter,
                    "correct the registry host in " + parameter);
        }
        if (causedBy(e, SSLHandshakeException.class) || causedBy(e, CertificateException.class)) {
            String detail = String.valueOf(rootCause(e).getMessage());
            if (detail.contains("subject alternative") || detail.contains("No name matching")) {
                return new DeployerException("Registry " + registry + " presents a TLS certificate that does not name "
                        + registry + " (" + detail + ")", parameter,
                        "address the registry by a name its certificate covers, or reissue the certificate with that name");
            }
            return new DeployerException("Registry " + registry + " presents a TLS certificate that Java does not trust"
                    + " (" + detail + ")", parameter,
                    "add the registry's CA certificate to the JDK truststore: keytool -importcert -noprompt -cacerts"
                            + " -storepass changeit -alias " + registry.replace(':', '-') + " -file ca.crt"
                            + " (or run Maven with MAVEN_OPTS=\"-Djavax.net.ssl.trustStore=/path/truststore.p12"
                            + " -Djavax.net.ssl.trustStorePassword=...\")");
        }
        if (causedBy(e, SSLException.class)) {
            return new DeployerException("TLS with registry " + registry + " failed (" + rootCause(e).getMessage()
                    + "); a registry that speaks plain HTTP is not supported", parameter,
                    "serve the registry over HTTPS (a self-signed certificate is fine once its CA is trusted)");
        }
        return new DeployerException("Cannot reach registry " + registry + ": " + rootCause(e), parameter,
                "check the address and that the registry is reachable from here");
    }

    private static DeployerException noCredential(String registry, List<String> consulted, String parameter) {
        return new DeployerException("Registry " + registry + " requires a login and no credential was found (looked at: "
                + String.join("; ", consulted) + ")", parameter,
                "set DEPLOYER_REGISTRY_USERNAME and DEPLOYER_REGISTRY_PASSWORD, add a <server> with id '" + registry
                        + "' to settings.xml, or run docker login " + registry);
    }

    private static DeployerException unexpected(String registry, String parameter, int status) {
        return new DeployerException("https://" + registry + "/v2/ answered HTTP " + status
                + ": this does not look like a Docker registry", parameter, "check the registry address in " + parameter);
    }

    private static Map<String, String> params(String challenge) {
        Map<String, String> params = new HashMap<>();
        Matcher matcher = PARAM.matcher(challenge);
        while (matcher.find()) {
            params.put(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(2));
        }
        return params;
    }

    private static String basic(RegistryCredential credential) {
        String pair = credential.username() + ":" + credential.password().reveal();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Duration remaining(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.compareTo(Duration.ofMillis(200)) < 0 ? Duration.ofMillis(200) : left;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
