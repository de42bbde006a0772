package dev.deployer.maven;

import dev.deployer.core.CommandRunner;
import dev.deployer.core.Environments;
import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.GitInfo;
import dev.deployer.core.ProcessRunner;
import dev.deployer.deploy.DeployRequest;
import dev.deployer.deploy.ImageResolver;
import dev.deployer.deploy.Deployment;
import dev.deployer.deploy.ImageChecks;
import dev.deployer.deploy.RenderCoreStackRenderer;
import dev.deployer.deploy.TargetContext;
import dev.deployer.deploy.Targets;
import dev.deployer.guard.ProductionGuard;
import dev.deployer.image.CredentialChain;
import dev.deployer.image.RegistryImageChecks;
import dev.deployer.image.RegistryDigests;
import dev.deployer.image.RegistryProbe;
import dev.deployer.platform.SshTunnel;
import dev.deployer.platform.quantum.QuantumCli;
import dev.deployer.platform.quantum.QuantumSettings;
import dev.deployer.platform.quantum.QuantumTarget;
import dev.deployer.render.RenderRequest;
import dev.deployer.render.SecretMode;
import dev.deployer.render.TemplateRenderer;
import dev.deployer.verify.Sleeper;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The parameters {@code deployer:deploy} and {@code deployer:rollback} share, and the one place that turns them into a
 * {@link DeployRequest} and a {@link Deployment}. See docs/deploy.md.
 */
abstract class AbstractStackMojo extends AbstractTemplateMojo {

    /**
     * Where to deploy: {@code compose}, {@code swarm} or {@code quantum}. Default: {@code deployer.<environment>.target},
     * else {@code quantum} in production and {@code compose} elsewhere.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.target")
    protected String target;

    /**
     * The stack (Swarm, Quantum) or Compose project name. Lower-case letters, digits, '-' and '_'. Default:
     * {@code deployer.<environment>.stack}, else {@code <artifactId>-qa} in qa; for the quantum target
     * {@code QUANTUM_STACK} when set; else the artifactId.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.stack")
    protected String stack;

    /**
     * The quantum-cli binary for {@code deployer.target=quantum}: a path, or a name looked up on the PATH.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.quantumCli", defaultValue = QuantumTarget.DEFAULT_CLI)
    protected String quantumCli;

    /**
     * Seconds each read-only quantum-cli query ({@code --help}, {@code auth status}, {@code ps}) may take for
     * {@code deployer.target=quantum}; one that does not answer in time is stopped and fails the deploy.
     *
     * @since 0.2.0
     */
    @Parameter(property = QuantumCli.QUERY_TIMEOUT_PARAMETER, defaultValue = "60")
    protected String quantumQueryTimeout;

    /**
     * Deploy this tag (a full commit SHA) from the registry instead of {@code target/deployer/image.json}; for a
     * rollback, the version to go back to (default: the previous good version in the target's history). In production
     * it must be a full 40-hex commit SHA that is on an allowed ref or a recorded good release of the stack.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.tag")
    protected String tag;

    /**
     * The commit (full SHA) whose release a reactor's owner module deploys: each image module's image.json must be
     * of this commit ({@code deployer:build} with the same property wrote them by promotion, from the registry,
     * without building). Default: the checkout's commit. A module deploying its own image alone ignores it (use
     * {@code deployer.tag}).
     *
     * @since 0.2.0
     */
    @Parameter(property = "deployer.release")
    protected String release;

