package dev.deployer.maven;

import dev.deployer.core.ProcessRunner;
import dev.deployer.render.SecretMode;
import dev.deployer.render.TemplateRenderer;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Renders the deployment templates ({@code src/main/deploy/**&#47;*.vm}) into {@code target/deployer/<environment>/}
 * for preview: secrets show as {@code [REDACTED]}. YAML outputs are checked, and a {@code .quantum} descriptor is
 * written next to the Quantum stack file. Reference: the plugin site, page render-mojo.html.
 */
@Mojo(name = "render", defaultPhase = LifecyclePhase.PREPARE_PACKAGE, threadSafe = true)
public class RenderMojo extends AbstractTemplateMojo {

    @Override
    protected void run() {
        new TemplateRenderer(log(), System::getenv, new ProcessRunner(log())).render(renderRequest(SecretMode.PREVIEW));
    }
}
