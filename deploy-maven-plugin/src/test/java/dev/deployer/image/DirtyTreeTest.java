package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testing.RecordingLog;
import dev.deployer.core.DeployerException;
import dev.deployer.core.GitInfo;
import dev.deployer.core.GitRepo;
import dev.deployer.core.ProjectInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image tag of a project with no .gitignore: its build directory is output, a new source file is a change. */
class DirtyTreeTest {

    @TempDir
    Path tmp;

    private static ImageRequest request(ProjectInfo project, GitInfo git, String environment) {
        return new ImageRequest(project, git, environment, "127.0.0.1:5509/timage/never", "127.0.0.1:5509/base:1",
                "demo.App", null, project.buildDir().resolve("classes"), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), null, true, false);
    }

    @Test
    void theBuildDirectoryDoesNotMakeTheTagDirty() {
        GitRepo repo = new GitRepo(tmp.resolve("svc")).write("pom.xml", "<project/>\n")
                .write("src/main/java/demo/App.java", "class App {}\n").commit("one");
        repo.write("target/classes/demo/App.class", "x").write("target/deployer/image.json", "{}");
        ProjectInfo project = repo.project("", List.of(""));
        GitInfo git = GitInfo.read(project, GitRepo.RUNNER, name -> null);
        assertEquals(List.of(repo.git("rev-parse", "HEAD").strip()), Tags.of(git, "1.0.0", "qa", List.of()));
    }

    @Test
    void anUntrackedSourceFileIsRefusedForQaAndNamed() {
        GitRepo repo = new GitRepo(tmp.resolve("svc")).write("pom.xml", "<project/>\n").commit("one");
        repo.write("target/classes/demo/App.class", "x").write("src/main/java/demo/Forgotten.java", "class F {}\n");
        ProjectInfo project = repo.project("", List.of(""));
        GitInfo git = GitInfo.read(project, GitRepo.RUNNER, name -> null);
        RecordingLog log = new RecordingLog();
        DeployerException e = assertThrows(DeployerException.class,
                () -> TestApp.builder(Map.of(), tmp, log).build(request(project, git, "qa")));
        assertEquals("The working tree has uncommitted changes (src/): an image for qa must be built from a commit",
                e.problem());
        assertFalse(e.problem().contains("target"), e.problem());
        assertTrue(e.fix().contains("build directories of the reactor are never counted"), e.fix());
    }
}