    /**
     * With {@code deployer.tag}: the digest the build produced ({@code sha256:…}, e.g. the build job's output). The
     * deploy runs this digest, not whatever the tag names by the time the deploy runs (after an approval, say), and
     * fails before anything changes when the tag no longer names it.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.digest")
    protected String digest;

    /**
     * The rendered file to deploy, relative to {@code target/deployer/<environment>/}. Default: {@code docker-compose.yml}
     * for the compose target when there is such a template, else {@code stack.yml}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.stackFile")
    protected String stackFile;

    /**
     * The HTTP health URL polled after the deploy until it answers 2xx, e.g. {@code http://127.0.0.1:8080/health}.
     * Default: {@code deployer.<environment>.healthUrl} (e.g. {@code deployer.qa.healthUrl}). Without one only the
     * containers' health is checked.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.healthUrl")
    protected String healthUrl;

    /**
     * Seconds to wait for health (containers, then the health URL), with growing backoff.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.healthTimeout", defaultValue = "120")
    protected int healthTimeout;

    /**
     * Seconds to wait while another deploy holds the stack's lock.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.lockTimeout", defaultValue = "300")
    protected int lockTimeout;

    /**
     * Print every command in order, secrets as {@code [REDACTED]}, and change nothing.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.dryRun", defaultValue = "false")
    protected boolean dryRun;

    /**
     * Release an existing lock of the stack first (one left by a killed deploy); it is shown before it is released.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.forceUnlock", defaultValue = "false")
    protected boolean forceUnlock;

    /**
     * Requests made once healthy: {@code <smokeCheck><method>POST</method><path>/hits</path><expectStatus>200</expectStatus>
     * <expectBodyContains>hits</expectBodyContains></smokeCheck>}. A check of another service names its own base URL and
     * headers: {@code <url>http://127.0.0.1:8080</url><headers><Host>api.example.test</Host></headers>}; secret header
     * values only from the environment: {@code <secretHeaders><Authorization>SMOKE_AUTHORIZATION</Authorization></secretHeaders>}
     * (the variable's name).
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.smokeChecks")
    protected List<SmokeCheckConfig> smokeChecks;

    /**
     * Refs ({@code GITHUB_REF_NAME}) production may be deployed from. Default:
     * {@code deployer.production.allowedRefs}, else {@code main,master}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.allowedRefs")
    protected String allowedRefs;

    /**
     * Deploy to production from outside CI or against the guard's rules: prints a loud warning and is recorded in the stack's history. For emergencies only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.allowLocalProduction", defaultValue = "false")
    protected boolean allowLocalProduction;

    /**
     * The public key whose signature ({@code deployer:build} with {@code DEPLOYER_SIGNING_KEY}) the image must carry:
     * its PEM text ({@code -----BEGIN PUBLIC KEY-----}) or the path of a PEM file. When set, the deploy verifies the
     * exact digest it is about to run before the lock is taken. Default: no verification.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.verify.publicKey")
    protected String verifyPublicKey;

    /**
     * Whether a failed signature verification ({@code deployer.verify.publicKey}) refuses the deploy. Default: true
     * in production, false elsewhere (a qa deploy reports the result as a warning and goes on).
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.verify.enforce")
    protected Boolean verifyEnforce;

    /** Whether this run deploys to production (the guard applies): set before the deployment is made. */
    private boolean production;

    /** The process environment (a test hands in its own). */
    Function<String, String> environmentVariables = System::getenv;

    /** Runs commands; a harness test sets a scripted one, so that it starts no process. */
    CommandRunner runner;

    protected TargetContext context() {
        return new TargetContext(runner != null ? runner : new ProcessRunner(log()), log(), environmentVariables,
                Clock.systemUTC(), targetOptions());
    }

    /** The target options the goal was given: {@code deployer.quantumCli} and its query timeout for the quantum target. */
    private java.util.Map<String, String> targetOptions() {
        return QuantumTarget.options(quantumCli, quantumQueryTimeout);
    }

    /**
     * The deploy path of {@code deploy} and {@code rollback}: the production guard first — before any target is created,
     * so a refused production deploy or rollback pings no engine and opens no ssh tunnel — then the tunnel (for an
     * {@code ssh://} DOCKER_HOST, not for a dry run), the target and the runbook.
     */
    protected void guardedRun(boolean rollback, BiConsumer<Deployment, DeployRequest> action) {
        if (digest != null && !digest.isBlank() && (tag == null || tag.isBlank())) {
            throw new DeployerException("deployer.digest is set without deployer.tag", "deployer.digest",
                    "give the tag the digest was pushed under with -Ddeployer.tag=<commit sha>");
        }
        if (digest != null && !digest.isBlank() && !releaseModules().isEmpty()) {
            throw new DeployerException("deployer.digest names one digest, but " + project.getArtifactId()
                    + " deploys the release of several images", "deployer.digest",
                    "promote the release instead: deployer:build and deployer:deploy with -Ddeployer.release=<commit sha>"
                            + " deploy exactly the digests the registry holds for that commit");
        }
        if (digest != null && !digest.isBlank()) {
            ImageResolver.requireDigest(digest.strip()); // before any target
        }
        TargetContext plain = context();
        ProductionGuard guard = guard(plain);
        production = guard.applies(environment);
        if (production) {
            guard.checkWhere(environment, rollback ? "roll back" : "deploy to");
            String checked = rollback ? (tag == null || tag.isBlank() ? null : tag)
                    : !releaseModules().isEmpty() && (tag == null || tag.isBlank()) ? releaseSha(plain)
                    : ImageResolver.tagOf(projectInfo().deployerDir(), tag);
            guard.check(environment, checked, rollback, log());
        }
        onTarget(plain, context -> action.accept(deployment(context), request(context, guard)));
    }

