package dev.deployer.guard;

import dev.deployer.core.DeployerException;
import dev.deployer.core.GitInfo;
import dev.deployer.core.Log;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Refuses production deploys that do not come from CI on an allowed branch, from a clean tree, with an image
 * built from the same commit, and production rollbacks to anything but a full commit SHA that is a recorded good
 * release of the stack or an ancestor of an allowed ref. {@code -Ddeployer.allowLocalProduction=true} overrides it
 * loudly (and the history records that it did).
 *
 * <p>It is a safety net, not a boundary: it reads what the process is told ({@code GITHUB_ACTIONS},
 * {@code GITHUB_REF_NAME}), which anyone can set on a laptop. What keeps production credentials out of reach is the
 * GitHub Environment's protection rules; this guard stops the honest mistakes behind it.
 *
 * <p>Whether a run is production is decided by its destination, not its name: see {@link #deploysProduction}.
 */
public final class ProductionGuard {

    /** Whether {@code sha} is reachable from the allowed ref {@code ref} (git merge-base --is-ancestor). */
    @FunctionalInterface
    public interface Ancestry {
        boolean isAncestor(String sha, String ref);

        static Ancestry none() {
            return (sha, ref) -> false;
        }
    }

    /** A production image tag: the full, lower-case 40-hex commit SHA the image was built from. */
    public static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");

    private final List<String> allowedRefs;
    private final boolean allowLocalProduction;
    private final String githubActions;
    private final String refName;
    private final GitInfo git;
    private final boolean production;
    private final Ancestry ancestry;
    private final AtomicBoolean warned = new AtomicBoolean();

    /**
     * @param allowedRefs          refs production may be deployed from ({@code deployer.allowedRefs}, default main,master)
     * @param allowLocalProduction the escape hatch ({@code deployer.allowLocalProduction})
     * @param githubActions        the value of {@code GITHUB_ACTIONS}
     * @param refName              the value of {@code GITHUB_REF_NAME}
     * @param git                  the checkout's commit and state, or null when not a git checkout
     * @param production           whether this run's destination is production, whatever the environment is called
     * @param ancestry             answers whether a commit is an ancestor of an allowed ref
     */
    public ProductionGuard(List<String> allowedRefs, boolean allowLocalProduction, String githubActions, String refName,
            GitInfo git, boolean production, Ancestry ancestry) {
        this.allowedRefs = List.copyOf(allowedRefs);
        this.allowLocalProduction = allowLocalProduction;
        this.githubActions = githubActions;
        this.refName = refName;
        this.git = git;
        this.production = production;
        this.ancestry = Objects.requireNonNull(ancestry, "ancestry");
    }

    /**
     * The guard of a checkout: {@code allowedRefs} comma-separated, the CI variables from {@code env}; {@code git}
     * may be null where the run is not production.
     */
    public static ProductionGuard of(String allowedRefs, boolean allowLocalProduction, Function<String, String> env, GitInfo git,
            boolean production, Ancestry ancestry) {
        return new ProductionGuard(refs(allowedRefs), allowLocalProduction, env.apply("GITHUB_ACTIONS"),
                env.apply("GITHUB_REF_NAME"), git, production, ancestry);
    }

    /** The guard of a push: production when the environment is called {@code production}. */
    public static ProductionGuard of(String allowedRefs, boolean allowLocalProduction, Function<String, String> env, GitInfo git) {
        return of(allowedRefs, allowLocalProduction, env, git, false, Ancestry.none());
    }

    /** No guard inputs: for non-production environments and tests. */
    public static ProductionGuard none() {
        return new ProductionGuard(List.of("main", "master"), false, null, null, null, false, Ancestry.none());
    }

    /** The refs of {@code deployer.allowedRefs}, comma-separated. */
    public static List<String> refs(String allowedRefs) {
        return Arrays.stream(allowedRefs.split(",")).map(String::strip).filter(ref -> !ref.isEmpty()).toList();
    }

    /**
     * Whether a run deploys production: its environment is called {@code production}, or its destination — the
     * target and the stack it resolves to — is the one the production settings name ({@code deployer.production.target}
     * and the production stack), whatever the environment is called ({@code -Ddeployer.environment=prod -Pproduction}
     * is production).
     *
     * @param productionTarget the production settings' target, or null when the project has none
     * @param productionStack  the stack the production settings resolve to, or null when the project has none
     */
    public static boolean deploysProduction(String environment, String target, String stack, String productionTarget,
            String productionStack) {
        if ("production".equals(environment)) {
            return true;
        }
        return productionTarget != null && !productionTarget.isBlank() && productionStack != null && !productionStack.isBlank()
                && productionTarget.strip().equals(target == null ? null : target.strip())
                && productionStack.strip().equals(stack == null ? null : stack.strip());
    }

    /** Whether this guard applies to {@code environment}: a production destination, or the name production. */
    public boolean applies(String environment) {
        return production || "production".equals(environment);
    }

    /**
     * Checks a deploy of {@code imageTag}, or a rollback to {@code imageTag} (null: the previous good version of the
     * history), to {@code environment}. Needs nothing of the target: it runs before any target is created. A
     * rollback tag that is not an ancestor of an allowed ref is checked again against the history with
     * {@link #checkRelease}.
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
     * For a production rollback to {@code tag}: passes when the tag is an ancestor of an allowed ref, or one of the
     * stack's recorded good releases ({@code goodTags}, read from the target's history only when needed).
     *
     * @return true when the escape hatch was used
     */
    public boolean checkRelease(String environment, String tag, Supplier<Collection<String>> goodTags, Log log) {
        if (!applies(environment) || tag == null || tag.isBlank()) {
            return false;
        }
        if (ancestorOfAllowedRef(tag) || goodTags.get().contains(tag)) {
            return false;
        }
        return refuseOrOverride("the tag " + tag + " is neither a recorded good release of this stack nor a commit of "
                + String.join(" or ", allowedRefs) + " (git merge-base --is-ancestor)", "roll back", environment, log);
    }

    /**
     * The guard's first question, asked before anything is read (image.json, the registry, the target): is this
     * GitHub Actions, on an allowed ref? A production deploy from a laptop is refused for that reason, not for a
     * missing image record. With {@code deployer.allowLocalProduction} this passes; {@link #check} then warns.
     *
     * @param action what is refused, e.g. {@code "deploy to"}, {@code "push an image for"}
     */
    public void checkWhere(String environment, String action) {
        String refusal = applies(environment) && !allowLocalProduction ? whereRefusal() : null;
        if (refusal != null) {
            refuseOrOverride(refusal, action, environment, null);
        }
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
        if (!applies(environment)) {
            return false;
        }
        String refusal = refusal(imageTag, rollback);
        return refusal != null && refuseOrOverride(refusal, action, environment, log);
    }

    private boolean refuseOrOverride(String refusal, String action, String environment, Log log) {
        if (allowLocalProduction) {
            if (!warned.getAndSet(true)) {
                String bar = "!".repeat(78);
                log.warn(bar);
                log.warn("PRODUCTION GUARD OVERRIDDEN with -Ddeployer.allowLocalProduction=true: " + refusal);
                log.warn(action.startsWith("push")
                        ? "The push is not recorded anywhere; the deploy that follows is recorded in the stack's history"
                                + " as a local production deploy."
                        : "This " + (action.startsWith("roll") ? "rollback" : "deploy")
                                + " is recorded in the stack's history as a local production deploy.");
                log.warn(bar);
            }
            return true;
        }
        throw new DeployerException("Refusing to " + action + " production: " + refusal,
                "deployer.environment=" + environment,
                "deploy production from GitHub Actions on " + String.join(" or ", allowedRefs)
                        + " with a clean checkout and the image built from that commit; roll back to a full commit SHA"
                        + " that production ran before or that is on " + String.join(" or ", allowedRefs)
                        + " (emergency only: -Ddeployer.allowLocalProduction=true)");
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
        if (imageTag != null && !FULL_SHA.matcher(imageTag).matches()) {
            return "the tag '" + imageTag + "' is not a full 40-character commit SHA (production runs only images named"
                    + " by the commit they were built from)";
        }
        if (!rollback && !Objects.equals(imageTag, git.sha())) {
            return "the image tag " + imageTag + " was not built from this commit " + git.sha()
                    + " (run deployer:build in the same job)";
        }
        return null;
    }

    private boolean ancestorOfAllowedRef(String sha) {
        return FULL_SHA.matcher(sha).matches() && allowedRefs.stream().anyMatch(ref -> ancestry.isAncestor(sha, ref));
    }
}
