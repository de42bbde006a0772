package dev.deployer.render;

/** What {@code $secrets.NAME} renders as. Neither mode ever reads a secret's value. */
public enum SecretMode {

    /** What {@code deployer:render} writes for people to read: every secret is {@value dev.deployer.core.Secret#REDACTED}. */
    PREVIEW,

    /**
     * What a deploy hands to Compose, Swarm or quantum-cli: every secret is a {@code ${NAME}} placeholder that the
     * tool fills in from the deploy command's environment. Every referenced secret must be set in the environment.
     */
    DEPLOY
}
