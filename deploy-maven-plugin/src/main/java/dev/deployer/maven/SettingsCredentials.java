package dev.deployer.maven;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Secret;
import dev.deployer.image.CredentialChain;
import dev.deployer.image.RegistryCredential;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** Registry credentials from {@code settings.xml}: the {@code <server>} whose id is the registry's host[:port], decrypted. */
final class SettingsCredentials implements CredentialChain.ServerLookup {

    private final Settings settings;
    private final SettingsDecrypter decrypter;

    SettingsCredentials(Settings settings, SettingsDecrypter decrypter) {
        this.settings = settings;
        this.decrypter = decrypter;
    }

    @Override
    public Optional<RegistryCredential> find(String serverId) {
        Server server = settings == null ? null : settings.getServer(serverId);
        if (server == null || server.getUsername() == null) {
            return Optional.empty();
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        if (!result.getProblems().isEmpty()) {
            throw new DeployerException("Cannot decrypt the password of settings.xml <server> '" + serverId + "': "
                    + result.getProblems().get(0).getMessage(), "settings.xml <server><id>" + serverId + "</id>",
                    "check ~/.m2/settings-security.xml (the master password) or re-encrypt with ./mvnw --encrypt-password");
        }
        Server decrypted = result.getServer();
        if (decrypted.getPassword() == null) {
            return Optional.empty();
        }
        return Optional.of(new RegistryCredential(decrypted.getUsername(),
                Secret.of("settings.xml:" + serverId, decrypted.getPassword()),
                "settings.xml <server> with <id>" + serverId + "</id>"));
    }
}
