package dev.deployer.init;

import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code deployer:init}: writes what adopting Deployer needs in an existing service, and nothing else: the
 * Compose and Swarm templates under {@code src/main/deploy/}, the callers of Deployer's reusable workflow under
 * {@code .github/workflows/}, and the POM snippet (printed, or inserted as text into {@code pom.xml}). An existing
 * file is never overwritten: it is named as skipped.
 */
public final class Init {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

    private final Log log;

    public Init(Log log) {
        this.log = log;
    }

    /** One file init writes, relative to the service's directory or the repository root. */
    public record Written(Path path, String content) {
    }

    /** Writes the files and prints or applies the POM snippet. */
    public void run(InitRequest request) {
        for (Written file : files(request)) {
            if (Files.exists(file.path())) {
                log.warn("Skipped " + shown(request, file.path()) + ": it exists (deployer:init never overwrites a file)");
                continue;
            }
            write(file.path(), file.content());
            log.info("Wrote " + shown(request, file.path()));
        }
        if (request.workflowSha() == null) {
            log.warn("Skipped .github/workflows: the commit of " + request.workflowRepository() + " to pin is unknown;"
                    + " run again with -Ddeployer.init.workflowSha=<the 40-character SHA of the Deployer release tag>");
        }
        Map<String, String> snippet = snippet(request);
        Path pom = request.basedir().resolve("pom.xml");
        if (request.apply()) {
            apply(pom, request, snippet);
        } else {
            log.info("Add to pom.xml (or run again with -Ddeployer.init.apply=true to insert it):");
            for (Map.Entry<String, String> part : snippet.entrySet()) {
                log.info("");
                log.info("<" + part.getKey() + ">");
                part.getValue().lines().forEach(line -> log.info("  " + line));
                log.info("</" + part.getKey() + ">");
            }
        }
        log.info("");
        log.info("Next: ./mvnw deployer:render -Pqa previews the stack; docs/adopt.md has the rest (GitHub environments,"
                + " secrets, the first deploys)");
    }

