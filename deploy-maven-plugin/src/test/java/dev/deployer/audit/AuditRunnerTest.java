package dev.deployer.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditRunnerTest {

    @TempDir
    Path repo;

    @TempDir
    Path elsewhere;

    private final List<String> log = new ArrayList<>();

    private Log recording() {
        return new Log() {
            @Override public void debug(String m) { log.add("DEBUG " + m); }
            @Override public void info(String m) { log.add("INFO " + m); }
            @Override public void warn(String m) { log.add("WARN " + m); }
            @Override public void error(String m) { log.add("ERROR " + m); }
        };
    }

    private Path workflows(String name, String yaml) throws Exception {
        Path dir = Files.createDirectories(repo.resolve(".github/workflows"));
        Files.writeString(dir.resolve(name), yaml);
        return dir;
    }

    @Test
    void highFindingsBecomeErrorAnnotationsAndMediumOnesWarnings() throws Exception {
        Path dir = workflows("w.yml", "on: push\njobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n"
                + "        with: {persist-credentials: false}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path summary = repo.resolve("summary.md");
        GitHubActions github = new GitHubActions(Map.of("GITHUB_ACTIONS", "true", "GITHUB_STEP_SUMMARY", summary.toString())::get,
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThrows(DeployerException.class, () -> new AuditRunner(recording(), github)
                .run(new AuditRequest(repo, dir, List.of(), null, Severity.HIGH, "test", java.util.Set.of())));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("::warning file=.github/workflows/w.yml,line=3::permissions-missing: job 'a'"), lines.get(0));
        assertTrue(lines.get(1).startsWith("::error file=.github/workflows/w.yml,line=5::unpinned-action:"
                + " 'actions/checkout@v4' is pinned to 'v4'"), lines.get(1));
        assertEquals(List.of("### Workflow audit", "", "1 file, 2 findings (1 high, 1 medium, 0 low, 0 info), 0 suppressed", "",
                "| severity | where | rule | finding | fix |", "|---|---|---|---|---|"),
                Files.readAllLines(summary).subList(0, 6));
        assertTrue(Files.readAllLines(summary).get(7).startsWith("| high | `.github/workflows/w.yml:5` | `unpinned-action` |"));
        assertEquals(List.of("ERROR .github/workflows/w.yml:5:15 [high] unpinned-action 'actions/checkout@v4' is pinned to 'v4',"
                + " which can be moved to other code — " + Rule.UNPINNED_ACTION.fix()),
                log.stream().filter(l -> l.startsWith("ERROR")).toList());
    }

    @Test
    void staleIgnoresAreReportedAndFailOnNoneNeverFails() throws Exception {
        Path dir = workflows("w.yml", "on: pull_request_target\npermissions: {}\njobs: {}\n");
        Ignore stale = Ignore.parse("secrets-inherit:.github/workflows/w.yml:we call our own workflow", "test");

        AuditReport report = new AuditRunner(recording(), new GitHubActions(n -> null, System.out))
                .run(new AuditRequest(repo, dir, List.of(stale), null, Severity.parseThreshold("none", "x"), "test", java.util.Set.of()));

        assertEquals(1, report.findings().size());
        assertTrue(log.contains("WARN deployer.audit.ignore 'secrets-inherit:.github/workflows/w.yml:we call our own workflow'"
                + " matches no finding: remove it"), log.toString());
        assertNull(Severity.parseThreshold(" NONE ", "x"));
    }

    @Test
    void localActionsAndDotGithubActionsAreAuditedToo() throws Exception {
        Path dir = workflows("w.yml", "on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - uses: ./tools/act\n");
        Files.createDirectories(repo.resolve("tools/act"));
        Files.writeString(repo.resolve("tools/act/action.yml"), "runs:\n  using: composite\n  steps:\n"
                + "    - run: echo ${{ github.event.issue.body }}\n      shell: bash\n");
        Files.createDirectories(repo.resolve(".github/actions/setup"));
        Files.writeString(repo.resolve(".github/actions/setup/action.yaml"), "runs:\n  using: composite\n  steps:\n"
                + "    - uses: actions/setup-java@v4\n");

        AuditReport report = new WorkflowAudit(List.of()).audit(repo, dir);

        assertEquals(List.of(".github/workflows/w.yml", "tools/act/action.yml", ".github/actions/setup/action.yaml"),
                report.files());
        assertEquals(List.of(".github/actions/setup/action.yaml:4:13 unpinned-action", "tools/act/action.yml:4:21 template-injection"),
                report.findings().stream().map(f -> f.file() + ":" + f.line() + ":" + f.column() + " " + f.ruleId()).toList());
    }

    @Test
    void ignoreEntriesAreValidated() {
        assertEquals("unpinned-action:.github/workflows/ci.yml:our own org: audited separately",
                Ignore.parse(" unpinned-action : .github/workflows/ci.yml : our own org: audited separately ", "p").toString());
        DeployerException e = assertThrows(DeployerException.class, () -> Ignore.parse("nope:*:why", "deployer.audit.ignore"));
        assertEquals("deployer.audit.ignore", e.location());
        assertTrue(e.problem().contains("unknown rule 'nope'"), e.problem());
        assertThrows(DeployerException.class, () -> Ignore.parse("unpinned-action:*:", "p"));
    }

    @Test
    void gitRootIsFoundFromAModuleAndFallsBackToTheDirectoryAboveDotGithub() throws Exception {
        Files.createDirectories(repo.resolve(".git"));
        Files.createDirectories(repo.resolve("a/b"));
        assertEquals(repo.toAbsolutePath().normalize(), WorkflowAudit.gitRoot(repo.resolve("a/b")));
        Path bare = Files.createDirectories(elsewhere.resolve("copy/.github/workflows"));
        assertNull(WorkflowAudit.gitRoot(bare), "no .git above " + bare);
        assertEquals(elsewhere.resolve("copy").toAbsolutePath().normalize(), WorkflowAudit.rootFor(bare));
    }
}
