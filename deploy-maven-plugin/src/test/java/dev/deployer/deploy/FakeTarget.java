package dev.deployer.deploy;

import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.ImageRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target without an engine, for unit tests of the runbook: {@code fake up -f <file>} makes what the file names run
 * (its app image), the store keeps records in memory, and every command and every record written or removed goes
 * into one ordered list of {@link #events}, as the CLI equivalent a dry run prints.
 */
final class FakeTarget implements Target {

    private static final Pattern IMAGE = Pattern.compile("image: *\"?([^\"\\s]+)");
    /** A service of a stack file: its name at two spaces' indent, its image on the next line. */
    private static final Pattern SERVICE = Pattern.compile("(?m)^  ([a-z][a-z0-9_-]*):\\s*\n\\s+image: *\"?([^\"\\s]+)");

    final List<String> events = new CopyOnWriteArrayList<>();
    final Store store = new Store();
    /** Commands that fail (exit code 1), by display. */
    volatile Predicate<Command> failing = command -> false;
    /** Runs before a command's effect; a test may block in it (an interruption mid-command). */
    volatile java.util.function.Consumer<Command> during = command -> { };
    private volatile StackState state = StackState.empty("shop");
    /** Once set, the engine no longer answers: its commands fail, its reads and records throw this (as docker-java does). */
    volatile RuntimeException down;
    /** The platforms the target's nodes report ({@code fake nodes} reads them); null: the target cannot tell. */
    volatile List<NodePlatform> nodes = List.of(NodePlatform.of("fake-node", "linux", "x86_64"));
    /** The app services of each plan {@link #nodes} was asked about (whose nodes an image is checked against), in order. */
    final List<List<String>> nodesAskedFor = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Digests whose services report FAILED health (a release's unhealthy module). */
    final Set<String> unhealthy = ConcurrentHashMap.newKeySet();

    /** What runs now. */
    void running(String image) {
        state = new StackState("shop", List.of(new StackState.ServiceState("app", image, ImageRef.parse(image).digest(), 1)));
    }

    StackState state() {
        return state;
    }

    /** The runner of this target's commands: records, fails when asked, else applies {@code up}. */
    CommandRunner runner() {
        return (command, timeout) -> {
            events.add(command.display());
            during.accept(command);
            if (down != null) {
                return new CommandRunner.Result(1, "Cannot connect to the Docker daemon");
            }
            if (failing.test(command)) {
                return new CommandRunner.Result(1, "fake: failed on purpose");
            }
            if (command.argv().get(1).equals("up")) {
                runningFile(command.workdir().resolve(command.argv().get(3)));
            } else if (command.argv().get(1).equals("rm")) {
                state = StackState.empty("shop");
            }
            return new CommandRunner.Result(0, "");
        };
    }

    /** Every service of the stack file runs its image (one service {@code app} when the file names none). */
    private void runningFile(Path file) {
        try {
            Matcher services = SERVICE.matcher(Files.readString(file));
            List<StackState.ServiceState> running = new java.util.ArrayList<>();
            while (services.find()) {
                running.add(new StackState.ServiceState(services.group(1), services.group(2),
                        ImageRef.parse(services.group(2)).digest(), 1));
            }
            if (running.isEmpty()) {
                running(imageIn(file));
            } else {
                state = new StackState("shop", running);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String imageIn(Path file) {
        try {
            Matcher matcher = IMAGE.matcher(Files.readString(file));
            if (!matcher.find()) {
                throw new AssertionError("no image in " + file);
            }
            return matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public void check() {
    }

    @Override
    public String describeCurrent(String stack) {
        return "fake ps " + stack;
    }

    @Override
    public StackState current(String stack) {
        answer();
        return state;
    }

    @Override
    public Optional<NodeQuery> nodes(DeployPlan plan) {
        nodesAskedFor.add(plan.appServices().stream().map(StackService::name).toList());
        if (nodes == null) {
            return Optional.empty();
        }
        return Optional.of(new NodeQuery("the server", "fake nodes", () -> {
            events.add("fake nodes");
            return nodes;
        }));
    }

    @Override
    public List<Step> deploy(DeployPlan plan) {
        Command up = Command.of("fake", "up", "-f", plan.stackFile().getFileName().toString()).in(plan.directory())
                .withSecrets(plan.secrets());
        Command pull = Command.of("fake", "pull", plan.image().ref());
        return List.of(Step.prepare("Pulling " + plan.image().ref(), pull, Duration.ofMinutes(1)),
                Step.run("Deploying " + plan.stackFile().getFileName(), up, Duration.ofMinutes(1)), Step.awaitHealthy(List.of()));
    }

    /** The stack files {@link #restore} was asked for, by name: the restore branch asks the target for its restore steps. */
    final List<String> restored = new CopyOnWriteArrayList<>();

    @Override
    public List<Step> restore(DeployPlan plan) {
        restored.add(plan.stackFile().getFileName().toString());
        return deploy(plan);
    }

    @Override
    public Map<String, String> restoreFiles(DeployPlan plan) {
        return Map.of("restore-note.txt", "restoring " + plan.stackFile().getFileName());
    }

    @Override
    public List<Step> remove(String stack) {
        return List.of(Step.run("Removing " + stack, Command.of("fake", "rm", stack), Duration.ofMinutes(1)));
    }

    @Override
    public List<ServiceHealth> health(String stack, List<String> services) {
        answer();
        return state.services().stream().map(s -> unhealthy.contains(s.digest())
                ? new ServiceHealth(s.name(), ServiceHealth.Status.FAILED, "unhealthy")
                : new ServiceHealth(s.name(), ServiceHealth.Status.HEALTHY, "running")).toList();
    }

    @Override
    public String logs(String stack, String service, int lines) {
        return "the app's log";
    }

    private void answer() {
        if (down != null) {
            throw down;
        }
    }

    @Override
    public TargetStore store() {
        return store;
    }

    /** Records in memory, atomic create; history writes fail while {@link #historyFails} (a full engine disk). */
    final class Store implements TargetStore {
        final Map<String, StoredRecord> records = new ConcurrentHashMap<>();
        volatile boolean historyFails;

        @Override
        public boolean create(String name, Map<String, String> labels, String data) {
            answer();
            if (historyFails && "history".equals(labels.get(StackLock.KIND_LABEL))) {
                throw new IllegalStateException("no space left on device");
            }
            boolean created = records.putIfAbsent(name, new StoredRecord(name, labels, data, Instant.EPOCH)) == null;
            if (created) {
                events.add(describeCreate(name, labels, data));
            }
            return created;
        }

        @Override
        public Optional<StoredRecord> find(String name) {
            answer();
            return Optional.ofNullable(records.get(name));
        }

        @Override
        public List<StoredRecord> list(String label, String value) {
            answer();
            return records.values().stream().filter(r -> value.equals(r.labels().get(label))).toList();
        }

        @Override
        public boolean remove(String name) {
            answer();
            boolean removed = records.remove(name) != null;
            if (removed) {
                events.add(describeRemove(name));
            }
            return removed;
        }

        @Override
        public String describeCreate(String name, Map<String, String> labels, String data) {
            return "fake record create " + name + " " + new java.util.TreeMap<>(labels);
        }

        @Override
        public String describeRemove(String name) {
            return "fake record rm " + name;
        }

        Set<String> names() {
            return records.keySet();
        }
    }
}
