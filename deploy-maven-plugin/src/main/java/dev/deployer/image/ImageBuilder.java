package dev.deployer.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.events.TimerEvent;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * {@code deployer:build}: builds the service's image with Jib (daemonless, layered, reproducible) and either
 * pushes it under immutable tags or writes it to a tarball / the local engine.
 *
 * <p>The push path: probe the registries (fail fast), ask the registry for each tag's digest (a HEAD on the probe's
 * authenticated connection), and only then act.
 * No tag present: push. Some present: assemble the image locally first, to learn its digest without touching
 * the registry or writing anything ({@link DigestOnlyClient}), then skip the push when every present tag already
 * names this digest, or fail — pushing nothing — when one names another image.
 */
public final class ImageBuilder {

    private static final String TOOL_VERSION = "0.1.0";
    private static final Set<String> STRICT_ENVIRONMENTS = Set.of("qa", "production");

    private final Log log;
    private final CredentialChain credentials;
    private final RegistryProbe probe;
    private final GitHubActions github;
    private final ConsoleMode console;
    private final PrintStream terminal;
    private final Function<String, String> env;

    public ImageBuilder(Log log, CredentialChain credentials, RegistryProbe probe, GitHubActions github,
                        ConsoleMode console, PrintStream terminal, Function<String, String> env) {
        this.log = log;
        this.credentials = credentials;
        this.probe = probe;
        this.github = github;
        this.console = console;
        this.terminal = terminal;
        this.env = env;
    }

