package dev.deployer.platform.quantum;

import dev.deployer.core.Log;
import dev.deployer.deploy.StackLock;
import dev.deployer.deploy.TargetStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The lock and history of a Quantum stack when no engine of the endpoint is reachable ({@code DOCKER_HOST} unset):
 * only what {@code quantum-cli} and the CI workflow can reach.
 *
 * <ul>
 *   <li><b>Lock</b>: quantum-cli cannot create anything atomically, so the lock is the GitHub workflow's
 *       non-cancelling {@code concurrency} group (one deploy per environment, later runs wait), plus a lock inside
 *       this process. Taking it says so in the build output; outside GitHub Actions it warns that nothing stops a
 *       second deploy from elsewhere.</li>
 *   <li><b>History and rollback point</b>: carried in the stack itself. Swarm keeps the recent tasks of each
 *       service ({@code quantum-cli ps --all --output json}); every image with a commit-SHA tag (Deployer's tag
 *       policy) that appears there is a version: the one running now and the ones whose tasks were shut down
 *       by a later update are good, one with a failed, rejected or exited task is failed. Swarm keeps 5 tasks per
 *       replica by default ({@code docker swarm update --task-history-limit}), so this history is short; the
 *       stack file of an earlier version is not kept (a rollback renders today's templates with its tag).</li>
 * </ul>
 * Recording a deploy writes nothing: the deployed stack is the record. With {@code DOCKER_HOST} pointing at a
 * manager of the endpoint's Swarm, the target keeps real records there instead ({@link dev.deployer.platform.ConfigStore}).
 */
final class QuantumStackStore implements TargetStore {

    private static final Pattern COMMIT_SHA = Pattern.compile("[0-9a-f]{40}");
    private static final String PREFIX = "dev.deployer.";

    private final QuantumCli cli;
    private final ConcurrentMap<String, StoredRecord> locks;
    private final Function<String, String> env;
    private final Clock clock;
    private final Log log;

    /**
     * @param locks the locks taken in this process (shared by every store of one target)
     */
    QuantumStackStore(QuantumCli cli, ConcurrentMap<String, StoredRecord> locks, Function<String, String> env, Clock clock, Log log) {
        this.cli = cli;
        this.locks = locks;
        this.env = env;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public boolean create(String name, Map<String, String> labels, String data) {
        if (!"lock".equals(labels.get(StackLock.KIND_LABEL))) {
            log.debug("Not recording " + name + ": without DOCKER_HOST the stack's own tasks on the endpoint are its history");
            return true;
        }
        if (locks.putIfAbsent(name, new StoredRecord(name, labels, data, clock.instant())) != null) {
            return false;
        }
        String stack = labels.getOrDefault(StackLock.STACK_LABEL, name);
        log.info("Deploy lock of stack '" + stack + "': DOCKER_HOST is not set, and quantum-cli cannot keep a lock on the"
                + " endpoint, so " + lockedBy() + " Set DOCKER_HOST to a manager of the endpoint's Swarm (ssh://…) for a"
                + " lock and history on the endpoint itself (docs/quantum.md).");
        if (!"true".equals(env.apply("GITHUB_ACTIONS"))) {
            log.warn("Outside GitHub Actions nothing stops another deploy of stack '" + stack + "' from another machine"
                    + " at the same time: make sure nobody else deploys it now");
        }
        return true;
    }

    @Override
    public String describeCreate(String name, Map<String, String> labels, String data) {
        return "lock".equals(labels.get(StackLock.KIND_LABEL))
                ? "# lock " + name + " in this process; across machines the workflow's non-cancelling concurrency group is"
                        + " the lock (DOCKER_HOST is not set)"
                : "# record nothing: the deployed stack's own tasks on the endpoint are its history (" + name + ")";
    }

    @Override
    public String describeRemove(String name) {
        return "# release " + name + " in this process";
    }

    @Override
    public String describeList(String label, String value) {
        return "# the stack's recent tasks (quantum-cli ps --stack " + value + " --all --output json), each commit-SHA image a version";
    }

    /** What serializes deploys without an engine: the workflow's concurrency group. */
    private String lockedBy() {
        if ("true".equals(env.apply("GITHUB_ACTIONS"))) {
            String workflow = env.apply("GITHUB_WORKFLOW");
            return "the lock is the GitHub workflow's concurrency group with cancel-in-progress: false"
                    + (workflow == null ? "" : " (workflow '" + workflow + "')")
                    + ": one deploy per environment at a time, later runs wait.";
        }
        return "the only lock is this process's own: in CI the GitHub workflow's concurrency group (cancel-in-progress:"
                + " false) must serialize deploys.";
    }

    @Override
    public Optional<StoredRecord> find(String name) {
        return Optional.ofNullable(locks.get(name));
    }

    @Override
    public List<StoredRecord> list(String label, String value) {
        List<StoredRecord> records = new ArrayList<>(locks.values().stream().filter(r -> value.equals(r.labels().get(label))).toList());
        if (StackLock.STACK_LABEL.equals(label)) {
            records.addAll(history(value));
        }
        return records;
    }

    @Override
    public boolean remove(String name) {
        return locks.remove(name) != null;
    }

    @Override
    public boolean remove(StoredRecord record) {
        StoredRecord now = locks.get(record.name());
        return now != null && now.labels().equals(record.labels()) && locks.remove(record.name(), now);
    }

    /** The versions the stack's task history shows, as history records (see the class comment). */
    List<StoredRecord> history(String stack) {
        List<QuantumTask> tasks = cli.tasks(stack, true);
        Map<String, List<QuantumTask>> versions = new LinkedHashMap<>();
        Map<String, Integer> firstSeen = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            QuantumTask task = tasks.get(i);
            if (task.digest() != null && COMMIT_SHA.matcher(tag(task.imageWithoutDigest())).matches()) {
                versions.computeIfAbsent(task.image(), image -> new ArrayList<>()).add(task);
                firstSeen.putIfAbsent(task.image(), i);
            }
        }
        Instant now = clock.instant();
        List<StoredRecord> records = new ArrayList<>();
        versions.forEach((image, ofVersion) -> {
            String status;
            Instant time;
            if (ofVersion.stream().anyMatch(t -> t.wanted() && t.running())) {
                status = "deployed";
                time = now;
            } else if (ofVersion.stream().anyMatch(QuantumTask::ended)) {
                status = "failed";
                time = since(now, ofVersion);
            } else if (ofVersion.stream().anyMatch(t -> t.state().equals("shutdown"))) {
                status = "deployed";
                time = since(now, ofVersion);
            } else {
                return; // its tasks are still starting: neither good nor failed yet
            }
            time = time.minusMillis(firstSeen.get(image)); // Docker lists the newest task of a replica first
            String repository = dev.deployer.core.ImageRef.repositoryOf(image);
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(StackLock.KIND_LABEL, "history");
            labels.put(StackLock.STACK_LABEL, stack);
            labels.put(PREFIX + "time", time.toString());
            labels.put(PREFIX + "status", status);
            labels.put(PREFIX + "repository", repository);
            labels.put(PREFIX + "tag", tag(ofVersion.get(0).imageWithoutDigest()));
            labels.put(PREFIX + "digest", ofVersion.get(0).digest());
            labels.put(StackLock.OWNER_LABEL, "");
            labels.put(StackLock.RUN_LABEL, "");
            labels.put(PREFIX + "localProduction", "false");
            records.add(new StoredRecord("quantum-task-history-" + stack + "-" + ofVersion.get(0).digest(), labels, "", time));
        });
        return records;
    }

    /** When the version's most recent task entered its state, as far as Docker's "5 minutes ago" tells. */
    private static Instant since(Instant now, List<QuantumTask> tasks) {
        return tasks.stream().map(QuantumTask::stateAge).filter(java.util.Objects::nonNull).min(Duration::compareTo)
                .map(now::minus).orElse(now.minus(Duration.ofDays(365)));
    }

    /** The tag of {@code host:port/repo:tag}, or "". */
    private static String tag(String image) {
        String repository = dev.deployer.core.ImageRef.repositoryOf(image);
        return image.length() > repository.length() + 1 && image.charAt(repository.length()) == ':'
                ? image.substring(repository.length() + 1) : "";
    }
}
