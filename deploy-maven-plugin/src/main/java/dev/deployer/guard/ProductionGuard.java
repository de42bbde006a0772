package dev.deployer.guard;

import dev.deployer.core.DeployerException;
import dev.deployer.core.GitInfo;
import dev.deployer.core.Log;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Refuses production deploys that do not come from CI on an allowed branch, from a clean tree, with an image
 * built from the same commit. {@code -Ddeployer.allowLocalProduction=true} overrides it loudly (and the history
 * records that it did).
 *
 * @param allowedRefs          refs production may be deployed from ({@code deployer.allowedRefs}, default main,master)
 * @param allowLocalProduction the escape hatch ({@code deployer.allowLocalProduction})
 * @param githubActions        the value of {@code GITHUB_ACTIONS}
 * @param refName              the value of {@code GITHUB_REF_NAME}
 * @param git                  the checkout's commit and state, or null when not a git checkout
 */
public record ProductionGuard(List<String> allowedRefs, boolean allowLocalProduction, String githubActions,
        String refName, GitInfo git) {

    public ProductionGuard {
        allowedRefs = List.copyOf(allowedRefs);
    }

    /**
     * The guard of a checkout: {@code allowedRefs} comma-separated, the CI variables from {@code env}; {@code git}
     * may be null where the environment is not production.
     */
    public static ProductionGuard of(String allowedRefs, boolean allowLocalProduction, Function<String, String> env, GitInfo git) {
        return new ProductionGuard(Arrays.stream(allowedRefs.split(",")).map(String::strip).filter(ref -> !ref.isEmpty()).toList(),
                allowLocalProduction, env.apply("GITHUB_ACTIONS"), env.apply("GITHUB_REF_NAME"), git);
    }

    /** No guard inputs: for non-production environments and tests. */
    public static ProductionGuard none() {
        return new ProductionGuard(List.of("main", "master"), false, null, null, null);
    }

    /**
     * Checks a deploy of {@code imageTag} (null when deploying by digest only) to {@code environment}.
     *
     * @return true when the escape hatch was used (to be recorded), false when the guard passed or did not apply
     */
    public boolean check(String environment, String imageTag, boolean rollback, Log log) {
        return check(environment, imageTag, rollback, rollback ? "roll back" : "deploy to", log);
    }

    /** Checks a push of the image tagged {@code imageTag} for {@code environment}: same rules as a deploy. */
    public boolean checkPush(String environment, String imageTag, Log log) {
        return check(environment, imageTag, false, "push an image for", log);
    }

    /**
     * The guard's first question, asked before anything is read (image.json, the registry, the target): is this
     * GitHub Actions, on an allowed ref? A production deploy from a laptop is refused for that reason, not for a
     * missing image record. With {@code deployer.allowLocalProduction} this passes; {@link #check} then warns.
     *
     * @param action what is refused, e.g. {@code "deploy to"}, {@code "push an image for"}
     */
    public void checkWhere(String environment, String action) {
        if (!"production".equals(environment) || allowLocalProduction) {
            return;
        }
        String refusal = whereRefusal();
        if (refusal != null) {
            throw refused(action, refusal);
        }
    }

    private DeployerException refused(String action, String refusal) {
        return new DeployerException("Refusing to " + action + " production: " + refusal, "deployer.environment=production",
                "deploy production from GitHub Actions on " + String.join(" or ", allowedRefs)
                        + " with a clean checkout and the image built from that commit"
                        + " (emergency only: -Ddeployer.allowLocalProduction=true)");
    }

    private String whereRefusal() {
        if (!"true".equals(githubActions)) {
            return "not running in GitHub Actions (GITHUB_ACTIONS is not 'true')";
        }
        if (refName == null || !allowedRefs.contains(refName)) {
            return "ref '" + refName + "' is not one of deployer.allowedRefs " + allowedRefs;
        }
        return null;
    }

    private boolean check(String environment, String imageTag, boolean rollback, String action, Log log) {
        if (!"production".equals(environment)) {
            return false;
        }
        String refusal = refusal(imageTag, rollback);
        if (refusal == null) {
            return false;
        }
        if (allowLocalProduction) {
            String bar = "!".repeat(78);
            log.warn(bar);
            log.warn("PRODUCTION GUARD OVERRIDDEN with -Ddeployer.allowLocalProduction=true: " + refusal);
            log.warn("This deploy is recorded in the stack's history as a local production deploy.");
            log.warn(bar);
            return true;
        }
        throw refused(action, refusal);
    }

    private String refusal(String imageTag, boolean rollback) {
        String where = whereRefusal();
        if (where != null) {
            return where;
        }
        if (git == null) {
            return "not a git checkout";
        }
        if (git.dirty()) {
            return "the working tree has uncommitted changes " + git.dirtyFiles().stream().limit(5).toList();
        }
        if (!rollback && !Objects.equals(imageTag, git.sha())) {
            return "the image tag " + imageTag + " was not built from this commit " + git.sha()
                    + " (run deployer:build in the same job)";
        }
        return null;
    }
}
