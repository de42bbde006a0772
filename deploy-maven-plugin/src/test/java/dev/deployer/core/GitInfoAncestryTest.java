package dev.deployer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GitInfo#isAncestor} against a real (local, throw-away) git repository. */
class GitInfoAncestryTest {

    @TempDir
    Path repo;

    private final ProcessRunner runner = new ProcessRunner(Log.silent());

    private String git(String... args) {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("git", "-c", "user.email=t@deployer.dev",
                "-c", "user.name=t", "-c", "commit.gpgsign=false"));
        argv.addAll(java.util.List.of(args));
        CommandRunner.Result result = runner.run(Command.of(argv).in(repo), Duration.ofSeconds(30));
        assertEquals(0, result.exitCode(), result.output());
        return result.output().strip();
    }

    private String commit(String message) throws Exception {
        Files.writeString(repo.resolve("file.txt"), message);
        git("add", "file.txt");
        git("commit", "-q", "-m", message);
        return git("rev-parse", "HEAD");
    }

    @Test
    void commitsOfTheBranchAreAncestorsAndOthersAreNot() throws Exception {
        git("init", "-q", "-b", "main");
        String first = commit("one");
        String second = commit("two");
        git("checkout", "-q", "-b", "develop");
        String qaOnly = commit("qa build");
        git("checkout", "-q", "main");

        assertTrue(GitInfo.isAncestor(repo, runner, first, "main"));
        assertTrue(GitInfo.isAncestor(repo, runner, second, "main"));
        assertFalse(GitInfo.isAncestor(repo, runner, qaOnly, "main"), "a commit only on develop is not on main");
        assertTrue(GitInfo.isAncestor(repo, runner, qaOnly, "develop"));
        assertFalse(GitInfo.isAncestor(repo, runner, "0123456789abcdef0123456789abcdef01234567", "main"), "unknown commit");
        assertFalse(GitInfo.isAncestor(repo, runner, first.substring(0, 7), "main"), "short SHAs are not asked about");
        assertFalse(GitInfo.isAncestor(repo, runner, first, "--output=/tmp/x"), "a ref that reads as an option is not asked about");
    }
}
