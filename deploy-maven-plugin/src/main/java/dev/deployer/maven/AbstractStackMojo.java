package dev.deployer.maven;

import dev.deployer.core.CommandRunner;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.GitInfo;
import dev.deployer.core.ProcessRunner;
import dev.deployer.deploy.DeployRequest;
import dev.deployer.deploy.Deployment;
import dev.deployer.deploy.ImageResolver;
import dev.deployer.deploy.RenderCoreStackRenderer;
import dev.deployer.deploy.TargetContext;
import dev.deployer.deploy.Targets;
import dev.deployer.guard.ProductionGuard;
import dev.deployer.image.CredentialChain;
import dev.deployer.image.RegistryDigests;
import dev.deployer.image.RegistryProbe;
import dev.deployer.platform.SshTunnel;
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
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The parameters {@code deployer:deploy} and {@code deployer:rollback} share, and the one place that turns them into a
 * {@link DeployRequest} and a {@link Deployment}. See docs/deploy.md.
 */
abstract class AbstractStackMojo extends AbstractTemplateMojo {

    /**
     * Where to deploy: {@code compose}, {@code swarm} or {@code quantum}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.target", defaultValue = "compose")
    protected String target;

    /**
     * The stack (Swarm, Quantum) or Compose project name. Lower-case letters, digits, '-' and '_'. Default: for the
     * quantum target {@code QUANTUM_STACK} when set, else the artifactId.
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
     * Deploy this tag (a full commit SHA) from the registry instead of {@code target/deployer/image.json}; for a
     * rollback, the version to go back to (default: the previous good version in the target's history).
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.tag")
    protected String tag;

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
     * Without it only the containers' health is checked.
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
     * <expectBodyContains>hits</expectBodyContains></smokeCheck>}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.smokeChecks")
    protected List<SmokeCheckConfig> smokeChecks;

    /**
     * Refs ({@code GITHUB_REF_NAME}) production may be deployed from.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.allowedRefs", defaultValue = "main,master")
    protected String allowedRefs;

    /**
     * Deploy to production from outside CI or against the guard's rules: prints a loud warning and is recorded in the stack's history. For emergencies only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.allowLocalProduction", defaultValue = "false")
    protected boolean allowLocalProduction;

    /** Runs commands; a harness test sets a scripted one, so that it starts no process. */
    CommandRunner runner;

    protected TargetContext context() {
        return new TargetContext(runner != null ? runner : new ProcessRunner(log()), log(), this::env, Clock.systemUTC());
    }

    /** The process environment; a harness test sets its own. */
    java.util.function.Function<String, String> processEnv;

    /** The environment the target sees: the process's, plus {@code deployer.quantumCli} for the quantum target. */
    private String env(String name) {
        if (QuantumTarget.CLI_ENV.equals(name)) {
            return quantumCli;
        }
        return processEnv != null ? processEnv.apply(name) : System.getenv(name);
    }

    /** {@code deployer.stack}; else, for the quantum target, {@code QUANTUM_STACK}; else the artifactId. */
    private String stackName(TargetContext context) {
        if (stack != null && !stack.isBlank()) {
            return stack;
        }
        String quantumStack = context.env(QuantumSettings.STACK);
        return "quantum".equals(target) && quantumStack != null && !quantumStack.isBlank()
                ? quantumStack.strip() : project.getArtifactId();
    }

    protected Deployment deployment(TargetContext context) {
        RenderRequest render = renderRequest(SecretMode.DEPLOY);
        String file = stackFile == null || stackFile.isBlank()
                ? RenderCoreStackRenderer.defaultStackFile(target, templateDirectory.toPath()) : stackFile;
        RenderCoreStackRenderer renderer = new RenderCoreStackRenderer(
                new TemplateRenderer(log(), context::env, context.runner()), render, file);
        RegistryDigests registry = new RegistryDigests(new CredentialChain(context::env, CredentialChain.ServerLookup.none(),
                Path.of(System.getProperty("user.home"))), new RegistryProbe(RegistryDigests.BUDGET));
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
        return new Deployment(context, Targets.create(target, context, dryRun), renderer, Sleeper.real(), GitHubActions.fromSystem(), digests);
    }

    /**
     * Runs {@code work} against the target: through an ssh tunnel when DOCKER_HOST is {@code ssh://}, except for a dry
     * run, which needs no engine and starts no ssh.
     */
    protected void onTarget(java.util.function.Consumer<TargetContext> work) {
        if (dryRun) {
            work.accept(context());
            return;
        }
        try (SshTunnel tunnel = SshTunnel.openFor(context())) {
            work.accept(tunnel.context());
        }
    }

    protected DeployRequest request(TargetContext context) {
        List<dev.deployer.verify.SmokeCheck> checks = new ArrayList<>();
        List<SmokeCheckConfig> configured = smokeChecks == null ? List.of() : smokeChecks;
        for (int i = 0; i < configured.size(); i++) {
            checks.add(configured.get(i).toCore(i));
        }
        GitInfo git = "production".equals(environment) ? GitInfo.read(project.getBasedir().toPath(), context.runner(), context.env()) : null;
        ProductionGuard guard = ProductionGuard.of(allowedRefs, allowLocalProduction, context::env, git);
        return new DeployRequest(target, stackName(context), environment, projectInfo().deployerDir(), image, tag,
                healthUrl == null || healthUrl.isBlank() ? null : parseUrl(healthUrl), Duration.ofSeconds(healthTimeout), checks,
                Duration.ofSeconds(lockTimeout), dryRun, forceUnlock, guard);
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
