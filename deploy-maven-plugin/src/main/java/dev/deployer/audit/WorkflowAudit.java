package dev.deployer.audit;

import dev.deployer.core.DeployerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Audits a repository's GitHub Actions workflows ({@code .github/workflows/*.yml|yaml}), its composite actions
 * ({@code .github/actions/NAME/action.yml}) and every local action a workflow uses ({@code uses: ./path}).
 */
public final class WorkflowAudit {

    private final List<Ignore> ignores;
    private final Set<String> deploySecrets;

    public WorkflowAudit(List<Ignore> ignores) {
        this(ignores, Set.of());
    }

    /**
     * @param ignores       deliberate suppressions
     * @param deploySecrets the service's deploy secrets (the templates' secret names, e.g. {@code REDIS_PASSWORD}):
     *                      a job that reads one of them counts as a deploy and must name an environment
     */
    public WorkflowAudit(List<Ignore> ignores, Set<String> deploySecrets) {
        this.ignores = List.copyOf(ignores);
        this.deploySecrets = Set.copyOf(deploySecrets);
    }

    /**
     * The repository root for a directory: the nearest ancestor (or itself) that contains {@code .git}, or null.
     */
    public static Path gitRoot(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"))) {
                return dir;
            }
        }
        return null;
    }

    /**
     * The root that finding paths are relative to, for a workflow directory: its git root, else the directory
     * above {@code .github}, else the directory itself.
     */
    public static Path rootFor(Path workflowDir) {
        Path dir = workflowDir.toAbsolutePath().normalize();
        Path git = gitRoot(dir);
        if (git != null) {
            return git;
        }
        Path parent = dir.getParent();
        if (dir.getFileName() != null && dir.getFileName().toString().equals("workflows") && parent != null
                && parent.getFileName() != null && parent.getFileName().toString().equals(".github")) {
            return parent.getParent();
        }
        return dir;
    }

    /** Audits the workflows in {@code workflowDir} and the actions they use; paths relative to {@code root}. */
    public AuditReport audit(Path root, Path workflowDir) {
        Path base = root.toAbsolutePath().normalize();
        Path workflows = workflowDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(workflows)) {
            throw new DeployerException("Workflow directory " + workflows + " does not exist", "deployer.audit.workflowDirectory",
                    "point deployer.audit.workflowDirectory at the .github/workflows directory of the repository");
        }
        List<Finding> all = new ArrayList<>();
        List<String> files = new ArrayList<>();
        Deque<Path> actions = new ArrayDeque<>();
        for (Path file : yamlFiles(workflows)) {
            Checks checks = check(base, file, files, true);
            all.addAll(checks.findings());
            checks.localActions().forEach(a -> actions.add(actionFile(base.resolve(a))));
        }
        Path github = workflows.getParent();
        if (github != null && Files.isDirectory(github.resolve("actions"))) {
            try (Stream<Path> dirs = Files.list(github.resolve("actions"))) {
                dirs.sorted().filter(Files::isDirectory).forEach(d -> actions.add(actionFile(d)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Set<Path> seen = new LinkedHashSet<>();
        while (!actions.isEmpty()) {
            Path action = actions.poll();
            if (action == null || !Files.isRegularFile(action) || !seen.add(action.normalize())) {
                continue;
            }
            Checks checks = check(base, action, files, false);
            all.addAll(checks.findings());
            checks.localActions().forEach(a -> actions.add(actionFile(base.resolve(a))));
        }
        return applyIgnores(files, all);
    }

    /** Audits one file's text: a workflow, or a composite action when {@code workflow} is false. For tests. */
    public AuditReport auditText(String path, String yaml, boolean workflow) {
        Checks checks = new Checks(YamlDoc.parse(path, yaml), deploySecrets);
        if (workflow) {
            checks.workflow();
        } else {
            checks.action();
        }
        return applyIgnores(List.of(path), checks.findings());
    }

    private AuditReport applyIgnores(List<String> files, List<Finding> all) {
        List<Finding> kept = new ArrayList<>();
        List<Finding> suppressed = new ArrayList<>();
        Set<Ignore> used = new LinkedHashSet<>();
        for (Finding f : all) {
            Ignore match = ignores.stream().filter(i -> i.matches(f)).findFirst().orElse(null);
            if (match == null) {
                kept.add(f);
            } else {
                suppressed.add(f);
                used.add(match);
            }
        }
        List<Ignore> unused = ignores.stream().filter(i -> !used.contains(i)).toList();
        return new AuditReport(files, kept, suppressed, unused);
    }

    private Checks check(Path base, Path file, List<String> files, boolean workflow) {
        String relative = relative(base, file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DeployerException("Cannot read " + relative + ": " + e.getMessage(), relative,
                    "check the file's permissions and encoding (UTF-8)", e);
        }
        files.add(relative);
        Checks checks = new Checks(YamlDoc.parse(relative, text), deploySecrets);
        if (workflow) {
            checks.workflow();
        } else {
            checks.action();
        }
        return checks;
    }

    private static Path actionFile(Path dir) {
        Path yml = dir.resolve("action.yml");
        return Files.exists(yml) ? yml : dir.resolve("action.yaml");
    }

    private static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yml") || p.getFileName().toString().endsWith(".yaml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relative(Path base, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        String rel = abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
        return rel.replace('\\', '/');
    }
}
