package dev.deployer.platform.compose;

import com.github.dockerjava.api.model.Container;
import dev.deployer.core.Command;
import dev.deployer.core.CommandRunner;
import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import dev.deployer.deploy.DeployPlan;
import dev.deployer.deploy.Step;
import dev.deployer.deploy.TargetContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Blue/green for one Compose service behind a Caddy proxy ({@link ProxiedService}): the new containers start beside
 * the old ones while the proxy is pinned to the old ones; once Deployer's health gate passed, the proxy is pinned to the
 * new ones, the old ones are drained (no request in flight, at most {@code stop_grace_period}), stopped with that grace
 * and removed, and the proxy routes by the service name again. Two {@link Step.Call}s around the group's health gate:
 * {@link #start} and {@link #finish}.
 *
 * <p>Stateless across runs: what the proxy is pinned to says which containers serve. A start that finds the proxy
 * pinned (a failed or interrupted deploy before, or the restore of this one) removes the containers it is not pinned
 * to — those started beside the pinned ones never received a request; older ones were draining when a switch-over was
 * interrupted and are stopped with the grace period ({@link #unpinned}) — and keeps the pinned ones; when those already run the wanted configuration (a
 * restore), it only unpins. When the proxy does not run yet or the service has no container (a first deploy), the
 * service is simply started: there is nothing to switch from.
 */
final class BlueGreen {

    private static final Duration DOCKER_TIMEOUT = Duration.ofMinutes(2);

    private final TargetContext context;
    private final ComposeTarget target;
    private final CaddyAdmin admin;
    private final BiFunction<DeployPlan, List<String>, Command> compose;
    private final Log log;
    /** stack/service → what {@link #start} left for {@link #finish} */
    private final Map<String, Started> started = new ConcurrentHashMap<>();

    private record Started(List<Container> old, String proxy, int port) {
    }

    /** @param compose the Compose command of a plan with these arguments */
    BlueGreen(TargetContext context, ComposeTarget target, BiFunction<DeployPlan, List<String>, Command> compose) {
        this.context = context;
        this.target = target;
        this.admin = new CaddyAdmin(target::docker);
        this.compose = compose;
        this.log = context.log();
    }

    /** Starts the new containers of {@code service} beside the old ones, the proxy pinned to the old ones. */
    Step.Call start(DeployPlan plan, ProxiedService service) {
        String name = service.name();
        String proxy = "<running " + service.proxy() + " container>";
        String display = String.join("\n",
                "# " + name + ": blue/green behind the proxy '" + service.proxy() + "' (label " + ProxiedService.LABEL + "):"
                        + " when it runs and " + name + " has healthy containers, else replaced in place",
                CaddyAdmin.describeGet(proxy, "/config/") + "  # what the proxy routes to " + name,
                "docker rm -f <" + name + " containers the proxy is not pinned to, started after the pinned ones>  # only when a"
                        + " failed deploy left it pinned",
                "docker stop --time " + service.stopSeconds() + " <" + name + " containers the proxy is not pinned to, older than the"
                        + " pinned ones> && docker rm <them>  # only when an interrupted switch-over left them draining",
                compose.apply(plan, List.of("config", "--hash=" + name)).display() + "  # unchanged: the old containers keep serving",
                CaddyAdmin.describeLoad(proxy, "its config, " + name + "'s upstreams pinned to the running containers"),
                compose.apply(plan, List.of("up", "-d", "--no-deps", "--no-recreate", "--scale", name + "=<running + "
                        + service.replicas() + ">", name)).display());
        return new Step.Call(name + ": blue/green start behind the proxy '" + service.proxy() + "'", display, List.of(name), () -> startBeside(plan, service));
    }

    /** Switches the proxy to the new containers, drains and removes the old ones, and unpins the proxy. */
    Step.Call finish(DeployPlan plan, ProxiedService service) {
        String name = service.name();
        String proxy = "<running " + service.proxy() + " container>";
        String display = String.join("\n",
                CaddyAdmin.describeLoad(proxy, "its config, " + name + "'s upstreams pinned to the new containers"),
                "docker stop --time " + service.stopSeconds() + " <the old " + name + " containers>  # SIGTERM: they finish the"
                        + " requests in flight, then stop; killed after stop_grace_period",
                "docker rm <the old " + name + " containers>",
                CaddyAdmin.describeLoad(proxy, "its config, " + name + "'s upstreams back to " + name + ":<port>"));
        return new Step.Call(name + ": blue/green switch-over", display, List.of(name),
                () -> switchOver(plan, service));
    }

    private void startBeside(DeployPlan plan, ProxiedService service) {
        String name = service.name();
        // a start of this deploy that failed its health gate left its state: the restore starts afresh
        started.remove(plan.stack() + "/" + name);
        List<Container> proxies = target.containers(plan.stack(), service.proxy(), false);
        List<Container> all = target.containers(plan.stack(), name, true);
        List<Container> running = all.stream().filter(BlueGreen::running).toList();
        if (proxies.isEmpty() || running.isEmpty()) {
            log.info(name + ": " + (running.isEmpty() ? "no container runs yet" : "the proxy '" + service.proxy() + "' does not run")
                    + ": replaced in place (nothing to switch from)");
            run(compose.apply(plan, List.of("up", "-d", "--no-deps", name)), plan.timeout());
            return;
        }
        String proxy = proxies.get(0).getId();
        CaddyUpstreams upstreams = new CaddyUpstreams(plan.stack(), name);
        // the running proxy may be one this deploy replaces later (a stack adopting the label: an earlier proxy
        // configuration without the admin API or without this route): then there is nothing to steer this time
        String config;
        try {
            config = admin.get(proxy, "/config/");
        } catch (DeployerException e) {
            inPlaceThisTime(plan, service, "its admin API does not answer (" + e.getMessage().lines().findFirst().orElse("") + ")");
            return;
        }
        java.util.Optional<CaddyUpstreams.Routing> route = upstreams.routing(config);
        if (route.isEmpty()) {
            inPlaceThisTime(plan, service, "no reverse_proxy upstream of its running config dials " + name + ":<port>");
            return;
        }
        CaddyUpstreams.Routing routing = route.get();
        List<Container> old = all;
        if (!routing.pinned().isEmpty()) {
            List<Container> serving = all.stream().filter(c -> routing.pinned().contains(name(c))).toList();
            Unpinned unpinned = unpinned(serving, all.stream().filter(c -> !routing.pinned().contains(name(c))).toList());
            if (!serving.isEmpty() && serving.stream().anyMatch(BlueGreen::running)) {
                if (!unpinned.neverServed().isEmpty()) {
                    log.info(name + ": removing " + names(unpinned.neverServed()) + ": the proxy is pinned to " + names(serving)
                            + " (by a deploy that failed or was interrupted), so they have received no request since");
                    run(docker(List.of("rm", "-f"), unpinned.neverServed()), DOCKER_TIMEOUT);
                }
                if (!unpinned.draining().isEmpty()) {
                    log.info(name + ": stopping " + names(unpinned.draining()) + ": they served before the proxy was pinned to "
                            + names(serving) + " (a switch-over that was interrupted) and may still be finishing requests"
                            + " (SIGTERM, up to " + service.stopSeconds() + " s)");
                    run(docker(List.of("stop", "--time", String.valueOf(service.stopSeconds())), unpinned.draining()),
                            service.stopGrace().plus(DOCKER_TIMEOUT));
                    run(docker(List.of("rm"), unpinned.draining()), DOCKER_TIMEOUT);
                }
                old = serving;
            }
        }
        if (old.stream().filter(BlueGreen::running).anyMatch(c -> String.valueOf(c.getStatus()).contains("(unhealthy)"))) {
            // no healthy container to keep serving (e.g. deploying the fix of a broken version), and the health gate
            // would count an unhealthy old container against the new ones
            if (!routing.pinned().isEmpty()) {
                admin.load(proxy, upstreams.unpin(config, routing.port()));
            }
            log.info(name + ": its running container(s) " + names(old) + " are not healthy: replaced in place");
            run(compose.apply(plan, List.of("up", "-d", "--no-deps", name)), plan.timeout());
            return;
        }
        String wanted = hash(plan, name);
        if (old.size() == service.replicas() && old.stream().allMatch(c -> running(c)
                && wanted.equals(c.getLabels().get(ComposeTarget.CONFIG_HASH_LABEL)))) {
            if (!routing.pinned().isEmpty()) {
                admin.load(proxy, upstreams.unpin(admin.get(proxy, "/config/"), routing.port()));
            }
            log.info(name + ": unchanged, its container(s) " + names(old) + " keep serving");
            return;
        }
        admin.load(proxy, upstreams.route(config, names(old.stream().filter(BlueGreen::running).toList()), routing.port()));
        log.info(name + ": the proxy '" + service.proxy() + "' is pinned to " + names(old) + "; starting " + service.replicas()
                + " new container(s) beside them");
        run(compose.apply(plan, List.of("up", "-d", "--no-deps", "--no-recreate", "--scale", name + "=" + (old.size()
                + service.replicas()), name)), plan.timeout());
        started.put(plan.stack() + "/" + name, new Started(old, proxy, routing.port()));
    }

    /**
     * The containers the proxy is not pinned to, beside those it is pinned to ({@code serving}).
     *
     * @param draining    created before the pinned ones (or at an unknown time): they served until a switch-over
     *                    pinned the proxy to their successors and was interrupted while they drained, so they may still
     *                    be finishing requests: stopped with the grace period, as the switch-over would have
     * @param neverServed created since the pinned ones: started beside them by a deploy whose health gate failed or
     *                    that was interrupted before its switch-over; they have received no request: removed at once
     */
    record Unpinned(List<Container> draining, List<Container> neverServed) {
    }

    static Unpinned unpinned(List<Container> serving, List<Container> others) {
        long oldestServing = serving.stream().mapToLong(BlueGreen::created).min().orElse(Long.MAX_VALUE);
        return new Unpinned(others.stream().filter(c -> created(c) < oldestServing).toList(),
                others.stream().filter(c -> created(c) >= oldestServing).toList());
    }

    /** When the container was created (seconds since the epoch; the engine's granularity), 0 when unknown. */
    private static long created(Container container) {
        return container.getCreated() == null ? 0 : container.getCreated();
    }

    /** The running proxy cannot be steered to {@code service}: it is replaced in place, and the log says why. */
    private void inPlaceThisTime(DeployPlan plan, ProxiedService service, String why) {
        log.warn(service.name() + ": the running proxy '" + service.proxy() + "' cannot be steered: " + why + ". " + service.name()
                + " is replaced in place this time (stopped, then started); once the proxy runs with its admin API on and"
                + " 'reverse_proxy " + service.name() + ":<port>' (docs/deploy.md, Zero downtime), its deploys are blue/green");
        run(compose.apply(plan, List.of("up", "-d", "--no-deps", service.name())), plan.timeout());
    }

    private void switchOver(DeployPlan plan, ProxiedService service) {
        String name = service.name();
        Started before = started.remove(plan.stack() + "/" + name);
        if (before == null) {
            return; // started in place or unchanged: nothing to switch
        }
        Set<String> oldIds = before.old().stream().map(Container::getId).collect(Collectors.toSet());
        List<Container> fresh = target.containers(plan.stack(), name, false).stream().filter(c -> !oldIds.contains(c.getId())).toList();
        if (fresh.size() < service.replicas()) {
            throw DeployerException.of(name + ": only " + fresh.size() + " of " + service.replicas() + " new container(s) run",
                    "look at the service's logs below");
        }
        CaddyUpstreams upstreams = new CaddyUpstreams(plan.stack(), name);
        admin.load(before.proxy(), upstreams.route(admin.get(before.proxy(), "/config/"), names(fresh), before.port()));
        // Caddy's config switch is graceful: requests in flight to the old containers finish on the old config; the
        // old containers get SIGTERM and stop_grace_period to finish theirs (Caddy 2.6 counts no requests in flight
        // per upstream that could be awaited here: its /reverse_proxy/upstreams drops an address at the switch)
        log.info(name + ": the proxy sends new requests to " + names(fresh) + "; stopping " + names(before.old())
                + " (SIGTERM, up to " + service.stopSeconds() + " s to finish their requests)");
        run(docker(List.of("stop", "--time", String.valueOf(service.stopSeconds())), before.old()),
                service.stopGrace().plus(DOCKER_TIMEOUT));
        run(docker(List.of("rm"), before.old()), DOCKER_TIMEOUT);
        admin.load(before.proxy(), upstreams.unpin(admin.get(before.proxy(), "/config/"), before.port()));
        log.info(name + ": " + names(fresh) + " serve; " + names(before.old()) + " drained, stopped and removed");
    }

    private void run(Command command, Duration timeout) {
        CommandRunner.Result result = context.runner().run(command, timeout);
        if (!result.succeeded()) {
            throw DeployerException.of("'" + command.display() + "' failed" + (result.exitCode() < 0 ? " (timed out)" : " with exit"
                    + " code " + result.exitCode()) + ": " + command.mask(result.tail(10)), "look at the output above");
        }
    }

    private String hash(DeployPlan plan, String service) {
        Command command = compose.apply(plan, List.of("config", "--hash=" + service));
        CommandRunner.Result result = context.runner().run(command, plan.timeout());
        if (!result.succeeded()) {
            throw DeployerException.of("'" + command.display() + "' failed: " + command.mask(result.tail(10)), "look at the output above");
        }
        for (String line : result.output().split("\\R")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2 && parts[0].equals(service)) {
                return parts[1];
            }
        }
        throw DeployerException.of("'" + command.display() + "' printed no hash for " + service, "update Docker Compose");
    }

    /** {@code docker <args> <the containers' ids>}. */
    private static Command docker(List<String> args, List<Container> containers) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(args);
        containers.forEach(container -> argv.add(container.getId()));
        return Command.of(argv);
    }

    private static List<String> names(List<Container> containers) {
        return containers.stream().map(BlueGreen::name).toList();
    }

    static String name(Container container) {
        return container.getNames() != null && container.getNames().length > 0 ? container.getNames()[0].replaceFirst("^/", "")
                : container.getId();
    }

    private static boolean running(Container container) {
        return "running".equals(container.getState());
    }
}
