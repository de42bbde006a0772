package dev.deployer.maven;

import dev.deployer.render.RenderRequest;
import dev.deployer.render.SecretMode;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that render the deployment templates ({@code render} for a preview, {@code deploy} and {@code rollback}
 * for real): the template parameters and the one place that turns them into a {@link RenderRequest}.
 */
abstract class AbstractTemplateMojo extends AbstractDeployerMojo {

    /**
     * The directory of the Velocity templates ({@code *.vm}, subdirectories included).
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.templateDirectory", defaultValue = "${project.basedir}/src/main/deploy")
    protected File templateDirectory;

    /**
     * The image repository without tag, e.g. {@code ghcr.io/acme/service}: {@code $image.repository}. Required by
     * templates that use {@code $image.repository} or {@code $image.ref}, and by deploys.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.image")
    protected String image;

    /**
     * Template variables, {@code $vars.NAME}. Each can be overridden with {@code -Ddeployer.var.NAME=value} or a
     * {@code deployer.var.NAME} project property (e.g. in a profile); the property {@code deployer.variables} itself
     * cannot hold a map.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.variables")
    protected Map<String, String> variables;

    /**
     * Names of the secrets templates may use as {@code $secrets.NAME}. Values come only from the environment
     * variable of the same name, never from the POM; {@code deployer:render} shows them as {@code [REDACTED]}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.secrets")
    protected List<String> secrets;

    /**
     * The rendered stack file the {@code .quantum} descriptor points at, relative to the output directory. The
     * descriptor is written only when this file is rendered.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.quantum.stackFile", defaultValue = "stack.yml")
    protected String quantumStackFile;

    /** What to render, with the variables of the POM, the project's {@code deployer.var.*} properties and {@code -D}. */
    protected RenderRequest renderRequest(SecretMode mode) {
        Map<String, String> vars = RenderRequest.mergeVariables(variables, asMap(project.getProperties()),
                asMap(session.getUserProperties()));
        return new RenderRequest(projectInfo(), templateDirectory.toPath(), environment, image, vars,
                secrets == null ? List.of() : secrets, quantumStackFile, mode, releaseModules());
    }

    /**
     * The image modules of the release this module owns ({@code $images}): the reactor modules it depends on that build
     * an image, when it has templates; empty otherwise.
     */
    protected List<dev.deployer.core.ReleaseModule> releaseModules() {
        if (!dev.deployer.render.TemplateRenderer.hasTemplates(templateDirectory.toPath())) {
            return List.of();
        }
        List<org.apache.maven.project.MavenProject> reactor = session == null || session.getAllProjects() == null
                ? List.of() : session.getAllProjects();
        return ReactorRelease.modules(project, reactor, image);
    }

    private static Map<String, String> asMap(Properties properties) {
        return properties.stringPropertyNames().stream().collect(Collectors.toMap(name -> name, properties::getProperty));
    }
}
