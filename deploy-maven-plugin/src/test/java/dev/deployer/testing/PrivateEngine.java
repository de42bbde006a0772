package dev.deployer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Docker engine of a test's own, for fault tests that must not touch the shared engine: a second {@code dockerd}
 * with its own data root, exec root, pid file and socket under {@code /tmp/<name>}, started, restarted and stopped by
 * its PID, and removed with everything it mounted in {@link #close()}.
 *
 * <ul>
 *   <li>{@link #onSmallDisk}: in the host's network namespace (so that ports it publishes on 127.0.0.1 and the
 *       registry on 127.0.0.1:5443 are the host's), without iptables rules of its own (the shared engine owns the
 *       host's) and with a default bridge of its own ({@link #bridgeName}: never {@code --bridge=none}, which makes
 *       dockerd delete the host's {@code docker0}, the shared engine's bridge), its data root on a small
 *       loop-mounted ext4 filesystem that {@link #fillDisk()} fills.</li>
 *   <li>{@link #inNamespace}: in a network namespace of its own ({@link Netns}), as a node of a private Swarm.</li>
 * </ul>
 *
 * Every name (directory, namespace, interface, volume) carries the engine's name, which should carry the name of the
 * test's owner. Needs root, {@code dockerd}, {@code mount}/{@code umount}, {@code mkfs.ext4}, {@code ip} and
 * {@code nsenter} ({@code .ci/setup-env.sh} installs them); a missing one fails the test.
 */
public final class PrivateEngine implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Path dir;
    private final List<String> command;
    private final boolean mounted;
    private ProcessHandle daemon;

    private PrivateEngine(String name, Path dir, List<String> command, boolean mounted) {
        this.name = name;
        this.dir = dir;
        this.command = command;
        this.mounted = mounted;
    }

    /**
     * An engine in the host's network namespace whose data root is a {@code diskMegabytes} ext4 filesystem of its
     * own; its networks take addresses from {@code addressPool} (e.g. {@code 10.231.0.0/16}: unused on the host).
     */
    public static PrivateEngine onSmallDisk(String name, int diskMegabytes, String addressPool) {
        Path dir = prepare(name);
        Path image = dir.resolve("disk.img");
        Path root = dir.resolve("root");
        run("truncate", "-s", diskMegabytes + "M", image.toString());
        run("mkfs.ext4", "-q", "-F", "-m", "0", image.toString());
        mkdirs(root);
        run("mount", "-o", "loop", image.toString(), root.toString());
        // dockerd with --bridge=none deletes the interface docker0 (the shared engine's) at start: a bridge of its own
        String bridge = bridgeName(name);
        exec(List.of("ip", "link", "del", bridge), Duration.ofSeconds(30));
        run("ip", "link", "add", bridge, "type", "bridge");
        run("ip", "addr", "add", addressPool.replaceFirst("^(\\d+\\.\\d+)\\..*$", "$1") + ".255.1/24", "dev", bridge);
        run("ip", "link", "set", bridge, "up");
        List<String> command = new ArrayList<>(daemonCommand(dir));
        command.addAll(List.of("--bridge=" + bridge, "--iptables=false", "--ip-masq=false", "--default-address-pool",
                "base=" + addressPool + ",size=24"));
        return started(new PrivateEngine(name, dir, command, true));
    }

    /** The default bridge of an engine {@link #onSmallDisk} (an interface name: at most 15 characters). */
    static String bridgeName(String name) {
        String bridge = "pe-" + name;
        return bridge.length() <= 15 ? bridge : "pe-" + Integer.toHexString(name.hashCode());
    }

    /** An engine in {@code netns} (its own iptables and bridges there), its data root on the host's disk. */
    public static PrivateEngine inNamespace(String name, Netns netns) {
        Path dir = prepare(name);
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=" + netns.path()));
        command.addAll(daemonCommand(dir));
        return started(new PrivateEngine(name, dir, command, false));
    }

    private static PrivateEngine started(PrivateEngine engine) {
        try {
            engine.start();
            return engine;
        } catch (RuntimeException | Error e) {
            engine.close();
            throw e;
        }
    }

    private static List<String> daemonCommand(Path dir) {
        return List.of("dockerd", "--data-root", dir.resolve("root").toString(), "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("dockerd.pid").toString(), "--host", "unix://" + dir.resolve("docker.sock"),
                "--shutdown-timeout", "5");
    }

    /** A fresh {@code /tmp/<name>}, after cleaning up what a killed earlier run of the same test left there. */
    private static Path prepare(String name) {
        if (!name.matches("[a-z0-9-]{3,20}")) {
            throw new IllegalArgumentException("engine name must be short lowercase words: " + name);
        }
        Path dir = Path.of("/tmp", name);
        cleanUp(dir);
        mkdirs(dir);
        return dir;
    }

    private static void cleanUp(Path dir) {
        Path pidFile = dir.resolve("dockerd.pid");
        if (Files.exists(pidFile)) {
            try {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid).filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
                        .ifPresent(p -> stop(p, dir));
            } catch (IOException | NumberFormatException e) {
                // no daemon of ours
            }
        }
        unmountUnder(dir);
        deleteTree(dir);
    }

    /** The engine's address for DOCKER_HOST. */
    public String host() {
        return "unix://" + dir.resolve("docker.sock");
    }

    public String name() {
        return name;
    }

    /** The daemon's own log (to check that no secret reached it, or to show why it failed). */
    public Path daemonLog() {
        return dir.resolve("dockerd.log");
    }

    /** The daemon's PID while it runs. */
    public long pid() {
        return daemon.pid();
    }

    /** Starts the daemon (again, with the same data) and waits until it answers. */
    public synchronized void start() {
        if (daemon != null && daemon.isAlive()) {
            throw new IllegalStateException(name + " already runs");
        }
        if (mounted) {
            // in the host's network namespace, a dockerd started again on its data deletes its stale default bridge
            // network, and with it the interface docker0 (the shared engine's, whatever -b says): start with no network
            // store (its stacks use the host network, which is recreated) so there is nothing stale to delete
            try {
                Files.deleteIfExists(dir.resolve("root/network/files/local-kv.db"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(daemonLog().toFile())).start();
            daemon = process.toHandle();
        } catch (IOException e) {
            throw new AssertionError("Cannot start " + command.get(0) + " for " + name + " (" + e.getMessage() + "): "
                    + TestInfra.SETUP, e);
        }
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!answers()) {
            if (!daemon.isAlive() || Instant.now().isAfter(deadline)) {
                String log = tail(daemonLog(), 30);
                stop(daemon, dir);
                throw new AssertionError("The private engine " + name + " did not come up (" + String.join(" ", command) + "):\n" + log);
            }
            pause(); // poll interval of a bounded wait for the daemon to answer, not synchronisation by sleeping
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Stops the daemon as a service manager does (SIGTERM: it stops its containers, then exits) and waits for it. */
    public synchronized void stop() {
        if (daemon != null) {
            stop(daemon, dir);
        }
    }

    /** A restart: {@link #stop()}, then {@link #start()} on the same data. */
    public synchronized void restart() {
        stop();
        start();
    }

    private static void stop(ProcessHandle process, Path dir) {
        process.destroy();
        try {
            process.onExit().get(STOP_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            process.onExit().join();
        }
        // the containerd it started exits with it; wait for its shims' sockets to go, so a restart starts clean
        Path containerd = dir.resolve("exec/containerd/containerd.pid");
        if (Files.exists(containerd)) {
            try {
                ProcessHandle.of(Long.parseLong(Files.readString(containerd).strip())).ifPresent(p -> {
                    p.destroy();
                    p.onExit().join();
                });
            } catch (IOException | NumberFormatException e) {
                // gone
            }
        }
    }

    private boolean answers() {
        Result result = exec(dockerArgs("version", "--format", "{{.Server.Version}}"), Duration.ofSeconds(10));
        return result.code() == 0;
    }

    /** {@code docker <args>} against this engine; fails the test unless it succeeds. Returns its output. */
    public String docker(String... args) {
        Result result = exec(dockerArgs(args), Duration.ofMinutes(3));
        if (result.code() != 0) {
            throw new AssertionError("docker " + String.join(" ", args) + " on " + name + " failed (" + result.code() + "):\n"
                    + result.output());
        }
        return result.output();
    }

    private List<String> dockerArgs(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker", "--host", host()));
        argv.addAll(List.of(args));
        return argv;
    }

    /**
     * Fills the data root's filesystem until writing fails with "no space left on device" (the engine's disk full);
     * {@link #freeDisk()} frees it again.
     */
    public void fillDisk() {
        requireDisk();
        Path fill = dir.resolve("root/" + name + "-fill");
        ByteBuffer big = ByteBuffer.allocate(8 << 20);
        ByteBuffer small = ByteBuffer.allocate(4096);
        try (FileChannel channel = FileChannel.open(fill, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            // ext4 keeps blocks in reserve for data not yet written out and frees them once it is: write until
            // "no space left", flush, and again, until a round after a flush cannot write a single block
            long written;
            do {
                written = 0;
                for (ByteBuffer buffer : List.of(big, small)) {
                    written += writeUntilFull(channel, buffer);
                }
                channel.force(true);
            } while (written > 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long writeUntilFull(FileChannel channel, ByteBuffer buffer) throws IOException {
        long written = 0;
        try {
            while (true) {
                buffer.clear();
                written += channel.write(buffer);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
            return written;
        }
    }

    /** Frees what {@link #fillDisk()} took. */
    public void freeDisk() {
        requireDisk();
        try {
            Files.deleteIfExists(dir.resolve("root/" + name + "-fill"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void requireDisk() {
        if (!mounted) {
            throw new IllegalStateException(name + " has no disk of its own (use onSmallDisk)");
        }
    }

    /** Stops the daemon and removes its mounts and files. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            unmountUnder(dir);
            deleteTree(dir);
            if (mounted) {
                exec(List.of("ip", "link", "del", bridgeName(name)), Duration.ofSeconds(30));
            }
        }
    }

    /** Unmounts everything mounted at or below {@code dir}, deepest first (overlays, netns files, the loop disk). */
    private static void unmountUnder(Path dir) {
        List<String> mounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] fields = line.split(" ");
                String target = fields[1].replace("\\040", " ");
                if (target.equals(dir.toString()) || target.startsWith(dir + "/")) {
                    mounts.add(target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        for (String target : mounts) {
            if (exec(List.of("umount", target), Duration.ofSeconds(30)).code() != 0) {
                exec(List.of("umount", "-l", target), Duration.ofSeconds(30));
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        Result result = exec(List.of("rm", "-rf", "--one-file-system", dir.toString()), Duration.ofMinutes(1));
        if (result.code() != 0) {
            throw new AssertionError("Cannot remove " + dir + ": " + result.output());
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.exists(file) ? Files.readAllLines(file) : List.of();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    /** Runs a setup command; fails the test (with the way to get the tool) unless it succeeds. */
    static String run(String... argv) {
        Result result = exec(List.of(argv), Duration.ofMinutes(2));
        if (result.code() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed (" + result.code() + "):\n" + result.output()
                    + "\n(" + TestInfra.SETUP + ")");
        }
        return result.output();
    }

    record Result(int code, String output) {
    }

    static Result exec(List<String> argv, Duration timeout) {
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            process.getOutputStream().close();
            java.util.concurrent.CompletableFuture<String> output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
                return new Result(-1, "timed out after " + timeout.toSeconds() + " s: " + output.getNow(""));
            }
            return new Result(process.exitValue(), output.join());
        } catch (IOException e) {
            return new Result(-2, String.join(" ", argv) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A network namespace {@code /var/run/netns/<name>} with a veth pair to the host ({@code <name>-h} on the host,
     * {@code <name>-n} inside), addresses {@code <prefix>.1/24} (host) and {@code <prefix>.2/24} (inside), deleted
     * with its interfaces by {@link #close()}.
     */
    public static final class Netns implements AutoCloseable {

        private final String name;
        private final String prefix;

        private Netns(String name, String prefix) {
            this.name = name;
            this.prefix = prefix;
        }

        /** {@code name}: at most 12 characters (interface names get {@code -h}/{@code -n}); {@code prefix}: e.g. 10.231.101 */
        public static Netns create(String name, String prefix) {
            if (!name.matches("[a-z0-9]{3,12}")) {
                throw new IllegalArgumentException("netns name must be 3-12 lowercase letters or digits: " + name);
            }
            remove(name);
            Netns netns = new Netns(name, prefix);
            try {
                run("ip", "netns", "add", name);
                run("ip", "link", "add", name + "-h", "type", "veth", "peer", "name", name + "-n");
                run("ip", "link", "set", name + "-n", "netns", name);
                run("ip", "addr", "add", prefix + ".1/24", "dev", name + "-h");
                run("ip", "link", "set", name + "-h", "up");
                netns.inside("ip", "addr", "add", prefix + ".2/24", "dev", name + "-n");
                netns.inside("ip", "link", "set", name + "-n", "up");
                netns.inside("ip", "link", "set", "lo", "up");
                return netns;
            } catch (RuntimeException | Error e) {
                netns.close();
                throw e;
            }
        }

        /**
         * A switch for {@code members}: a namespace {@code name} holding a bridge, and a veth from each member to it
         * ({@code <member>-s} inside the member, address {@code <prefix>.<i+1>/24}, i its index). Closing the switch
         * deletes the bridge and every veth to it.
         */
        public static Netns switchFor(String name, String prefix, List<Netns> members) {
            remove(name);
            run("ip", "netns", "add", name);
            Netns bridge = new Netns(name, prefix);
            try {
                bridge.inside("ip", "link", "add", "br0", "type", "bridge");
                bridge.inside("ip", "link", "set", "br0", "up");
                for (int i = 0; i < members.size(); i++) {
                    Netns member = members.get(i);
                    run("ip", "link", "add", member.name + "-s", "netns", member.name, "type", "veth", "peer", "name",
                            member.name + "-p", "netns", name);
                    bridge.inside("ip", "link", "set", member.name + "-p", "master", "br0");
                    bridge.inside("ip", "link", "set", member.name + "-p", "up");
                    member.inside("ip", "addr", "add", prefix + "." + (i + 1) + "/24", "dev", member.name + "-s");
                    member.inside("ip", "link", "set", member.name + "-s", "up");
                }
                return bridge;
            } catch (RuntimeException | Error e) {
                bridge.close();
                throw e;
            }
        }

        /**
         * Makes the host's registry on 127.0.0.1:{@code port} reachable at the same address inside the namespace (so
         * that an engine there pulls image references as the host's engine does): the namespace's own NAT sends it to
         * the host's end of the veth, where {@code relay} (started by the caller on {@link #hostAddress()}) passes it
         * on. Only the namespace's rules change.
         */
        public void registryThroughHost(int port) {
            inside("sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1", "net.ipv4.conf." + name + "-n.route_localnet=1");
            inside("iptables", "-t", "nat", "-A", "OUTPUT", "-p", "tcp", "-d", "127.0.0.1", "--dport", String.valueOf(port),
                    "-j", "DNAT", "--to-destination", hostAddress() + ":" + port);
            inside("iptables", "-t", "nat", "-A", "POSTROUTING", "-p", "tcp", "-d", hostAddress(), "--dport", String.valueOf(port),
                    "-j", "SNAT", "--to-source", address());
        }

        /**
         * The namespace as a lost machine: its links to the host and to the switch go down on its side (the host keeps
         * its route to it, so packets to it are lost rather than sent elsewhere).
         */
        public void cut() {
            inside("ip", "link", "set", name + "-n", "down");
            inside("ip", "link", "set", name + "-s", "down");
        }

        /** Runs {@code argv} inside the namespace ({@code nsenter --net}); fails the test unless it succeeds. */
        public String inside(String... argv) {
            List<String> all = new ArrayList<>(List.of("nsenter", "--net=" + path()));
            all.addAll(List.of(argv));
            return run(all.toArray(String[]::new));
        }

        public String path() {
            return "/var/run/netns/" + name;
        }

        /** The namespace's own address on its veth to the host. */
        public String address() {
            return prefix + ".2";
        }

        /** The host's address on the veth. */
        public String hostAddress() {
            return prefix + ".1";
        }

        public String name() {
            return name;
        }

        @Override
        public void close() {
            remove(name);
        }

        private static void remove(String name) {
            exec(List.of("ip", "link", "del", name + "-h"), Duration.ofSeconds(30));
            if (Files.exists(Path.of("/var/run/netns", name))) {
                exec(List.of("ip", "netns", "del", name), Duration.ofSeconds(30));
            }
        }
    }

    /** Every regular file below {@code dir} (for a search for secret values). */
    public static List<Path> files(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The container ID of a running container with {@code label}, or empty. */
    public Optional<String> runningContainer(String label) {
        String ids = docker("ps", "-q", "--filter", "label=" + label).strip();
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.lines().findFirst().orElseThrow());
    }
}
