package dev.deployer.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real git repository in a temporary directory, with no {@code .gitignore}, for the clean-tree tests. */
public final class GitRepo {

    public static final CommandRunner RUNNER = new ProcessRunner(Log.silent());

    public final Path dir;

    public GitRepo(Path dir) {
        try {
            this.dir = Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git("init", "-q", "-b", "main");
        git("config", "user.email", "test@deployer.dev");
        git("config", "user.name", "Deployer test");
        git("config", "commit.gpgsign", "false");
    }

    /** Writes {@code text} to {@code path} (relative), creating directories. */
    public GitRepo write(String path, String text) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public GitRepo commit(String message) {
        git("add", "-A");
        git("commit", "-q", "-m", message);
        return this;
    }

    public String git(String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        CommandRunner.Result result = RUNNER.run(Command.of(argv).in(dir), Duration.ofSeconds(30));
        if (!result.succeeded()) {
            throw new IllegalStateException("git " + String.join(" ", args) + ": " + result.output());
        }
        return result.output();
    }

    /** A jar project at {@code module} (relative, "" for the root) whose build directory is {@code module/target}. */
    public ProjectInfo project(String module, List<String> reactorModules) {
        Path base = dir.resolve(module);
        return new ProjectInfo("dev.deployer.test", module.isEmpty() ? "root" : module, "1.0.0", "jar", base,
                base.resolve("target"), reactorModules.stream().map(m -> dir.resolve(m).resolve("target")).toList());
    }
}
