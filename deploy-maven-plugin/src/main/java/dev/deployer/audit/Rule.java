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
    SECRETS_INHERIT("secrets-inherit", Severity.HIGH,
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
                    + " there (keep caching in CI jobs)"),
    UNTRUSTED_CHECKOUT("untrusted-checkout", Severity.HIGH,
            "A privileged run checks out or fetches the pull request's code",
            "build and test pull requests in a 'pull_request' workflow (no secrets, read-only token); if the privileged"
                    + " workflow needs its results, pass them as an artifact and treat them as data, never run them"),
    SIGNING_KEY_EXPOSED("signing-key-exposed", Severity.HIGH,
            "A signing key is available to a job that runs code nobody has reviewed",
            "give the key only to the job that signs, as an environment secret of a push or release workflow"
                    + " (Deployer's reusable workflow: the build job); never to a job that checks out a pull request"),
    UNSOUND_CONDITION("unsound-condition", Severity.HIGH,
            "Condition that is always true",
            "write the condition as one expression and nothing else: 'if: ${{ ... }}' on one line, or without"
                    + " '${{ }}' at all (if: github.ref == 'refs/heads/main'); a block scalar needs '|-' or '>-'"),
    SUBSTRING_REF_CHECK("substring-ref-check", Severity.HIGH,
            "Branch, tag or actor checked by substring, so other names pass",
            "compare the whole value: github.ref == 'refs/heads/main' (several: contains(fromJSON('[\"refs/heads/main\","
                    + " \"refs/heads/release\"]'), github.ref)); a prefix only with a '/' at its end ('refs/heads/release/')"),
    BOT_ACTOR_CHECK("bot-actor-check", Severity.HIGH,
            "A bot recognised by github.actor, which is whoever acted last, not who wrote the code",
            "check the author of the event instead: github.event.pull_request.user.login == 'dependabot[bot]'"),
    SECRET_LEAK("secret-leak", Severity.HIGH,
            "A secret leaves the step: into the log, the job's environment or outputs, or a file that is uploaded",
            "use the secret only as an environment variable of the step that needs it; never echo it or write it to"
                    + " $GITHUB_ENV, $GITHUB_OUTPUT or $GITHUB_STEP_SUMMARY; keep rendered files with secrets out of"
                    + " artifacts and caches (Deployer's target/deployer/ carries ${NAME} placeholders: upload that,"
                    + " not an envsubst'ed copy)"),
    SECRETS_UNREDACTED("secrets-unredacted", Severity.HIGH,
            "A secret decoded with fromJSON: its fields are not masked in the log",
            "store each field as a secret of its own and reference it by name (secrets.NAME)"),
    GITHUB_ENV_INJECTION("github-env-injection", Severity.HIGH,
            "Attacker-controllable value written to $GITHUB_ENV or $GITHUB_PATH",
            "do not write event data to $GITHUB_ENV/$GITHUB_PATH: pass it through 'env:' to each step that needs it;"
                    + " if you must, validate it against an allowlist and use a random heredoc delimiter"),
    ENVIRONMENT_UNPROTECTED("environment-unprotected", Severity.HIGH,
            "Job's environment does not protect: its name is chosen by the event or the person starting the run,"
                    + " is not the protected name as written, or is missing",
            "name the protected environment literally ('environment: production'), or choose among literals"
                    + " (${{ github.ref == 'refs/heads/main' && 'production' || 'qa' }}); in a workflow_dispatch use"
                    + " an input of 'type: environment' or 'choice'");

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
