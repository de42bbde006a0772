package dev.deployer.maven;

import dev.deployer.core.DeployerException;
import dev.deployer.render.RenderRequest;
import dev.deployer.render.SecretMode;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

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

    /**
     * Who deploys the release of a reactor: {@code module} (the module with the templates that depends on the image
     * modules, docs/release.md) or {@code root}: the reactor root's templates ({@code src/main/deploy} of the root
     * project) deploy every image module of the reactor as one release, once, at the end of the reactor, after every
     * module has run {@code deployer:deploy} (also under {@code -T}). Set it in the root POM's plugin configuration
     * (the modules inherit it) or with {@code -Ddeployer.releaseOwner=root}.
     *
     * @since 0.2.0
     */
    @Parameter(property = "deployer.releaseOwner", defaultValue = "module")
    protected String releaseOwner;

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
        if (rootOwned()) {
            return isReleaseRoot() ? ReactorRelease.rootModules(project, reactor(), image) : List.of();
        }
        return ReactorRelease.modules(project, reactor(), image);
    }

    /** Every project of the reactor, also those {@code -pl} left out of the build. */
    protected List<MavenProject> reactor() {
        return session == null || session.getAllProjects() == null ? List.of() : session.getAllProjects();
    }

    /** Whether the reactor root owns the release ({@code deployer.releaseOwner=root}). */
    protected boolean rootOwned() {
        String owner = releaseOwner == null || releaseOwner.isBlank() ? "module" : releaseOwner.strip();
        if (!owner.equals("module") && !owner.equals("root")) {
            throw new DeployerException("deployer.releaseOwner '" + owner + "' is neither module nor root",
                    "deployer.releaseOwner", "give root (the reactor root's templates deploy the release at the end of"
                            + " the reactor) or module (the default: the module with the templates that depends on the"
                            + " image modules)");
        }
        return owner.equals("root");
    }

    /** The reactor root (the project Maven was started in), which owns the release with {@code deployer.releaseOwner=root}. */
    protected MavenProject releaseRoot() {
        return ReactorRelease.root(reactor(), session == null ? project : session.getTopLevelProject());
    }

    /** Whether this project is the reactor root. */
    protected boolean isReleaseRoot() {
        MavenProject root = releaseRoot();
        return root == null || root == project || root.getId().equals(project.getId());
    }

    private static Map<String, String> asMap(Properties properties) {
        return properties.stringPropertyNames().stream().collect(Collectors.toMap(name -> name, properties::getProperty));
    }
}