    /**
     * The guard of this run, production when the environment is called so or when the destination (target and stack)
     * is the one the production settings ({@code deployer.production.target}, {@code deployer.production.stack}) name.
     */
    private ProductionGuard guard(TargetContext context) {
        Environments production = new Environments("production", project.getArtifactId(), this::property);
        String productionTarget = production.value(Environments.TARGET, null);
        String productionStack = stackName(context, production, productionTarget, null);
        boolean isProduction = ProductionGuard.deploysProduction(environment, target(), stackName(context), productionTarget,
                productionStack);
        Path basedir = project.getBasedir().toPath();
        GitInfo git = isProduction ? GitInfo.read(projectInfo(), context.runner(), context.env()) : null;
        return ProductionGuard.of(environments().value(Environments.ALLOWED_REFS, allowedRefs), allowLocalProduction,
                context::env, git, isProduction, (sha, ref) -> GitInfo.isAncestor(basedir, context.runner(), sha, ref));
    }

    /** A project property, {@code -D} first; null when unset or empty. */
    private String property(String name) {
        String value = session.getUserProperties().getProperty(name, project.getProperties().getProperty(name));
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** {@code deployer.target}, else the environment's. */
    protected String target() {
        return environments().value(Environments.TARGET, target);
    }

    /**
     * {@code deployer.stack}, else the environment's ({@code deployer.<environment>.stack}, {@code <artifactId>-qa});
     * else, for the quantum target, {@code QUANTUM_STACK}; else the artifactId.
     */
    private String stackName(TargetContext context) {
        return stackName(context, environments(), target(), stack);
    }

    /** The stack {@code settings} deploy to on {@code target}: {@code stack} when given, else as above. */
    private String stackName(TargetContext context, Environments settings, String target, String stack) {
        String configured = settings.value(Environments.STACK, stack);
        if (configured != null) {
            return configured;
        }
        String quantumStack = context.env(QuantumSettings.STACK);
        return "quantum".equals(target) && quantumStack != null && !quantumStack.isBlank()
                ? quantumStack.strip() : project.getArtifactId();
    }

    protected Deployment deployment(TargetContext context) {
        RenderRequest render = renderRequest(SecretMode.DEPLOY);
        String target = target();
        String file = stackFile == null || stackFile.isBlank()
                ? RenderCoreStackRenderer.defaultStackFile(target, templateDirectory.toPath()) : stackFile;
        RenderCoreStackRenderer renderer = new RenderCoreStackRenderer(
                new TemplateRenderer(log(), context::env, context.runner()), render, file);
        CredentialChain credentials = new CredentialChain(context::env, CredentialChain.ServerLookup.none(),
                Path.of(System.getProperty("user.home")));
        RegistryDigests registry = new RegistryDigests(credentials, new RegistryProbe(RegistryDigests.BUDGET));
        ImageResolver.DigestResolver digests = new ImageResolver.DigestResolver() {
            @Override
            public String digest(String repository, String tag) {
                return registry.digest(repository, tag);
            }

            @Override
            public String describe(String repository, String tag) {
                return registry.describe(repository, tag);
            }
        };
        return new Deployment(context, Targets.create(target, context, dryRun), renderer, Sleeper.real(), GitHubActions.fromSystem(),
                digest == null || digest.isBlank() ? digests : ImageResolver.expecting(digest.strip(), digests),
                imageChecks(credentials), dev.deployer.core.Shutdown.jvm());
    }

    /** The image's platforms and, with {@code deployer.verify.publicKey}, its signature: checked before the lock. */
    private ImageChecks imageChecks(CredentialChain credentials) {
        String pem = RegistryImageChecks.publicKeyPem(verifyPublicKey, project.getBasedir().toPath());
        boolean enforce = verifyEnforce != null ? verifyEnforce : production || "production".equals(environment);
        return new RegistryImageChecks(credentials, projectInfo().deployerDir().resolve(TemplateRenderer.IMAGE_JSON), pem, enforce);
    }

    /**
     * Runs {@code work} against the target: through an ssh tunnel when DOCKER_HOST is {@code ssh://}, except for a dry
     * run, which needs no engine and starts no ssh.
     */
    private void onTarget(TargetContext plain, java.util.function.Consumer<TargetContext> work) {
        if (dryRun) {
            work.accept(plain);
            return;
        }
        try (SshTunnel tunnel = SshTunnel.openFor(plain)) {
            work.accept(tunnel.context());
        }
    }

    /**
     * Why this module is not a service (and the goal skips it), or null: no {@code deployer.image}, no image built
     * ({@code target/deployer/image.json}) and no templates, as a library module of a reactor.
     */
    /** The owner of the release this module is an image module of (a module with templates that depends on it), if any. */
    protected java.util.Optional<org.apache.maven.project.MavenProject> releaseOwner() {
        if (dev.deployer.render.TemplateRenderer.hasTemplates(templateDirectory.toPath()) || session == null
                || session.getAllProjects() == null) {
            return java.util.Optional.empty();
        }
        return ReactorRelease.ownerOf(project, session.getAllProjects());
    }

    protected String notAService() {
        boolean noImage = image == null || image.isBlank();
        boolean noRecord = !java.nio.file.Files.exists(projectInfo().deployerDir().resolve(TemplateRenderer.IMAGE_JSON));
        boolean noTemplates = !TemplateRenderer.hasTemplates(templateDirectory.toPath());
        return noImage && noRecord && noTemplates ? "not a service (no deployer.image, no image built, no templates in "
                + project.getBasedir().toPath().relativize(templateDirectory.toPath().toAbsolutePath()) + ")" : null;
    }

    protected DeployRequest request(TargetContext context, ProductionGuard guard) {
        List<dev.deployer.verify.SmokeCheck> checks = new ArrayList<>();
        List<SmokeCheckConfig> configured = smokeChecks == null ? List.of() : smokeChecks;
        for (int i = 0; i < configured.size(); i++) {
            checks.add(configured.get(i).toCore(i, context::env));
        }
        String health = environments().value(Environments.HEALTH_URL, healthUrl);
        for (int i = 0; i < checks.size(); i++) {
            String problem = health == null ? null : checks.get(i).problemWith(parseUrl(health));
            if (problem != null) {
                throw new dev.deployer.core.DeployerException(problem, "<smokeChecks> #" + (i + 1),
                        "give the check an http:// <url> (the proxy's address), or leave the Host header out");
            }
        }
        List<dev.deployer.core.ReleaseModule> modules = releaseModules();
        DeployRequest.Release owned = modules.isEmpty() ? null
                : new DeployRequest.Release(project.getArtifactId(), tag == null || tag.isBlank() ? releaseSha(context) : null, modules);
        return new DeployRequest(target(), stackName(context), environment, projectInfo().deployerDir(), image, tag,
                health == null ? null : parseUrl(health), Duration.ofSeconds(healthTimeout), checks,
                Duration.ofSeconds(lockTimeout), dryRun, forceUnlock, guard, owned);
    }

    /** The commit of the release: {@code deployer.release}, else the checkout's. */
    private String releaseSha(TargetContext context) {
        if (release != null && !release.isBlank()) {
            return requireSha(release.strip());
        }
        return GitInfo.read(projectInfo(), context.runner(), context.env()).sha();
    }

    /** {@code deployer.release} must be a full commit SHA: a promotion names exactly one build. */
    static String requireSha(String sha) {
        if (!sha.matches("[0-9a-f]{40}")) {
            throw new DeployerException("deployer.release '" + sha + "' is not a full commit SHA", "deployer.release",
                    "give the 40-hex SHA of the commit whose build pushed the images (e.g. the build job's sha output)");
        }
        return sha;
    }

    private static URI parseUrl(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new dev.deployer.core.DeployerException("Invalid health URL '" + url + "': " + e.getMessage(), "deployer.healthUrl",
                    "give a full URL such as http://127.0.0.1:8080/health");
        }
    }
}
