package dev.deployer.render;

import dev.deployer.core.BuiltImage;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;
import dev.deployer.core.GitInfo;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.deployer.core.ReleaseModule;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.exception.MethodInvocationException;
import org.apache.velocity.exception.ParseErrorException;
import org.apache.velocity.exception.ResourceNotFoundException;
import org.apache.velocity.exception.VelocityException;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.resource.loader.FileResourceLoader;

/**
 * Renders {@code src/main/deploy/**&#47;*.vm} with Velocity, strictly, into {@code target/deployer/<environment>/}:
 * the file name without {@code .vm}, subdirectories kept. Templates whose name starts with {@code _} are partials
 * for {@code #parse}, not rendered on their own. Then checks YAML outputs ({@link StackRules}) and writes the
 * {@code .quantum} descriptor next to the Quantum stack file.
 *
 * <p>It never reads a secret's value: see {@link SecretMode}.
 */
public final class TemplateRenderer {

    /** Packages no template may call into (on top of {@link SandboxUberspector}'s allowlist). */
    static final List<String> RESTRICTED_PACKAGES = List.of("java.lang.reflect", "java.lang.invoke", "java.io", "java.nio",
            "java.net", "java.util.concurrent", "javax.script", "javax.naming", "sun.misc", "jdk.internal");
    /** Classes no template may call a method of. */
    static final List<String> RESTRICTED_CLASSES = List.of("java.lang.Class", "java.lang.ClassLoader", "java.lang.Compiler",
            "java.lang.InheritableThreadLocal", "java.lang.Package", "java.lang.Process", "java.lang.ProcessBuilder",
            "java.lang.ProcessHandle", "java.lang.Runtime", "java.lang.RuntimePermission", "java.lang.SecurityManager",
            "java.lang.System", "java.lang.Thread", "java.lang.ThreadGroup", "java.lang.ThreadLocal", "java.lang.Module",
            "java.lang.ModuleLayer", "java.lang.StackWalker");

    private static final Pattern POSITION = Pattern.compile(" at (\\S+)\\[line (\\d+), column (\\d+)\\]");

    /** The file {@code deployer:build} writes, under {@code target/deployer/}. */
    public static final String IMAGE_JSON = BuiltImage.FILE;
    /** {@code $image.tag} in a preview of a directory that has no git commit yet. */
    public static final String NO_COMMIT_TAG = "no-commit-yet";
    /** The Quantum project descriptor. */
    public static final String QUANTUM_DESCRIPTOR = ".quantum";

    private final Log log;
    private final Function<String, String> env;
    private final CommandRunner runner;

    /**
     * @param log     where to report what is written
     * @param env     the environment: only asked whether a secret is set (DEPLOY), and for {@code GITHUB_SHA}
     * @param runner  runs {@code git} when the tag comes from the commit
     */
    public TemplateRenderer(Log log, Function<String, String> env, CommandRunner runner) {
        this.log = log;
        this.env = env;
        this.runner = runner;
    }

    /** Renders, writes and checks every template; returns the written files (the {@code .quantum} descriptor last). */
    public List<RenderedFile> render(RenderRequest request) {
        Run run = new Run(request, request.mode(), () -> resolveImage(request), previewImages(request));
        List<RenderedFile> files = run.renderAll();
        if (files.isEmpty()) {
            log.info("No templates (*.vm) in " + display(request, request.templateDirectory()) + ": nothing to render");
            return files;
        }
        Path out = request.outputDirectory();
        deleteRecursively(out);
        List<RenderedFile> written = new ArrayList<>();
        for (RenderedFile file : files) {
            write(file);
            log.info("Rendered " + file.template() + " -> " + display(request, file.file()));
            written.add(file);
        }
        check(request, files);
        descriptor(request, files).ifPresent(descriptor -> {
            write(descriptor);
            log.info("Wrote Quantum descriptor " + display(request, descriptor.file()) + " (compose: "
                    + stackName(request) + ")");
            written.add(descriptor);
        });
        log.info(summary(request, run, files.size()));
        return List.copyOf(written);
    }

