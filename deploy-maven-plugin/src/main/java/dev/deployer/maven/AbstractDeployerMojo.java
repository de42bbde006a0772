package dev.deployer.maven;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Environments;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.Log;
import dev.deployer.core.ProjectInfo;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What every Deployer goal shares: {@code deployer.skip}, the environment, the project converted once into
 * a {@link ProjectInfo}, and one translation of core errors into build failures. Goals are thin: they read
 * their parameters, hand a plain request to the core and report.
 */
public abstract class AbstractDeployerMojo extends AbstractMojo {

    /** The project being built. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /** The Maven session. */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    /**
     * Skips every Deployer goal in this module.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * The environment to render, build and deploy for: {@code local}, {@code qa} or {@code production} (the
     * {@code qa} and {@code production} profiles set it). It chooses the defaults of {@code deployer.target},
     * {@code deployer.stack}, {@code deployer.push}, {@code deployer.healthUrl} and {@code deployer.allowedRefs}, and
     * the {@code deployer.<environment>.*} properties that override them (docs/adopt.md).
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.environment", defaultValue = "local")
    protected String environment;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping Deployer (deployer.skip=true)");
            try {
                skipped();
            } catch (RuntimeException e) {
                throw ErrorTranslator.translate(e);
            }
            return;
        }
        try {
            run();
        } catch (RuntimeException e) {
            DeployerException explained = ErrorTranslator.explain(e);
            if (!annotatesOwnErrors()) {
                GitHubActions.fromSystem().error(explained, project.getBasedir().toPath());
            }
            throw ErrorTranslator.translate(e);
        }
    }

    /**
     * Called instead of {@link #run()} when {@code deployer.skip} is set: a goal that others wait for (the release deploy
     * at the end of the reactor) still reports that it was reached.
     */
    protected void skipped() {
    }

    /** True for goals that already put their findings on the files as GitHub annotations (audit). */
    protected boolean annotatesOwnErrors() {
        return false;
    }

    /** The goal's work. Throws {@link DeployerException} for anything the user can fix. */
    protected abstract void run() throws MojoExecutionException, MojoFailureException;

    /** The project as the core sees it; the build directories of every module of the reactor are build outputs. */
    protected ProjectInfo projectInfo() {
        List<MavenProject> reactor = session == null || session.getAllProjects() == null ? List.of() : session.getAllProjects();
        return new ProjectInfo(project.getGroupId(), project.getArtifactId(), project.getVersion(),
                project.getPackaging(), project.getBasedir().toPath(), Path.of(project.getBuild().getDirectory()),
                reactor.stream().map(module -> Path.of(module.getBuild().getDirectory())).toList());
    }

    /**
     * The environment's settings: {@code deployer.<environment>.<setting>} properties ({@code -D} first, then the
     * POM's, profiles included) and the built-in defaults of {@code qa} and {@code production}.
     */
    protected Environments environments() {
        return new Environments(environment, project.getArtifactId(), name -> {
            String value = session == null ? null : session.getUserProperties().getProperty(name);
            return value != null ? value : project.getProperties().getProperty(name);
        });
    }

    /** The core's log, on top of Maven's. */
    protected Log log() {
        return new MavenLog(getLog());
    }
}
