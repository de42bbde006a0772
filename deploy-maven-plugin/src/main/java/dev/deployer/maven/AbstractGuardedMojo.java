package dev.deployer.maven;

import dev.deployer.core.GitInfo;
import dev.deployer.target.ProductionGuard;
import java.util.Arrays;
import java.util.function.Function;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that change something outside the build for an environment ({@code build} pushes, {@code deploy} and
 * {@code rollback} deploy) and so are behind the {@link ProductionGuard} when that environment is production.
 */
abstract class AbstractGuardedMojo extends AbstractDeployerMojo {

    /**
     * Refs ({@code GITHUB_REF_NAME}) production may be pushed and deployed from.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.allowedRefs", defaultValue = "main,master")
    protected String allowedRefs;

    /**
     * Push or deploy to production from outside CI or against the guard's rules: prints a loud warning and is
     * recorded in the stack's history. For emergencies only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.allowLocalProduction", defaultValue = "false")
    protected boolean allowLocalProduction;

    /** The guard for this checkout ({@code git} may be null outside production, where the guard does not apply). */
    protected ProductionGuard productionGuard(GitInfo git, Function<String, String> env) {
        return new ProductionGuard(Arrays.stream(allowedRefs.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(),
                allowLocalProduction, env.apply("GITHUB_ACTIONS"), env.apply("GITHUB_REF_NAME"), git);
    }
}