    /**
     * Renders every template for {@code image} in memory and checks the results as {@link #render} does: a pure
     * function of the templates, the image, the variables and the secret mode. Writes nothing and reads no
     * image.json; the {@code .quantum} descriptor comes last when the Quantum stack file is among the files.
     */
    public List<RenderedFile> renderFor(RenderRequest request, ImageRef image) {
        return renderFor(request, image, Map.of());
    }

    /**
     * {@link #renderFor(RenderRequest, ImageRef)} for a release: {@code $images} are {@code images} (by module
     * artifactId), the images being deployed.
     */
    public List<RenderedFile> renderFor(RenderRequest request, ImageRef image, Map<String, ImageRef> images) {
        Run run = new Run(request, request.mode(), () -> new ImageContext.Resolved(image.tag(), image.digest(), "deployed"),
                deployedImages(images));
        List<RenderedFile> files = new ArrayList<>(run.renderAll());
        check(request, files);
        descriptor(request, files).ifPresent(files::add);
        return List.copyOf(files);
    }

    /** The secrets the templates reference when rendered for {@code image}; renders in memory, reads no secret. */
    public SortedSet<String> referencedSecrets(RenderRequest request, ImageRef image) {
        return referencedSecrets(request, image, Map.of());
    }

    /** {@link #referencedSecrets(RenderRequest, ImageRef)} for a release deploying {@code images}. */
    public SortedSet<String> referencedSecrets(RenderRequest request, ImageRef image, Map<String, ImageRef> images) {
        Run run = new Run(request, SecretMode.PREVIEW, () -> new ImageContext.Resolved(image.tag(), image.digest(), "deployed"),
                deployedImages(images));
        run.renderAll();
        return new TreeSet<>(run.secrets.referenced());
    }

    private void check(RenderRequest request, List<RenderedFile> files) {
        List<DeployerException> failed = new ArrayList<>();
        for (RenderedFile file : files) {
            failed.addAll(StackRules.check(file, display(request, file.file()), request.environment(), declared(request)));
            StackRules.warnings(file, display(request, file.file()), request.imageRepository()).forEach(log::warn);
        }
        if (!failed.isEmpty()) {
            throw all(failed);
        }
    }

    /** The {@code .quantum} descriptor when the Quantum stack file is among {@code files}. */
    private static java.util.Optional<RenderedFile> descriptor(RenderRequest request, List<RenderedFile> files) {
        if (files.stream().noneMatch(file -> file.name().equals(stackName(request)))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new RenderedFile(request.outputDirectory().resolve(QUANTUM_DESCRIPTOR), QUANTUM_DESCRIPTOR,
                null, quantumDescriptor(stackName(request), request.environment())));
    }

    /**
     * The secrets the templates actually reference (in the branches they take), so a deploy reads only those from
     * the environment. Renders in memory; writes nothing and reads no secret.
     */
    public SortedSet<String> referencedSecrets(RenderRequest request) {
        Run run = new Run(request, SecretMode.PREVIEW, () -> resolveImage(request), previewImages(request));
        run.renderAll();
        return new TreeSet<>(run.secrets.referenced());
    }

    /** The names a placeholder in a Compose file may use: the declared secrets and variables. */
    private static java.util.Set<String> declared(RenderRequest request) {
        java.util.Set<String> names = new java.util.HashSet<>(request.secretNames());
        names.addAll(request.variables().keySet());
        return names;
    }

    /** The first failure, with the others listed after its fix ("Also: location: problem"). */
    private static DeployerException all(List<DeployerException> failed) {
        DeployerException first = failed.get(0);
        if (failed.size() == 1) {
            return first;
        }
        StringBuilder fix = new StringBuilder(first.fix());
        for (DeployerException other : failed.subList(1, failed.size())) {
            fix.append("\n  Also: ").append(other.location()).append(": ").append(other.problem());
        }
        return new DeployerException(first.problem(), first.location(), fix.toString());
    }

    /**
     * The {@code .quantum} project descriptor: {@code compose} and one environment entry, both the stack file. The
     * one text of it: the Quantum target writes this too when it deploys another file (a rollback's).
     */
    public static String quantumDescriptor(String stackFile, String environment) {
        return "---\n"
                + "version: '1.0'\n"
                + "compose: " + stackFile + "\n"
                + "environments:\n"
                + "- name: " + environment + "\n"
                + "  compose: " + stackFile + "\n";
    }