    /**
     * The image repository the reusable workflow pushes to, {@code ghcr.io/<owner>/<repo>/<module directory>} in lower
     * case, when {@code origin} is a GitHub URL; else {@code registry.example.com/<artifactId>}, to be changed.
     */
    public static String defaultImage(String origin, String moduleDirectory, String artifactId) {
        java.util.regex.Matcher github = Pattern.compile("github\\.com[:/]([^/]+)/([^/]+?)(?:\\.git)?/?$")
                .matcher(origin == null ? "" : origin.strip());
        String image = github.find()
                ? "ghcr.io/" + github.group(1) + "/" + github.group(2) + "/" + moduleDirectory
                : "registry.example.com/" + artifactId;
        return image.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._/:-]", "-");
    }

    /** The files to write (the workflows only when the commit to pin is known). */
    public List<Written> files(InitRequest request) {
        Map<String, String> values = values(request);
        Set<String> flags = flags(request);
        List<Written> files = new ArrayList<>();
        Path deploy = request.basedir().resolve("src/main/deploy");
        files.add(new Written(deploy.resolve("docker-compose.yml.vm"), InitTemplates.render("docker-compose.yml.vm", values, flags)));
        files.add(new Written(deploy.resolve("stack.yml.vm"), InitTemplates.render("stack.yml.vm", values, flags)));
        if (request.workflowSha() != null) {
            Path workflows = request.repositoryRoot().resolve(".github/workflows");
            for (String name : List.of("ci.yml", "deploy-qa.yml", "deploy.yml")) {
                files.add(new Written(workflows.resolve(name), InitTemplates.render(name, values, flags)));
            }
        }
        return files;
    }

    /** The POM snippet: {@code properties}, {@code plugin} (for {@code build/plugins}) and, without the parent, {@code profiles}. */
    public static Map<String, String> snippet(InitRequest request) {
        Map<String, String> values = values(request);
        Set<String> flags = flags(request);
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("properties", InitTemplates.render("pom-properties.xml", values, flags));
        parts.put("plugin", InitTemplates.render("pom-plugin.xml", values, flags));
        if (!request.inheritsParent()) {
            parts.put("profiles", InitTemplates.render("pom-profiles.xml", values, flags));
        }
        return parts;
    }

    private static Set<String> flags(InitRequest request) {
        Set<String> flags = new HashSet<>();
        if (request.redis()) {
            flags.add("redis");
        }
        if (request.springBoot()) {
            flags.add("spring");
        }
        if (!request.inheritsParent()) {
            flags.add("alone");
        }
        return flags;
    }

    private static Map<String, String> values(InitRequest request) {
        if (request.workflowSha() != null && !SHA.matcher(request.workflowSha()).matches()) {
            throw new DeployerException("'" + request.workflowSha() + "' is not a full commit SHA",
                    "deployer.init.workflowSha", "give the 40-character SHA of the Deployer release tag: git ls-remote"
                            + " https://github.com/" + request.workflowRepository() + " refs/tags/v<version>");
        }
        Path module = request.repositoryRoot().relativize(request.basedir());
        String modulePath = module.toString().isEmpty() ? "." : module.toString().replace('\\', '/');
        Map<String, String> values = new LinkedHashMap<>();
        values.put("artifactId", request.artifactId());
        values.put("andRedis", request.redis() ? " and its Redis" : "");
        values.put("redisNotPublished", request.redis() ? "; Redis is never published" : "");
        values.put("port", Integer.toString(request.port()));
        values.put("healthPath", request.healthPath());
        values.put("image", request.image());
        values.put("baseImage", request.baseImage());
        values.put("pluginVersion", request.pluginVersion());
        values.put("javaVersion", request.javaVersion());
        values.put("workflow", request.workflowRepository() + "/.github/workflows/deployer.yml@" + request.workflowSha()
                + " # v" + request.pluginVersion());
        values.put("moduleInput", modulePath.equals(".") ? "" : "      module: " + modulePath + "\n");
        values.put("moduleArgs", modulePath.equals(".") ? "" : "-pl " + modulePath + " -am ");
        values.put("redisSecret", request.redis() ? "      REDIS_PASSWORD: ${{ secrets.REDIS_PASSWORD }}\n" : "");
        return values;
    }

    /** Inserts the snippet's parts that the POM does not have yet; text insertion only. */
    private void apply(Path pom, InitRequest request, Map<String, String> snippet) {
        String original = read(pom);
        PomText text = new PomText(original); // every insertion re-reads the outline: look elements up afresh
        List<String> done = new ArrayList<>();

        // properties: each one the POM does not set yet
        StringBuilder missing = new StringBuilder();
        Optional<PomText.Element> properties = text.find("properties");
        String pending = "";
        for (String line : snippet.get("properties").split("\n")) {
            String name = line.strip().startsWith("<!--") ? null : line.strip().replaceAll("^<([^>]+)>.*", "$1");
            if (name == null) {
                pending = line + "\n";
                continue;
            }
            if (properties.isEmpty() || properties.get().child(name).isEmpty()) {
                missing.append(pending).append(line).append('\n');
                done.add("<" + name + ">");
            } else {
                log.info("Kept pom.xml's own <" + name + ">");
            }
            pending = "";
        }
        if (missing.length() > 0) {
            String block = missing.substring(0, missing.length() - 1);
            if (properties.isPresent()) {
                text.appendTo(properties.get(), block);
            } else {
                insertBefore(text, List.of("dependencyManagement", "dependencies", "build", "profiles"), "properties", block);
            }
        }

        // the plugin, unless the POM already declares it in build/plugins
        boolean declared = text.find("build", "plugins").map(plugins -> plugins.all("plugin").stream()
                .anyMatch(plugin -> plugin.child("artifactId").map(text::content).filter("deploy-maven-plugin"::equals).isPresent()))
                .orElse(false);
        if (declared) {
            log.warn("Kept pom.xml's own deploy-maven-plugin in <build><plugins>: compare it with the snippet below");
            log.info(snippet.get("plugin"));
        } else {
            Optional<PomText.Element> plugins = text.find("build", "plugins");
            if (plugins.isPresent()) {
                text.appendTo(plugins.get(), snippet.get("plugin"));
            } else if (text.find("build").isPresent()) {
                text.appendElement(text.find("build").get(), "plugins", snippet.get("plugin"));
            } else {
                insertBefore(text, List.of("profiles"), "build", "<plugins>\n" + indent(snippet.get("plugin")) + "\n</plugins>");
            }
            done.add("the deploy-maven-plugin in <build><plugins>");
        }

        // the profiles (plugin alone): a profile the POM already has gets the deployer.environment property
        if (snippet.containsKey("profiles")) {
            for (String id : List.of("qa", "production")) {
                Optional<PomText.Element> existing = text.find("profiles").flatMap(profiles -> profiles.all("profile").stream()
                        .filter(profile -> profile.child("id").map(text::content).filter(id::equals).isPresent()).findFirst());
                String property = "<deployer.environment>" + id + "</deployer.environment>";
                if (existing.isEmpty()) {
                    String block = profileBlock(snippet.get("profiles"), id);
                    if (text.find("profiles").isPresent()) {
                        text.appendTo(text.find("profiles").get(), block);
                    } else {
                        text.appendElement(text.root(), "profiles", block);
                    }
                    done.add("the profile " + id);
                } else if (existing.get().child("properties").isEmpty()) {
                    text.appendElement(existing.get(), "properties", property);
                    done.add("deployer.environment in the profile " + id);
                } else if (existing.get().child("properties").get().child("deployer.environment").isEmpty()) {
                    text.appendTo(existing.get().child("properties").get(), property);
                    done.add("deployer.environment in the profile " + id);
                }
            }
        }
        if (done.isEmpty()) {
            log.info("pom.xml already has everything: unchanged");
            return;
        }
        write(pom, text.text());
        log.info("Inserted into pom.xml (nothing else changed): " + String.join(", ", done));
    }

    /** The part of the profiles resource that is the profile {@code id} (with the comment before the first). */
    private static String profileBlock(String profiles, String id) {
        int start = profiles.indexOf("<profile>\n  <id>" + id + "</id>");
        int end = profiles.indexOf("</profile>", start) + "</profile>".length();
        String comment = id.equals("qa") && profiles.startsWith("<!--") ? profiles.substring(0, profiles.indexOf('\n') + 1) : "";
        return comment + profiles.substring(start, end);
    }

    private static void insertBefore(PomText text, List<String> followers, String name, String block) {
        PomText.Element project = text.root();
        // the new element goes before the first follower the POM has, else last; text.appendElement appends, so
        // an element before a follower is written as the follower's previous sibling by a text insertion
        for (String follower : followers) {
            Optional<PomText.Element> next = project.child(follower);
            if (next.isPresent()) {
                text.insertBefore(next.get(), name, block);
                return;
            }
        }
        text.appendElement(project, name, block);
    }

    private static String indent(String block) {
        StringBuilder out = new StringBuilder();
        for (String line : block.split("\n", -1)) {
            out.append(line.isEmpty() ? "" : "  " + line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private static String shown(InitRequest request, Path file) {
        Path base = file.startsWith(request.basedir()) ? request.basedir() : request.repositoryRoot();
        return base.relativize(file).toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DeployerException("Cannot read " + file + ": " + e.getMessage(), "pom.xml", null);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content.endsWith("\n") ? content : content + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DeployerException("Cannot write " + file + ": " + e.getMessage(), null,
                    "check that the directory is writable");
        }
    }
}
