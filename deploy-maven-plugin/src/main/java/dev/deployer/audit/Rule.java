package dev.deployer.audit;

/**
 * The audit's rules. Each has a stable id (used in output, SARIF and {@code deployer.audit.ignore}), a default
 * severity, a one-line description and the fix.
 */
public enum Rule {
    DANGEROUS_TRIGGER("dangerous-trigger", Severity.HIGH,
            "Workflow runs on a trigger that gives untrusted code a privileged context",
            "trigger on pull_request (no secrets, read-only token) instead; if you must keep the trigger, never"
                    + " check out or run the pull request's code in it"),
    PERMISSIONS_MISSING("permissions-missing", Severity.MEDIUM,
            "No permissions block: the GITHUB_TOKEN gets the repository's default permissions",
            "add 'permissions: contents: read' at the top of the workflow and grant more per job only where needed"),
    PERMISSIONS_EXCESSIVE("permissions-excessive", Severity.HIGH,
            "Permissions broader than the job needs",
            "grant the narrowest scopes per job (e.g. 'contents: read', 'packages: write' only in the job that pushes)"),
    UNPINNED_ACTION("unpinned-action", Severity.HIGH,
            "Action or reusable workflow not pinned to a full commit SHA",
            "pin to the full 40-character commit SHA of the release and keep the tag as a comment,"
                    + " e.g. 'uses: owner/action@<sha> # v4.2.2'"),
    UNPINNED_IMAGE("unpinned-image", Severity.MEDIUM,
            "Container image without a version or digest",
            "pin the image to a digest ('image@sha256:...') or at least to a version tag"),
    TEMPLATE_INJECTION("template-injection", Severity.HIGH,
            "Attacker-controllable value expanded into a script",
            "pass the value through an environment variable (env: TITLE: ${{ ... }}) and use \"$TITLE\" in the script"),
    CHECKOUT_PERSISTS_CREDENTIALS("checkout-persist-credentials", Severity.MEDIUM,
            "actions/checkout leaves the GITHUB_TOKEN in .git/config for every later step",
            "add 'with: persist-credentials: false' to the checkout step"),
    SECRETS_INHERIT("secrets-inherit", Severity.MEDIUM,
            "Reusable workflow call passes every secret of the repository",
            "pass only the secrets the called workflow needs: 'secrets: NAME: ${{ secrets.NAME }}'"),
    SECRETS_TO_JSON("secrets-to-json", Severity.HIGH,
            "Expression exposes all secrets at once",
            "reference each secret by name (secrets.NAME) where it is needed"),
    DEPLOY_WITHOUT_ENVIRONMENT("deploy-without-environment", Severity.HIGH,
            "Job deploys or uses deploy secrets without a protected environment",
            "add 'environment: production' (or qa) to the job and configure required reviewers and deployment"
                    + " branches for it in the repository settings"),
    DEPLOY_CONCURRENCY_CANCELS("deploy-concurrency-cancels", Severity.HIGH,
            "Deploy concurrency cancels a deployment in progress",
            "set 'cancel-in-progress: false' so a running deploy always finishes; later runs wait"),
    CACHE_IN_RELEASE_PATH("cache-in-release-path", Severity.HIGH,
            "Cache restored in a job that publishes or deploys (cache poisoning)",
            "do not restore caches in publish/deploy jobs: remove actions/cache and the setup action's 'cache:' input"
                    + " there (keep caching in CI jobs)");

    private final String id;
    private final Severity severity;
    private final String description;
    private final String fix;

    Rule(String id, Severity severity, String description, String fix) {
        this.id = id;
        this.severity = severity;
        this.description = description;
        this.fix = fix;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    public String description() {
        return description;
    }

    public String fix() {
        return fix;
    }

    /** The rule with this id, or null. */
    public static Rule byId(String id) {
        for (Rule rule : values()) {
            if (rule.id.equals(id)) {
                return rule;
            }
        }
        return null;
    }
}