    private static String stackName(RenderRequest request) {
        return Path.of(request.quantumStackFile()).normalize().toString().replace('\\', '/');
    }

    private String summary(RenderRequest request, Run run, int count) {
        StringBuilder line = new StringBuilder("Rendered ").append(count).append(count == 1 ? " file" : " files")
                .append(" for environment ").append(request.environment())
                .append(" into ").append(display(request, request.outputDirectory()));
        if (run.image.source() != null) {
            line.append("; image ").append(run.image.toImageRef().ref()).append(" (").append(run.image.source()).append(')');
        }
        run.images.sources().forEach((module, source) -> line.append("; $images.").append(module).append(' ')
                .append(run.images.get(module).getRef()).append(" (").append(source).append(')'));
        SortedSet<String> secrets = new TreeSet<>(run.secrets.referenced());
        if (!secrets.isEmpty()) {
            line.append("; secrets ").append(String.join(", ", secrets))
                    .append(request.mode() == SecretMode.PREVIEW ? " shown as " + Secret.REDACTED
                            : " as ${NAME} placeholders for the deploy environment");
        }
        return line.toString();
    }

    /** One render: the engine and the context objects shared by the templates of the request. */
    private final class Run {

        private final RenderRequest request;
        private final Secrets secrets;
        private final ImageContext image;
        private final ReleaseImagesContext images;
        private final Variables variables;
        private final ProjectContext project;
        private final VelocityEngine engine;

        Run(RenderRequest request, SecretMode mode, java.util.function.Supplier<ImageContext.Resolved> resolver,
                ReleaseImagesContext images) {
            this.images = images;
            this.request = request;
            this.secrets = new Secrets(request.secretNames(), mode, env);
            this.variables = new Variables(request.variables());
            this.project = new ProjectContext(request.project());
            this.image = new ImageContext(request.imageRepository(), resolver);
            this.engine = engine(request.templateDirectory());
        }

        List<RenderedFile> renderAll() {
            List<RenderedFile> files = new ArrayList<>();
            for (String name : templates(request.templateDirectory())) {
                String outputName = name.substring(0, name.length() - ".vm".length());
                String templatePath = display(request, request.templateDirectory().resolve(name));
                files.add(new RenderedFile(request.outputDirectory().resolve(outputName), outputName, templatePath,
                        renderOne(name)));
            }
            return files;
        }

        private String renderOne(String name) {
            VelocityContext context = new VelocityContext();
            context.put("image", image);
            context.put("images", images);
            context.put("project", project);
            context.put("environment", request.environment());
            context.put("vars", variables);
            context.put("secrets", secrets);
            StringWriter out = new StringWriter();
            try {
                Template template = engine.getTemplate(name, StandardCharsets.UTF_8.name());
                template.merge(context, out);
            } catch (MethodInvocationException e) {
                throw translate(e);
            } catch (ParseErrorException e) {
                String where = at(e.getTemplateName(), e.getLineNumber(), e.getColumnNumber(), name);
                throw new DeployerException("Template syntax error: " + firstLine(e.getMessage()), where,
                        "fix the Velocity syntax; write a literal $ or # that Velocity would read as syntax inside"
                                + " #[[ … ]]# (e.g. #[[$$HOME]]# or #[[${QUANTUM_NODE}]]#)", e);
            } catch (ResourceNotFoundException e) {
                throw new DeployerException("Cannot render the template: " + firstLine(e.getMessage()),
                        display(request, request.templateDirectory().resolve(name)),
                        "#parse and #include paths are relative to " + display(request, request.templateDirectory()), e);
            } catch (VelocityException e) {
                String message = e.getMessage() == null ? "" : e.getMessage();
                Matcher position = POSITION.matcher(message);
                String where = position.find()
                        ? at(position.group(1), Integer.parseInt(position.group(2)), Integer.parseInt(position.group(3)), name)
                        : display(request, request.templateDirectory().resolve(name));
                if (message.contains("evaluated to null")) {
                    throw new DeployerException("Reference " + message.replaceAll(".*Reference (\\S+) evaluated to null.*", "$1")
                            + " is null here", where, "test it first, e.g. #if($image.digest)…#end (the digest is"
                            + " known only after deployer:build pushed the image), or write $!{…} to render nothing", e);
                }
                throw new DeployerException("Cannot render the template: " + firstLine(message), where,
                        "check the template at this position", e);
            }
            return out.toString();
        }