    /** Builds (and pushes, when asked) the image, writes {@code target/deployer/image.json} and reports. */
    public ImageResult build(ImageRequest request) {
        long start = System.nanoTime();
        ImageReference target = targetRepository(request.image());
        refuseDirtyTree(request);
        List<String> tags = Tags.of(request.git(), request.project().version(), request.environment(), request.extraTags());
        if (request.push() && request.toDocker()) {
            throw new DeployerException("deployer.push and deployer.toDocker are both true", "deployer.toDocker",
                    "push to the registry (deployer.push=true) or load into the local engine (deployer.toDocker=true), not both");
        }
        String mainClass = mainClass(request);
        BaseImage base = BaseImage.parse(request.baseImage(), request.project().basedir());
        String targetRegistry = target.getRegistry();

        Optional<RegistryCredential> pushCredential = request.push()
                ? credentials.find(targetRegistry, true) : Optional.empty();
        Optional<RegistryCredential> baseCredential = base.registry()
                .map(registry -> credentials.find(registry, registry.equals(targetRegistry)))
                .orElse(Optional.empty());
        List<Secret> secrets = new ArrayList<>();
        pushCredential.ifPresent(found -> secrets.add(found.password()));
        baseCredential.ifPresent(found -> secrets.add(found.password()));
        ProgressDisplay display = new ProgressDisplay(log, console, terminal, secrets);

        base.registry().ifPresent(registry -> reportCredential(registry, baseCredential));
        if (request.push() && !base.registry().equals(Optional.of(targetRegistry))) {
            reportCredential(targetRegistry, pushCredential);
        }
        // The probes only read; they run while the layers are prepared locally (which also checks the rest of the
        // input: a bad port or label still fails first, as the probes are awaited only afterwards).
        long probeStart = System.nanoTime();
        CompletableFuture<RegistrySession> probes = CompletableFuture.supplyAsync(() -> {
            if (base.registry().isPresent()) {
                String registry = base.registry().get();
                probe.check(registry, base.reference().getRepository(), baseCredential, false,
                        credentials.sources(registry, registry.equals(targetRegistry)), "deployer.baseImage");
            }
            return !request.push() ? null : probe.check(targetRegistry, target.getRepository(), pushCredential, true,
                    credentials.sources(targetRegistry, true), "deployer.image");
        });
        JibContainerBuilder jib = containerBuilder(request, base, baseCredential, mainClass);
        RegistrySession session = await(probes);
        log.debug(String.format("Registry probe: %d ms (alongside the layer preparation)",
                (System.nanoTime() - probeStart) / 1_000_000));

        log.info("Building image " + repository(target) + ":" + tags.get(0) + " from " + request.baseImage()
                + " (main class " + mainClass + ")");
        ImageResult result;
        try {
            result = request.push()
                    ? push(request, jib, target, tags, pushCredential, session, display)
                    : local(request, jib, target, tags, display);
        } finally {
            display.clear();
        }
        result.write(request.project().deployerDir().resolve("image.json"));
        github.output("image", result.image());
        github.output("digest", result.digest());
        log.info(String.format("Image %s:%s %s: %s (tags: %s) in %.1f s", result.image(), tags.get(0), result.digest(),
                result.outcome().text(), String.join(", ", tags), (System.nanoTime() - start) / 1e9));
        return result;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void reportCredential(String registry, Optional<RegistryCredential> credential) {
        log.info("Registry " + registry + ": " + credential.map(found -> "credential of user '" + found.username()
                + "' from " + found.source()).orElse("no credential found, trying without"));
    }

    private ImageResult push(ImageRequest request, JibContainerBuilder jib, ImageReference target, List<String> tags,
                             Optional<RegistryCredential> credential, RegistrySession session, ProgressDisplay display) {
        String repository = repository(target);
        long checkStart = System.nanoTime();
        Map<String, String> existing = new LinkedHashMap<>();
        for (String tag : tags) {
            session.digest(target.getRepository(), tag).ifPresent(digest -> existing.put(tag, digest));
        }
        log.debug(String.format("Tag check (%d present): %d ms", existing.size(), (System.nanoTime() - checkStart) / 1_000_000));
        if (existing.isEmpty()) {
            JibContainer pushed = containerize(request, jib, toRegistry(target, tags, credential), display, "push");
            return new ImageResult(repository, tags, pushed.getDigest().toString(), true, ImageResult.Outcome.PUSHED);
        }
        log.info("Tag(s) " + String.join(", ", existing.keySet()) + " already in " + repository
                + ": computing this build's digest (nothing is pushed or written) to compare");
        String digest = containerize(request, jib, Containerizer.to(new DigestOnlyClient(),
                DockerDaemonImage.named(tagged(target, tags.get(0)))), display, "build").getDigest().toString();
        Map<String, String> conflicts = new LinkedHashMap<>();
        existing.forEach((tag, found) -> {
            if (!found.equals(digest)) {
                conflicts.put(tag, found);
            }
        });
        if (!conflicts.isEmpty()) {
            StringBuilder which = new StringBuilder();
            conflicts.forEach((tag, found) -> which.append(which.length() == 0 ? "" : ", ")
                    .append(repository).append(':').append(tag).append(" is ").append(found));
            throw new DeployerException("Tags are immutable: " + which + ", but this build is " + digest
                    + ". Nothing was pushed", "deployer.image",
                    "commit the change (a new commit gets a new tag); if the old image really must be replaced,"
                            + " delete the tag in the registry on purpose first. Builds of the same commit give the same"
                            + " digest unless the build inputs (dependencies, base image, compiled classes) differ");
        }
        List<String> missing = tags.stream().filter(tag -> !existing.containsKey(tag)).toList();
        if (missing.isEmpty()) {
            return new ImageResult(repository, tags, digest, true, ImageResult.Outcome.ALREADY_PUSHED);
        }
        log.info("Pushing the missing tag(s) " + String.join(", ", missing));
        JibContainer pushed = containerize(request, jib, toRegistry(target, missing, credential), display, "push");
        return new ImageResult(repository, tags, pushed.getDigest().toString(), true, ImageResult.Outcome.PUSHED);
    }

    private ImageResult local(ImageRequest request, JibContainerBuilder jib, ImageReference target, List<String> tags,
                              ProgressDisplay display) {
        ImageReference first = tagged(target, tags.get(0));
        Containerizer containerizer;
        ImageResult.Outcome outcome;
        if (request.toDocker()) {
            containerizer = Containerizer.to(DockerDaemonImage.named(first));
            outcome = ImageResult.Outcome.DOCKER;
        } else {
            try {
                Files.createDirectories(request.tarball().getParent());
            } catch (IOException e) {
                throw new DeployerException("Cannot create " + request.tarball().getParent() + ": " + e.getMessage(), null, null);
            }
            containerizer = Containerizer.to(TarImage.at(request.tarball()).named(first));
            outcome = ImageResult.Outcome.TARBALL;
        }
        tags.stream().skip(1).forEach(containerizer::withAdditionalTag);
        JibContainer built = containerize(request, jib, containerizer, display, "build");
        return new ImageResult(repository(target), tags, built.getDigest().toString(), false, outcome);
    }

    private Containerizer toRegistry(ImageReference target, List<String> tags, Optional<RegistryCredential> credential) {
        RegistryImage image = RegistryImage.named(tagged(target, tags.get(0)));
        credential.ifPresent(found -> image.addCredential(found.username(), found.password().reveal()));
        Containerizer containerizer = Containerizer.to(image);
        tags.stream().skip(1).forEach(containerizer::withAdditionalTag);
        return containerizer;
    }

    /** Runs Jib; the project's layers are cached in {@code target/deployer/jib-cache} (base layers in Jib's shared cache). */
    private JibContainer containerize(ImageRequest request, JibContainerBuilder jib, Containerizer containerizer,
                                      ProgressDisplay display, String what) {
        containerizer.setToolName("deployer").setToolVersion(TOOL_VERSION)
                .setApplicationLayersCache(request.project().deployerDir().resolve("jib-cache"))
                .addEventHandler(LogEvent.class, display::log)
                .addEventHandler(ProgressEvent.class, new ProgressEventHandler(display::progress))
                .addEventHandler(TimerEvent.class, event -> {
                    if (event.getState() == TimerEvent.State.FINISHED) {
                        log.debug(String.format("Jib step %s: %d ms", event.getDescription(), event.getDuration().toMillis()));
                    }
                });
        try {
            return jib.containerize(containerizer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployerException("Interrupted during the image " + what, null, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw failed(what, cause, display);
        } catch (Exception e) {
            throw failed(what, e, display);
        }
    }

    private static DeployerException failed(String what, Throwable cause, ProgressDisplay display) {
        String message = display.mask(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        return new DeployerException("Image " + what + " failed: " + message,
                what.equals("push") ? "deployer.image" : "deployer.baseImage",
                "run with -X for Jib's details; check the base image and registry are reachable and the credentials valid");
    }

    private JibContainerBuilder containerBuilder(ImageRequest request, BaseImage base,
                                                 Optional<RegistryCredential> baseCredential, String mainClass) {
        if (!Files.isDirectory(request.classesDir())) {
            throw new DeployerException("No compiled classes at " + request.classesDir(), "deployer:build",
                    "run the goal in the package phase (./mvnw package), after compile");
        }
        try {
            JavaContainerBuilder java = base.javaContainerBuilder(baseCredential)
                    .addDependencies(request.dependencies())
                    .addSnapshotDependencies(request.snapshotDependencies())
                    .addResources(request.classesDir(), path -> !path.toString().endsWith(".class"))
                    .addClasses(request.classesDir(), path -> path.toString().endsWith(".class"))
                    .addJvmFlags(request.jvmFlags())
                    .setMainClass(mainClass);
            return java.toContainerBuilder()
                    .setCreationTime(request.git().commitTime())
                    .setLabels(labels(request))
                    .setExposedPorts(ports(request.ports()));
        } catch (IOException e) {
            throw new DeployerException("Cannot read the application files: " + e.getMessage(), null,
                    "rebuild with ./mvnw clean package");
        }
    }

    private Map<String, String> labels(ImageRequest request) {
        Map<String, String> labels = new LinkedHashMap<>();
        String source = sourceUrl(request.sourceUrl());
        if (source != null) {
            labels.put("org.opencontainers.image.source", source);
        } else if (request.push() && request.image().startsWith("ghcr.io/")) {
            log.warn("No source URL (set deployer.sourceUrl or <scm><url>): a first push to GHCR will not be linked to"
                    + " the repository");
        }
        labels.put("org.opencontainers.image.revision", request.git().sha());
        labels.put("org.opencontainers.image.created", request.git().commitTime().toString());
        labels.put("org.opencontainers.image.version", request.git().version());
        for (String label : request.labels()) {
            int equals = label.indexOf('=');
            if (equals <= 0) {
                throw new DeployerException("Label '" + label + "' is not key=value", "deployer.labels",
                        "write each label as key=value, e.g. <label>team=payments</label>");
            }
            labels.put(label.substring(0, equals).strip(), label.substring(equals + 1).strip());
        }
        return labels;
    }

    private String sourceUrl(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        String server = env.apply("GITHUB_SERVER_URL");
        String repository = env.apply("GITHUB_REPOSITORY");
        if (server != null && !server.isBlank() && repository != null && !repository.isBlank()) {
            return server + "/" + repository;
        }
        return null;
    }

    static Set<Port> ports(List<String> ports) {
        Set<Port> parsed = new LinkedHashSet<>();
        for (String port : ports) {
            String[] parts = port.strip().split("/", 2);
            try {
                int number = Integer.parseInt(parts[0]);
                if (number < 1 || number > 65535) {
                    throw new NumberFormatException();
                }
                String protocol = parts.length == 2 ? parts[1].toLowerCase(java.util.Locale.ROOT) : "tcp";
                if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                    throw new NumberFormatException();
                }
                parsed.add(protocol.equals("udp") ? Port.udp(number) : Port.tcp(number));
            } catch (NumberFormatException e) {
                throw new DeployerException("Port '" + port + "' is not a port number (1-65535) with an optional /tcp"
                        + " or /udp", "deployer.ports", "write ports as 8080 or 8080/tcp");
            }
        }
        return parsed;
    }

    private void refuseDirtyTree(ImageRequest request) {
        if (request.git().dirty() && STRICT_ENVIRONMENTS.contains(request.environment())) {
            List<String> files = request.git().dirtyFiles();
            String shown = String.join(", ", files.subList(0, Math.min(20, files.size())))
                    + (files.size() > 20 ? " and " + (files.size() - 20) + " more" : "");
            throw new DeployerException("The working tree has uncommitted changes (" + shown + "): an image for "
                    + request.environment() + " must be built from a commit", "deployer.environment",
                    "commit or stash the changes (or add build outputs to .gitignore), then build again");
        }
        if (request.git().dirty()) {
            log.warn("The working tree has uncommitted changes: tagging " + request.git().version());
        }
    }

    static String mainClass(ImageRequest request) {
        if (request.mainClass() != null && !request.mainClass().isBlank()) {
            String main = request.mainClass().strip();
            if (!main.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
                throw new DeployerException("'" + main + "' is not a Java class name", "deployer.mainClass",
                        "give the fully qualified main class, e.g. com.acme.Main");
            }
            return main;
        }
        Path jar = request.artifactJar();
        if (jar != null && Files.isRegularFile(jar)) {
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                // A Spring Boot jar (repackaged, layered or not) names its launcher as Main-Class and the application
                // as Start-Class. The launcher reads nested jars; the image holds classes and dependency layers
                // instead (as Jib does), so it runs the application's own main class.
                String start = manifest == null ? null : manifest.getMainAttributes().getValue("Start-Class");
                if (start != null && !start.isBlank()) {
                    return start.strip();
                }
                String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
                if (main != null && !main.isBlank()) {
                    return main.strip();
                }
            } catch (IOException e) {
                throw new DeployerException("Cannot read " + jar + ": " + e.getMessage(), "deployer.mainClass",
                        "rebuild the jar, or set deployer.mainClass");
            }
        }
        throw new DeployerException("No main class: deployer.mainClass is not set and "
                + (jar == null ? "the project has no jar" : jar.getFileName() + " has no Main-Class in its manifest"),
                "deployer.mainClass",
                "set <deployer.mainClass>com.acme.Main</deployer.mainClass> in the POM properties (or a Main-Class in"
                        + " maven-jar-plugin's <archive><manifest><mainClass>)");
    }

    private static ImageReference targetRepository(String image) {
        if (image == null || image.isBlank()) {
            throw new DeployerException("No image repository", "deployer.image",
                    "set <deployer.image>ghcr.io/acme/service</deployer.image> in the POM properties");
        }
        ImageReference reference;
        try {
            reference = ImageReference.parse(image.strip());
        } catch (InvalidImageReferenceException e) {
            throw new DeployerException("'" + image + "' is not an image repository", "deployer.image",
                    "write it as host[:port]/path in lower case, e.g. ghcr.io/acme/service");
        }
        if (image.contains("@") || reference.getTag().isPresent() && image.substring(image.lastIndexOf('/') + 1).contains(":")) {
            throw new DeployerException("'" + image + "' has a tag or digest; deployer.image is the repository only",
                    "deployer.image", "remove the tag: the tags come from the commit (and deployer.extraTags)");
        }
        return reference;
    }

    private static String repository(ImageReference target) {
        return target.getRegistry() + "/" + target.getRepository();
    }

    private static ImageReference tagged(ImageReference repository, String tag) {
        return ImageReference.of(repository.getRegistry(), repository.getRepository(), tag);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover check tarball under target/ is harmless and goes with mvn clean
        }
    }
}
