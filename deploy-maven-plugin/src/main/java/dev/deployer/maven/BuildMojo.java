package dev.deployer.maven;

import dev.deployer.core.Environments;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.GitInfo;
import dev.deployer.core.Log;
import dev.deployer.core.ProcessRunner;
import dev.deployer.guard.ProductionGuard;
import dev.deployer.image.ConsoleMode;
import dev.deployer.image.CredentialChain;
import dev.deployer.image.ImageBuilder;
import dev.deployer.image.ImageRequest;
import dev.deployer.image.ImageResult;
import dev.deployer.image.MainClass;
import dev.deployer.image.Platforms;
import dev.deployer.image.SbomDependency;
import dev.deployer.image.SigningKey;
import dev.deployer.image.SupplyChain;
import dev.deployer.image.RegistryProbe;
import dev.deployer.image.RegistryDigests;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds the service's image with Jib, tagged with the commit SHA: pushed to {@code deployer.image} when
 * {@code deployer.push} is true (the {@code qa} and {@code production} profiles), else written to
 * {@code target/deployer/image.tar} (or the local engine). Writes {@code target/deployer/image.json} and the CycloneDX
 * SBOM {@code target/deployer/sbom.cdx.json}; a pushed image gets the SBOM attached and, with
 * {@code DEPLOYER_SIGNING_KEY} in the environment, cosign signatures of its digest and of the SBOM.
 *
 * @since 0.1.0
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class BuildMojo extends AbstractDeployerMojo {

    /**
     * The image repository, without tag, e.g. {@code ghcr.io/acme/service}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.image")
    String image;

    /**
     * The base image: {@code registry/path:tag}, {@code tar://file.tar} or {@code docker://name:tag}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.baseImage")
    String baseImage;

    /**
     * The main class. By default inferred like Jib: the {@code Main-Class} of the project jar's manifest, else the
     * only class in {@code target/classes} with a {@code public static void main(String[])}; none or several is an error
     * listing them.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.mainClass")
    String mainClass;

    /**
     * Flags for {@code java} in the entrypoint, e.g. {@code -XX:MaxRAMPercentage=75}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.jvmFlags")
    List<String> jvmFlags = new ArrayList<>();

    /**
     * Ports the image exposes: {@code 8080}, {@code 8080/tcp}, {@code 5353/udp}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.ports")
    List<String> ports = new ArrayList<>();

    /**
     * Extra image labels, each {@code key=value}; the OCI labels are added by themselves.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.labels")
    List<String> labels = new ArrayList<>();

    /**
     * Tags besides the commit SHA; tokens {@code @{sha}}, {@code @{short}}, {@code @{version}}, {@code @{environment}}. Never {@code latest}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.extraTags")
    List<String> extraTags = new ArrayList<>();

    /**
     * The source URL for {@code org.opencontainers.image.source}; default: {@code <scm><url>}, else GitHub's.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.sourceUrl")
    String sourceUrl;

    /**
     * Push to the registry (after the immutability check); false writes a tarball. Default:
     * {@code deployer.<environment>.push}, else true in qa and production, false elsewhere.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.push")
    Boolean push;

    /**
     * Without push: load the image into the local Docker engine instead of writing a tarball.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.toDocker", defaultValue = "false")
    boolean toDocker;

    /**
     * The platforms to build for, {@code os/architecture[/variant]} comma separated, e.g.
     * {@code linux/amd64,linux/arm64}: one image per platform, pushed as an index (a manifest list) under the same
     * tags. Default: the base image's Linux platforms when it is an index and the image is pushed, else linux/amd64.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.platforms")
    String platforms;

    /**
     * Progress display: {@code auto}, {@code plain} (log lines) or {@code rich} (a live line).
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.console", defaultValue = "auto")
    String console;

    /**
     * Refs ({@code GITHUB_REF_NAME}) production may be pushed from. Default:
     * {@code deployer.production.allowedRefs}, else {@code main,master}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.allowedRefs")
    protected String allowedRefs;

    /**
     * Push an image for production from outside CI or against the guard's rules: prints a loud warning. For emergencies only.
     *
     * @since 0.1.0
     */
    @Parameter(property = "deployer.allowLocalProduction", defaultValue = "false")
    protected boolean allowLocalProduction;

    /**
     * Promote instead of build: the full commit SHA of a build whose image is in the registry. No Jib runs: the digest
     * of {@code <image>:<sha>} is read from the registry and written to {@code target/deployer/image.json} with
     * outcome {@code promoted}, so the deploy runs exactly the digest that build pushed (a reactor's owner module
     * then deploys the whole release of that commit). A missing tag is an error naming the repository and the tag.
     *
     * @since 0.2.0
     */
    @Parameter(property = "deployer.release")
    String release;

    /**
     * With {@code deployer.release}: the digests the build pushed, {@code <repository>@sha256:…} separated by spaces or
     * commas (the reusable workflow's build job output). The promotion then fails, before anything is deployed, when
     * the registry's {@code <image>:<sha>} names another digest (the tag moved after the build) or when this module's
     * repository is not listed.
     *
     * @since 0.2.0
     */
    @Parameter(property = "deployer.release.digests")
    String releaseDigests;

    /** Maven's settings, for the registry {@code <server>} credentials. */
    @Parameter(defaultValue = "${settings}", readonly = true)
    Settings settings;

    private final SettingsDecrypter decrypter;

    @Inject
    public BuildMojo(SettingsDecrypter decrypter) {
        this.decrypter = decrypter;
    }

    @Override
    protected void run() {
        if ("pom".equals(project.getPackaging())) {
            getLog().info("Skipping deployer:build: packaging 'pom' has no image");
            return;
        }
        File jar = project.getArtifact() == null ? null : project.getArtifact().getFile();
        Path classes = Path.of(project.getBuild().getOutputDirectory());
        String notAService = MainClass.notAService(image, project.getPackaging(),
                () -> MainClass.search(mainClass, jar == null ? null : jar.toPath(), classes, event -> { }));
        if (notAService != null) {
            getLog().info("Skipping deployer:build: " + notAService);
            return;
        }
        if (release != null && !release.isBlank()) {
            promote(AbstractStackMojo.requireSha(release.strip()));
            return;
        }
        List<Path> releases = new ArrayList<>();
        List<Path> snapshots = new ArrayList<>();
        List<SbomDependency> sbomDependencies = new ArrayList<>();
        for (Artifact artifact : project.getArtifacts()) {
            if (artifact.getFile() != null && artifact.getArtifactHandler().isAddedToClasspath()) {
                (artifact.isSnapshot() ? snapshots : releases).add(artifact.getFile().toPath());
                sbomDependencies.add(sbomDependency(artifact));
            }
        }
        // a bad DEPLOYER_SIGNING_KEY fails here, before anything is pushed
        Optional<SigningKey> signingKey = SupplyChain.signingKey(System::getenv, GitHubActions.fromSystem());
        String source = sourceUrl != null ? sourceUrl : project.getScm() == null ? null : project.getScm().getUrl();
        Environments environments = environments();
        boolean push = environments.push(this.push);
        String refs = environments.value(Environments.ALLOWED_REFS, allowedRefs);
        if (push) {
            // outside GitHub Actions (or on another ref) a production push is refused for that, before anything is read
            ProductionGuard.of(refs, allowLocalProduction, System::getenv, null).checkWhere(environment, "push an image for");
        }
        // git's output is not logged: under -X, `git diff` would print uncommitted changes (secrets included)
        GitInfo git = GitInfo.read(projectInfo(), new ProcessRunner(Log.silent()), System::getenv);
        if (push) {
            // a production image is pushed only where it may be deployed: nothing reaches the registry otherwise
            ProductionGuard.of(refs, allowLocalProduction, System::getenv, git).checkPush(environment, git.sha(), log());
        }
        ImageRequest request = new ImageRequest(projectInfo(), git, environment, image, baseImage, mainClass,
                jar == null ? null : jar.toPath(), classes, releases, snapshots,
                jvmFlags, ports, labels, extraTags, source, push, toDocker, Platforms.parse(platforms));
        ConsoleMode mode = ConsoleMode.resolve(console, System.console() != null,
                !session.getRequest().isInteractiveMode(), System::getenv);
        CredentialChain credentials = new CredentialChain(System::getenv,
                new SettingsCredentials(settings, decrypter), Path.of(System.getProperty("user.home")));
        RegistryProbe probe = new RegistryProbe();
        // under -T, module builds interleave: each progress line names its module
        ImageResult result = new ImageBuilder(log(), credentials, probe, GitHubActions.fromSystem(), mode, System.out,
                System::getenv, session.isParallel() ? project.getArtifactId() : null).build(request);
        new SupplyChain(log(), credentials, probe).publish(request, result, sbomDependencies, signingKey);
    }

    /**
     * The promotion: no build, the registry's digest of {@code <image>:<sha>} recorded as this module's image. Reads
     * only (a read-only registry token is enough) and pushes nothing.
     */
    private void promote(String sha) {
        if (image == null || image.isBlank()) {
            throw new dev.deployer.core.DeployerException("Promoting the release " + sha + " needs the image repository",
                    "deployer.image", "set <image> in the plugin configuration of " + project.getArtifactId());
        }
        CredentialChain credentials = new CredentialChain(System::getenv, new SettingsCredentials(settings, decrypter),
                Path.of(System.getProperty("user.home")));
        String digest = new RegistryDigests(credentials, new RegistryProbe(RegistryDigests.BUDGET)).promoted(image.strip(), sha);
        if (releaseDigests != null && !releaseDigests.isBlank()) {
            String expected = expectedDigest(releaseDigests, image.strip());
            if (!expected.equals(digest)) {
                throw new dev.deployer.core.DeployerException("The tag " + image.strip() + ":" + sha + " now names " + digest
                        + ", not " + expected + ", the digest the build pushed: the tag moved after the build; nothing was"
                        + " promoted", "deployer.release.digests",
                        "find out who pushed to that tag (Deployer never overwrites one), then build and deploy again");
            }
        }
        java.nio.file.Path json = projectInfo().deployerDir().resolve(dev.deployer.core.BuiltImage.FILE);
        new dev.deployer.core.BuiltImage(image.strip(), List.of(sha), digest, "promoted", java.util.Map.of()).write(json);
        getLog().info("Promoted " + image.strip() + ":" + sha + "@" + digest + " (deployer.release: no image built, Jib not run)"
                + " -> " + project.getBasedir().toPath().relativize(json));
        GitHubActions github = GitHubActions.fromSystem();
        github.output("digest", digest);
    }

    /** The digest {@code digests} ({@code repository@sha256:…} list) names for {@code repository}. */
    static String expectedDigest(String digests, String repository) {
        for (String entry : digests.strip().split("[\\s,]+")) {
            int at = entry.lastIndexOf('@');
            if (at > 0 && entry.substring(0, at).equals(repository)) {
                return dev.deployer.deploy.ImageResolver.requireDigest(entry.substring(at + 1));
            }
        }
        throw new dev.deployer.core.DeployerException("deployer.release.digests lists no digest of " + repository,
                "deployer.release.digests", "give every image the build pushed as <repository>@sha256:<64 hex> (the build"
                        + " job's digests output), or leave the property out");
    }

    /** The SBOM's view of a resolved artifact; its parent is the previous entry of Maven's dependency trail. */
    private static SbomDependency sbomDependency(Artifact artifact) {
        List<String> trail = artifact.getDependencyTrail();
        String parent = trail != null && trail.size() >= 3 ? trail.get(trail.size() - 2) : null;
        return new SbomDependency(artifact.getId(), artifact.getGroupId(), artifact.getArtifactId(),
                artifact.getVersion(), artifact.getType(),
                artifact.getClassifier(), artifact.getScope(), artifact.getFile().toPath(), parent);
    }
}