        private DeployerException translate(MethodInvocationException e) {
            String where = at(e.getTemplateName(), e.getLineNumber(), e.getColumnNumber(), null);
            if (e.getCause() instanceof DeployerException cause) {
                String problem = cause.location() != null ? cause.location() + ": " + cause.problem() : cause.problem();
                return new DeployerException(problem, where, cause.fix(), cause);
            }
            if (e.getCause() == null) {
                String reference = e.getReferenceName() != null ? e.getReferenceName() : "";
                return new DeployerException("Undefined reference: " + strictProblem(e.getMessage()), where,
                        "templates can use $image.repository/.tag/.digest/.ref, $images.<module>.ref/.digest/.tag/.repository, $project.groupId/.artifactId/.version,"
                                + " $environment, $vars.NAME (define in <variables> or -Ddeployer.var.NAME=…) and"
                                + " $secrets.NAME (declare in <secrets>)" + (reference.isEmpty() ? "" : "; check the spelling of $" + reference));
            }
            return new DeployerException("Error in template: " + e.getCause(), where,
                    "check the expression at this position", e);
        }

        private String at(String templateName, int line, int column, String fallback) {
            String name = templateName != null ? templateName : fallback;
            String path = name == null ? display(request, request.templateDirectory())
                    : display(request, request.templateDirectory().resolve(name));
            return path + ":" + line + ":" + column;
        }
    }

    /** {@code $images} of a deploy: exactly the images being deployed. */
    private static ReleaseImagesContext deployedImages(Map<String, ImageRef> images) {
        Map<String, String> repositories = new LinkedHashMap<>();
        images.forEach((module, ref) -> repositories.put(module, ref.repository()));
        return new ReleaseImagesContext(repositories, module -> new ImageContext.Resolved(images.get(module).tag(),
                images.get(module).digest(), "deployed"));
    }

    /**
     * {@code $images} of a preview (or a render before the images exist): each module's image.json when its image is
     * in a registry, else the git commit as tag and no digest, which the summary says.
     */
    private ReleaseImagesContext previewImages(RenderRequest request) {
        Map<String, String> repositories = new LinkedHashMap<>();
        Map<String, ReleaseModule> byName = new LinkedHashMap<>();
        for (ReleaseModule module : request.releaseModules()) {
            byName.put(module.artifactId(), module);
            String repository = module.repository();
            if (repository == null && Files.isRegularFile(module.imageJson())) {
                repository = BuiltImage.read(module.imageJson(), module.imageJson().toString()).image();
            }
            repositories.put(module.artifactId(), repository);
        }
        return new ReleaseImagesContext(repositories, name -> resolveModule(request, byName.get(name)));
    }

    private ImageContext.Resolved resolveModule(RenderRequest request, ReleaseModule module) {
        if (Files.isRegularFile(module.imageJson())) {
            BuiltImage built = BuiltImage.read(module.imageJson(), module.imageJson().toString());
            if (built.digest() != null && (built.pushed() || "promoted".equals(built.outcome()))) {
                return new ImageContext.Resolved(built.tag(), built.digest(), "from module " + module.artifactId() + "'s image.json");
            }
        }
        java.util.Optional<GitInfo> git = GitInfo.readIfCommitted(request.project(), runner, env);
        return new ImageContext.Resolved(git.map(GitInfo::version).orElse(NO_COMMIT_TAG), null,
                "placeholder: module " + module.artifactId() + " not built and pushed yet");
    }

