package dev.deployer.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The commit a build comes from: its full SHA, its time, and the files that differ from it.
 *
 * @param sha         the full 40-character commit SHA
 * @param commitTime  the commit's time (used as the image creation time)
 * @param dirtyFiles  files changed or untracked in the working tree (empty when clean)
 * @param diffHash    a short hash of the uncommitted changes, empty when clean
 */
public record GitInfo(String sha, Instant commitTime, List<String> dirtyFiles, String diffHash) {

    private static final Duration GIT_TIMEOUT = Duration.ofSeconds(30);

    public GitInfo {
        Objects.requireNonNull(sha, "sha");
        Objects.requireNonNull(commitTime, "commitTime");
        dirtyFiles = List.copyOf(dirtyFiles);
        Objects.requireNonNull(diffHash, "diffHash");
    }

    public boolean dirty() {
        return !dirtyFiles.isEmpty();
    }

    /** The version that names this build: the SHA, or {@code <sha>-dirty-<hash>} for a dirty tree. */
    public String version() {
        return dirty() ? sha + "-dirty-" + diffHash : sha;
    }

    /**
     * Reads the commit of {@code directory} with the {@code git} command line. Files under {@code buildDirs} (the
     * build directories of the project and of every module of its reactor) are build outputs, never part of a dirty
     * tree, with or without a {@code .gitignore}; every other changed or untracked file of the repository counts.
     * In GitHub Actions the SHA is checked against {@code GITHUB_SHA}, which names the commit the workflow was
     * started for.
     */
    public static GitInfo read(Path directory, List<Path> buildDirs, CommandRunner runner, Function<String, String> env) {
        String sha = git(runner, directory, "rev-parse", "HEAD").strip();
        String githubSha = env.apply("GITHUB_SHA");
        if (githubSha != null && !githubSha.isBlank() && !githubSha.equals(sha)) {
            throw new DeployerException("The checkout is at commit " + sha + " but GITHUB_SHA is " + githubSha,
                    directory.toString(), "check out the commit the workflow runs for (actions/checkout does this)");
        }
        Instant time = OffsetDateTime.parse(git(runner, directory, "show", "-s", "--format=%cI", "HEAD").strip()).toInstant();
        List<String> scope = scope(Path.of(git(runner, directory, "rev-parse", "--show-toplevel").strip()), buildDirs);
        List<String> dirty = parseStatus(git(runner, directory, concat(
                List.of("status", "--porcelain", "-z", "--untracked-files=normal", "--"), scope)));
        String hash = dirty.isEmpty() ? "" : shortHash(git(runner, directory, concat(List.of("diff", "HEAD", "--"), scope))
                + String.join("\n", dirty));
        return new GitInfo(sha, time, dirty, hash);
    }

    /**
     * Whether commit {@code sha} is an ancestor of (or is) the branch {@code ref}: its remote-tracking branch
     * {@code refs/remotes/origin/<ref>} or the local {@code refs/heads/<ref>}, per {@code git merge-base --is-ancestor}.
     * A commit git does not know (a shallow clone, a made-up SHA) is not an ancestor. Only full 40-hex SHAs and plain
     * branch names are asked about, so nothing reaches git as an option.
     */
    public static boolean isAncestor(Path directory, CommandRunner runner, String sha, String ref) {
        if (!sha.matches("[0-9a-f]{40}") || !ref.matches("[A-Za-z0-9._/][A-Za-z0-9._/-]*") || ref.contains("..")) {
            return false;
        }
        for (String branch : List.of("refs/remotes/origin/" + ref, "refs/heads/" + ref)) {
            Command command = Command.of("git", "merge-base", "--is-ancestor", sha, branch).in(directory);
            if (runner.run(command, GIT_TIMEOUT).exitCode() == 0) {
                return true;
            }
        }
        return false;
    }

    /** {@link #read(Path, List, CommandRunner, Function)} of a project: its build directories are not dirt. */
    public static GitInfo read(ProjectInfo project, CommandRunner runner, Function<String, String> env) {
        return read(project.basedir(), project.buildDirs(), runner, env);
    }

    /**
     * The commit of {@code project}, or empty when its directory is not a git repository with a commit yet (a new
     * service): for previews, which can show a placeholder tag. Builds and deploys use {@link #read}, which fails.
     */
    public static java.util.Optional<GitInfo> readIfCommitted(ProjectInfo project, CommandRunner runner,
                                                              Function<String, String> env) {
        CommandRunner.Result head = runner.run(Command.of("git", "rev-parse", "--verify", "-q", "HEAD^{commit}")
                .in(project.basedir()), GIT_TIMEOUT);
        if (!head.succeeded()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(read(project, runner, env));
    }

    /** The whole repository ({@code :/}) minus the build directories inside it, as git pathspecs. */
    static List<String> scope(Path top, List<Path> buildDirs) {
        Path root = real(top);
        List<String> pathspecs = new java.util.ArrayList<>(List.of(":/"));
        buildDirs.stream().map(GitInfo::real).filter(dir -> dir.startsWith(root) && !dir.equals(root))
                .map(dir -> root.relativize(dir).toString().replace('\\', '/')).distinct().sorted()
                .forEach(relative -> pathspecs.add(":(top,exclude,literal)" + relative));
        return pathspecs;
    }

    /** The paths of {@code git status --porcelain -z}: entries {@code XY path}, a rename's source path after it. */
    static List<String> parseStatus(String output) {
        List<String> paths = new java.util.ArrayList<>();
        String[] entries = output.split("\0");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i];
            if (entry.length() < 4 || entry.charAt(2) != ' ') {
                continue;
            }
            paths.add(entry.substring(3));
            if (entry.charAt(0) == 'R' || entry.charAt(0) == 'C') {
                i++; // the rename's or copy's source
            }
        }
        return paths;
    }

    private static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (java.io.IOException e) {
            // a build directory not created yet: resolve what exists of its parents
            Path parent = absolute.getParent();
            return parent == null ? absolute : real(parent).resolve(absolute.getFileName());
        }
    }

    private static String git(CommandRunner runner, Path directory, List<String> args) {
        return git(runner, directory, args.toArray(String[]::new));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static String git(CommandRunner runner, Path directory, String... args) {
        Command command = Command.of(prepend("git", args)).in(directory);
        CommandRunner.Result result = runner.run(command, GIT_TIMEOUT);
        if (!result.succeeded()) {
            throw new DeployerException("'" + command.display() + "' failed: " + result.tail(5), directory.toString(),
                    "run Deployer inside a git checkout with at least one commit (the image tag is the commit SHA)");
        }
        return result.output();
    }

    private static List<String> prepend(String first, String[] rest) {
        List<String> all = new java.util.ArrayList<>(rest.length + 1);
        all.add(first);
        all.addAll(List.of(rest));
        return all;
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
