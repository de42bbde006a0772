package dev.deployer.image;

import dev.deployer.core.Secret;
import java.util.Objects;

/**
 * A username and password for one registry, and where they came from. The source is what messages name
 * (e.g. {@code environment DEPLOYER_REGISTRY_USERNAME/DEPLOYER_REGISTRY_PASSWORD}); the password is a
 * {@link Secret} and never printed.
 *
 * @param username the user name
 * @param password the password or token
 * @param source   where the credential was found, for messages
 */
public record RegistryCredential(String username, Secret password, String source) {

    public RegistryCredential {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String toString() {
        return "credential of '" + username + "' from " + source;
    }
}