    private ImageContext.Resolved resolveImage(RenderRequest request) {
        Path json = request.project().deployerDir().resolve(IMAGE_JSON);
        if (Files.isRegularFile(json)) {
            BuiltImage built = BuiltImage.read(json, display(request, json));
            if (request.imageRepository() != null && !built.image().equals(request.imageRepository())) {
                throw new DeployerException(display(request, json) + " records image " + built.image()
                        + " but deployer.image is " + request.imageRepository(), null,
                        "run deployer:build again for " + request.imageRepository()
                                + ", or delete the stale record (mvn clean)");
            }
            if (!built.pushed()) {
                // Loaded into a local engine (or a tarball), not in a registry: a digest reference would not resolve.
                return new ImageContext.Resolved(built.tag(), null, "from " + display(request, json) + ", not pushed");
            }
            return new ImageContext.Resolved(built.tag(), built.digest(), "from " + display(request, json));
        }
        if (request.mode() == SecretMode.PREVIEW) {
            // a new service is previewed before its first commit; builds and deploys still need one
            java.util.Optional<GitInfo> git = GitInfo.readIfCommitted(request.project(), runner, env);
            if (git.isEmpty()) {
                log.warn("Not a git repository with a commit yet: previewing with the placeholder tag '" + NO_COMMIT_TAG
                        + "'. deployer:build and deployer:deploy need a commit (git init && git add -A && git commit)");
                return new ImageContext.Resolved(NO_COMMIT_TAG, null, "placeholder tag: no git commit yet");
            }
            return new ImageContext.Resolved(git.get().version(), null, "tag from git commit, not built yet");
        }
        GitInfo git = GitInfo.read(request.project(), runner, env);
        return new ImageContext.Resolved(git.version(), null, "tag from git commit, not built yet");
    }

    private static VelocityEngine engine(Path templateDirectory) {
        Properties properties = new Properties();
        properties.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, "true");
        properties.setProperty(RuntimeConstants.RESOURCE_LOADERS, "file");
        properties.setProperty("resource.loader.file.class", FileResourceLoader.class.getName());
        properties.setProperty("resource.loader.file.path", templateDirectory.toAbsolutePath().toString());
        properties.setProperty("resource.loader.file.cache", "false");
        properties.setProperty(RuntimeConstants.INPUT_ENCODING, StandardCharsets.UTF_8.name());
        // the sandbox: no template reaches a class, a class loader, a process, the environment or the file system
        properties.setProperty(RuntimeConstants.UBERSPECT_CLASSNAME, SandboxUberspector.class.getName());
        properties.setProperty("introspector.restrict.packages", String.join(",", RESTRICTED_PACKAGES));
        properties.setProperty("introspector.restrict.classes", String.join(",", RESTRICTED_CLASSES));
        VelocityEngine engine = new VelocityEngine(properties);
        engine.init();
        return engine;
    }

    /** Whether {@code directory} holds any template to render. */
    public static boolean hasTemplates(Path directory) {
        return !templates(directory).isEmpty();
    }

    /** The templates under {@code directory}, relative, with {@code /}, sorted; partials ({@code _*.vm}) left out. */
    static List<String> templates(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(".vm"))
                    .filter(file -> !file.getFileName().toString().startsWith("_"))
                    .map(file -> directory.relativize(file).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A path relative to the project's base directory, with {@code /}, for messages. */
    static String display(RenderRequest request, Path path) {
        Path base = request.project().basedir().toAbsolutePath().normalize();
        Path absolute = path.toAbsolutePath().normalize();
        return (absolute.startsWith(base) ? base.relativize(absolute) : absolute).toString().replace('\\', '/');
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.strip().lines().findFirst().orElse("").replace("\"\\u001c\"", "the end of the template");
        return line.replaceAll(" at \\S+\\[line \\d+, column \\d+\\]", "").strip();
    }

    private static String strictProblem(String message) {
        return firstLine(message).replaceAll(" at \\S+\\[line \\d+, column \\d+\\]\\.?", "");
    }

    private static void write(RenderedFile file) {
        try {
            Files.createDirectories(file.file().getParent());
            Files.writeString(file.file(), file.content(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DeployerException("Cannot write " + file.file() + ": " + e.getMessage(), null,
                    "check that the build directory is writable");
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new DeployerException("Cannot clear " + directory + ": " + e.getMessage(), null,
                    "check that the build directory is writable");
        }
    }
}
