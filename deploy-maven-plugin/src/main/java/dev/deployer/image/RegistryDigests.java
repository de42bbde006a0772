package dev.deployer.image;

import dev.deployer.core.Command;
import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;

/**
 * The digest a registry serves for {@code repository:tag}, asked with one HEAD request on the session the
 * {@link RegistryProbe} negotiates (the {@link CredentialChain}'s credential): no image is pulled, no engine is needed.
 * What {@code deployer:deploy -Ddeployer.tag=<sha>} and {@code deployer:rollback -Ddeployer.tag=<sha>} deploy.
 */
public final class RegistryDigests {

    private static final String PARAMETER = "deployer.tag";

    /**
     * The time the look-up may take, the registry's token service included. Longer than a build's probe: a deploy has
     * nothing else to fail fast for, and a cold JVM on a busy runner needs several seconds for its first TLS handshake.
     */
    public static final java.time.Duration BUDGET = java.time.Duration.ofSeconds(30);

    private final CredentialChain credentials;
    private final RegistryProbe probe;

    public RegistryDigests(CredentialChain credentials, RegistryProbe probe) {
        this.credentials = credentials;
        this.probe = probe;
    }

    /** The digest of {@code repository:tag}; a tag the registry does not have fails naming it. */
    public String digest(String repository, String tag) {
        ImageRef image = ImageRef.parse(repository);
        String registry = image.registry();
        RegistrySession session = probe.check(registry, image.path(), credentials.find(registry, true), false,
                credentials.sources(registry, true), PARAMETER);
        return session.digest(image.path(), tag).orElseThrow(() -> new DeployerException("Registry " + registry
                + " has no tag " + tag + " in " + image.path(), PARAMETER,
                "deploy a tag deployer:build pushed (the full commit SHA), e.g. -Ddeployer.tag=<sha>"));
    }

    /**
     * A promotion's look-up ({@code deployer:build -Ddeployer.release=<sha>}): the digest the registry holds for
     * {@code repository:sha}; a missing tag fails naming the repository, the tag and the fix.
     */
    public String promoted(String repository, String sha) {
        ImageRef image = ImageRef.parse(repository);
        String registry = image.registry();
        RegistrySession session = probe.check(registry, image.path(), credentials.find(registry, true), false,
                credentials.sources(registry, true), "deployer.release");
        return session.digest(image.path(), sha).orElseThrow(() -> new DeployerException("Cannot promote the release "
                + sha + ": registry " + registry + " has no tag " + sha + " in " + image.path(), "deployer.release",
                "promote a commit whose build pushed its images (./mvnw deploy -Pqa of that commit, or the build job of"
                        + " the workflow), or build this one first without -Ddeployer.release"));
    }

    /** The look-up as the equivalent CLI command, for a dry run (which prints it instead of asking the registry). */
    public String describe(String repository, String tag) {
        ImageRef image = ImageRef.parse(repository);
        String registry = "docker.io".equals(image.registry()) ? "registry-1.docker.io" : image.registry();
        return Command.of("curl", "-sSI", "-H", "Accept: application/vnd.oci.image.index.v1+json,"
                + "application/vnd.docker.distribution.manifest.v2+json,…", "https://" + registry + "/v2/" + image.path()
                + "/manifests/" + tag).display() + "  # the Docker-Content-Digest header, with the credential for " + registry;
    }
}
