package dev.deployer.maven;

import dev.deployer.core.BuiltImage;
import dev.deployer.core.ReleaseModule;
import dev.deployer.render.TemplateRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * A reactor as releases: the module with the stack templates (the owner) deploys, as one stack, the images of the
 * reactor modules it depends on. A dependency is an image module when it configures an image ({@code <image>} of the
 * deployer plugin, or a {@code deployer.image} property) or has an image record ({@code target/deployer/image.json});
 * other dependencies (libraries) are not part of the release. The dependency also makes Maven build (and, under
 * {@code -T}, wait for) every image module before the owner.
 */
final class ReactorRelease {

    static final String PLUGIN = "dev.deployer:deploy-maven-plugin";
    /** Where a module's templates are unless it configures another directory. */
    static final String DEFAULT_TEMPLATES = "src/main/deploy";

    private ReactorRelease() {
    }

    /**
     * The image modules of the release {@code owner} owns, in dependency order, the owner's own image first when it
     * builds one; empty when it depends on no image module (it deploys its own image alone, as before).
     *
     * @param ownImage the owner's own image repository ({@code deployer.image}), or null
     */
    static List<ReleaseModule> modules(MavenProject owner, List<MavenProject> reactor, String ownImage) {
        Map<String, MavenProject> byKey = new LinkedHashMap<>();
        reactor.forEach(p -> byKey.put(p.getGroupId() + ":" + p.getArtifactId(), p));
        List<MavenProject> dependencies = owner.getDependencies().stream()
                .map(dependency -> byKey.get(dependency.getGroupId() + ":" + dependency.getArtifactId()))
                .filter(module -> module != null && module != owner).toList();
        return release(owner, dependencies, ownImage);
    }

    /**
     * The image modules among {@code candidates} (those that configure an image or have an image record; libraries are
     * not part of a release), the owner's own image first when it builds one and the release is not empty.
     */
    private static List<ReleaseModule> release(MavenProject owner, List<MavenProject> candidates, String ownImage) {
        List<ReleaseModule> modules = new ArrayList<>();
        for (MavenProject module : candidates) {
            String repository = imageOf(module).orElse(null);
            Path deployerDir = deployerDir(module);
            if (repository != null || Files.isRegularFile(deployerDir.resolve(BuiltImage.FILE))) {
                modules.add(new ReleaseModule(module.getArtifactId(), repository, deployerDir));
            }
        }
        if (!modules.isEmpty() && (ownImage != null && !ownImage.isBlank()
                || Files.isRegularFile(deployerDir(owner).resolve(BuiltImage.FILE)))) {
            modules.add(0, new ReleaseModule(owner.getArtifactId(), ownImage, deployerDir(owner)));
        }
        return modules;
    }

    /**
     * The owner of the release {@code module} is an image module of: a reactor project with templates that depends on
     * it; empty when it is none (it deploys itself, or is a library).
     */
    static Optional<MavenProject> ownerOf(MavenProject module, List<MavenProject> reactor) {
        return reactor.stream().filter(p -> p != module)
                .filter(p -> p.getDependencies().stream().anyMatch(d -> d.getGroupId().equals(module.getGroupId())
                        && d.getArtifactId().equals(module.getArtifactId())))
                .filter(p -> TemplateRenderer.hasTemplates(p.getBasedir().toPath().resolve(DEFAULT_TEMPLATES)))
                .findFirst();
    }

    /**
     * The image modules of the release the reactor root owns ({@code deployer.releaseOwner=root}): every project of the
     * reactor but the root that configures an image or has an image record, in reactor order (libraries are not part of
     * it), the root's own image first when it builds one.
     *
     * @param ownImage the root's own image repository ({@code deployer.image}), or null
     */
    static List<ReleaseModule> rootModules(MavenProject root, List<MavenProject> reactor, String ownImage) {
        return release(root, reactor.stream().filter(module -> module != root && !module.getId().equals(root.getId())).toList(),
                ownImage);
    }

    /**
     * The reactor root: the project Maven was started in (its execution root), also when {@code -pl} left it out of
     * the build; else the session's top-level project.
     */
    static MavenProject root(List<MavenProject> reactor, MavenProject topLevel) {
        return reactor.stream().filter(MavenProject::isExecutionRoot).findFirst()
                .orElse(topLevel != null ? topLevel : reactor.isEmpty() ? null : reactor.get(0));
    }

    /**
     * Whether {@code deployer:deploy} runs in {@code project} in a build of {@code goals}: the command line names the
     * goal (then it runs in every project of the build), or the project binds it to a phase ({@code deployer-deploy}
     * of the parent POM).
     */
    static boolean runsDeploy(MavenProject project, List<String> goals) {
        for (String goal : goals) {
            String name = goal.contains("@") ? goal.substring(0, goal.indexOf('@')) : goal;
            if (name.equals("deployer:deploy") || name.startsWith(PLUGIN + ":") && name.endsWith(":deploy")) {
                return true;
            }
        }
        Plugin plugin = project.getPlugin(PLUGIN);
        return plugin != null && plugin.getExecutions().stream().anyMatch(e -> e.getGoals().contains("deploy"));
    }

    /** The module's {@code target/deployer}. */
    static Path deployerDir(MavenProject module) {
        return Path.of(module.getBuild().getDirectory()).resolve("deployer");
    }

    /** The image repository a module configures: {@code <image>} of the deployer plugin, else its {@code deployer.image} property. */
    static Optional<String> imageOf(MavenProject module) {
        Plugin plugin = module.getPlugin(PLUGIN);
        if (plugin != null) {
            List<Object> configurations = new ArrayList<>();
            configurations.add(plugin.getConfiguration());
            for (PluginExecution execution : plugin.getExecutions()) {
                configurations.add(execution.getConfiguration());
            }
            for (Object configuration : configurations) {
                if (configuration instanceof Xpp3Dom dom && dom.getChild("image") != null) {
                    String value = dom.getChild("image").getValue();
                    if (value != null && !value.isBlank() && !value.contains("${")) {
                        return Optional.of(value.strip());
                    }
                }
            }
        }
        String property = module.getProperties().getProperty("deployer.image");
        return property == null || property.isBlank() ? Optional.empty() : Optional.of(property.strip());
    }
}
