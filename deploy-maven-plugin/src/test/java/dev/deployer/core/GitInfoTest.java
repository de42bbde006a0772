package dev.deployer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build outputs are never a dirty tree, with or without a .gitignore; anything else still is, and is named. */
class GitInfoTest {

    @TempDir
    Path tmp;

    private static GitInfo read(ProjectInfo project) {
        return GitInfo.read(project, GitRepo.RUNNER, name -> null);
    }

    @Test
    void theUntrackedBuildDirectoryIsNotDirtyWithoutAGitignore() {
        GitRepo repo = new GitRepo(tmp.resolve("svc")).write("pom.xml", "<project/>\n")
                .write("src/main/java/demo/App.java", "class App {}\n").commit("one");
        repo.write("target/classes/demo/App.class", "bytes").write("target/svc-1.0.0.jar", "jar");
        GitInfo git = read(repo.project("", List.of("")));
        assertFalse(git.dirty(), git.dirtyFiles().toString());
        assertEquals(repo.git("rev-parse", "HEAD").strip(), git.version());
    }

    @Test
    void anUntrackedSourceFileIsStillDirtyAndNamedButTheBuildDirectoryIsNot() {
        GitRepo repo = new GitRepo(tmp.resolve("svc")).write("pom.xml", "<project/>\n").commit("one");
        repo.write("target/classes/App.class", "bytes").write("src/main/java/demo/New.java", "class New {}\n")
                .write("pom.xml", "<project><!-- changed --></project>\n");
        GitInfo git = read(repo.project("", List.of("")));
        assertEquals(List.of("pom.xml", "src/"), git.dirtyFiles().stream().sorted().toList());
        assertTrue(git.version().matches("[0-9a-f]{40}-dirty-[0-9a-f]{12}"), git.version());
    }

    @Test
    void everyReactorModulesBuildDirectoryIsIgnoredAndNothingElse() {
        GitRepo repo = new GitRepo(tmp.resolve("reactor")).write("pom.xml", "<project/>\n")
                .write("lib/pom.xml", "<project/>\n").write("svc/pom.xml", "<project/>\n").commit("one");
        repo.write("lib/target/lib.jar", "jar").write("svc/target/svc.jar", "jar").write("target/x", "x");
        // a module's goal sees the whole repository: the other modules' outputs are outputs too
        assertFalse(read(repo.project("svc", List.of("", "lib", "svc"))).dirty());
        GitInfo alone = read(repo.project("svc", List.of()));
        assertEquals(List.of("lib/target/", "target/"), alone.dirtyFiles().stream().sorted().toList(),
                "without the reactor, only the module's own build directory is ignored");
        // a directory named target that is not a build directory still counts
        repo.write("svc/src/main/resources/target/config.txt", "x");
        assertEquals(List.of("svc/src/"), read(repo.project("svc", List.of("", "lib", "svc"))).dirtyFiles());
    }

    @Test
    void aChangedTrackedFileUnderTheBuildDirectoryIsOutputButOneBesideItIsNot() {
        GitRepo repo = new GitRepo(tmp.resolve("svc")).write("README.md", "one\n").write("target/committed.txt", "one\n")
                .commit("one");
        repo.write("target/committed.txt", "two\n");
        assertFalse(read(repo.project("", List.of(""))).dirty());
        repo.git("mv", "README.md", "README.txt");
        assertEquals(List.of("README.txt"), read(repo.project("", List.of(""))).dirtyFiles());
    }

    @Test
    void outsideARepositoryReadFailsButAPreviewGetsNothing() {
        ProjectInfo plain = new ProjectInfo("g", "a", "1", "jar", tmp, tmp.resolve("target"));
        assertTrue(GitInfo.readIfCommitted(plain, GitRepo.RUNNER, name -> null).isEmpty());
        DeployerException e = assertThrows(DeployerException.class, () -> read(plain));
        assertTrue(e.fix().contains("git checkout with at least one commit"), e.getMessage());
        GitRepo fresh = new GitRepo(tmp.resolve("fresh")).write("pom.xml", "<project/>\n");
        assertTrue(GitInfo.readIfCommitted(fresh.project("", List.of("")), GitRepo.RUNNER, name -> null).isEmpty());
        fresh.commit("first");
        assertTrue(GitInfo.readIfCommitted(fresh.project("", List.of("")), GitRepo.RUNNER, name -> null).isPresent());
    }
}
