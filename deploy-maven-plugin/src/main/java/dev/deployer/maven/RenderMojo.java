package dev.deployer.maven;

import dev.deployer.core.ProcessRunner;
import dev.deployer.render.RenderRequest;
import dev.deployer.render.SecretMode;
import dev.deployer.render.TemplateRenderer;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Renders the deployment templates ({@code src/main/deploy/**&#47;*.vm}) into {@code target/deployer/<environment>/}
 * for preview: secrets show as {@code [REDACTED]}. YAML outputs are checked, and a {@code .quantum} descriptor is
 * written next to the Quantum stack file. See docs/render.md.
 */
@Mojo(name = "render", defaultPhase = LifecyclePhase.PREPARE_PACKAGE, threadSafe = true)
public class RenderMojo extends AbstractDeployerMojo {

    /**
     * The directory of the Velocity templates ({@code *.vm}, subdirectories included).
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.templateDirectory", defaultValue = "${project.basedir}/src/main/deploy")
    private File templateDirectory;

    /**
     * The image repository without tag, e.g. {@code ghcr.io/acme/service}: {@code $image.repository}. Required by
     * templates that use {@code $image.repository} or {@code $image.ref}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.image")
    private String image;

    /**
     * Template variables, {@code $vars.NAME}. Each can be overridden with {@code -Ddeployer.var.NAME=value} or a
     * {@code deployer.var.NAME} project property (e.g. in a profile); the property {@code deployer.variables} itself
     * cannot hold a map.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.variables")
    private Map<String, String> variables;

    /**
     * Names of the secrets templates may use as {@code $secrets.NAME}. Values come only from the environment
     * variable of the same name, never from the POM; {@code deployer:render} shows them as {@code [REDACTED]}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.secrets")
    private List<String> secrets;

    /**
     * The rendered stack file the {@code .quantum} descriptor points at, relative to the output directory. The
     * descriptor is written only when this file is rendered.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.quantum.stackFile", defaultValue = "stack.yml")
    private String quantumStackFile;

    @Override
    protected void run() {
        Map<String, String> vars = RenderRequest.mergeVariables(variables, asMap(project.getProperties()),
                asMap(session.getUserProperties()));
        RenderRequest request = new RenderRequest(projectInfo(), templateDirectory.toPath(), environment, image, vars,
                secrets == null ? List.of() : secrets, quantumStackFile, SecretMode.PREVIEW);
        new TemplateRenderer(log(), System::getenv, new ProcessRunner(log())).render(request);
    }

    private static Map<String, String> asMap(Properties properties) {
        return properties.stringPropertyNames().stream()
                .collect(Collectors.toMap(name -> name, properties::getProperty));
    }
}
