package dev.deployer.deploy;

import dev.deployer.guard.ProductionGuard;
import dev.deployer.verify.SmokeCheck;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One {@code deployer:deploy} or {@code deployer:rollback}, as plain values (the mojo fills it from the POM).
 *
 * @param target        {@code compose}, {@code swarm}, {@code quantum}
 * @param stack         the stack / project name
 * @param environment   {@code local}, {@code qa}, {@code production}
 * @param deployerDir   {@code target/deployer}: image.json is read from here, {@code <env>/} and deployment.json written here
 * @param repository    the image repository, needed with {@code tag} when there is no image.json (fresh checkout); may be null
 * @param tag           deploy this tag (a commit SHA) from the registry instead of image.json; null = image.json
 *                      (deploy) or the previous good version (rollback)
 * @param healthUrl     the HTTP health URL polled after the deploy, or null for container health only
 * @param healthTimeout how long to wait for health, per wait
 * @param smokeChecks   requests made once healthy, relative to the health URL's origin
 * @param lockTimeout   how long to wait for another deploy's lock
 * @param dryRun        print every command, change nothing
 * @param forceUnlock   remove an existing lock of this stack first (a stale one left by a killed deploy)
 * @param guard         the production guard's inputs
 * @param release       the release this module owns (its image modules and commit), or null when it deploys its
 *                      own image alone
 */
public record DeployRequest(String target, String stack, String environment, Path deployerDir, String repository,
        String tag, URI healthUrl, Duration healthTimeout, List<SmokeCheck> smokeChecks, Duration lockTimeout,
        boolean dryRun, boolean forceUnlock, ProductionGuard guard, Release release) {

    /**
     * A release: the image modules of a reactor deployed as one stack.
     *
     * @param owner   the owner module's artifactId (the module with the templates)
     * @param sha     the commit the images must be built for (image.json), null when unknown
     * @param modules the image modules, the owner's own image among them when it builds one
     */
    public record Release(String owner, String sha, List<dev.deployer.core.ReleaseModule> modules) {
        public Release {
            Objects.requireNonNull(owner, "owner");
            modules = List.copyOf(modules);
        }
    }

    /** A deploy of the module's own image alone. */
    public DeployRequest(String target, String stack, String environment, Path deployerDir, String repository,
            String tag, URI healthUrl, Duration healthTimeout, List<SmokeCheck> smokeChecks, Duration lockTimeout,
            boolean dryRun, boolean forceUnlock, ProductionGuard guard) {
        this(target, stack, environment, deployerDir, repository, tag, healthUrl, healthTimeout, smokeChecks, lockTimeout,
                dryRun, forceUnlock, guard, null);
    }

    public DeployRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(deployerDir, "deployerDir");
        Objects.requireNonNull(healthTimeout, "healthTimeout");
        smokeChecks = List.copyOf(smokeChecks);
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(guard, "guard");
    }

    /** The rendered files' directory: {@code target/deployer/<env>}. */
    public Path renderDir() {
        return deployerDir.resolve(environment);
    }

    public DeployRequest withTag(String newTag) {
        return new DeployRequest(target, stack, environment, deployerDir, repository, newTag, healthUrl, healthTimeout,
                smokeChecks, lockTimeout, dryRun, forceUnlock, guard, release);
    }
}
