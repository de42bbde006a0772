package dev.deployer.deploy;

import dev.deployer.core.Ahead;
import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import dev.deployer.core.ImageRef;
import dev.deployer.core.Log;
import dev.deployer.core.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The deploy runbook, the same for every target, as {@link Plan}s: the deploy, rollback and unlock goals each ask it
 * for one. Building a plan checks everything that can be checked without changing anything (the production guard,
 * the image, the secrets, the templates) and renders in memory; with a dry run it also needs no engine and no
 * registry (the registry look-up of {@code -Ddeployer.tag} is printed instead of made).
 *
 * <p>A deploy plan: [look up the tag's digest] → [the image's checks: its signature, its platforms against the
 * target's nodes ({@link Step.Check}; a refusal changes nothing)] → [release a stale lock] → take the lock → read what runs now and the
 * history (the rollback point) → write the rendered files → stop here when the digest already runs → the target's
 * steps (pulls, {@code up} per group, health gates) → verify → record → report → release the lock. On a failure or an
 * interruption after the lock the {@link LiveExecutor} restores the rollback point ({@link Restore}).
 */
public final class Runbook {

    private final TargetContext context;
    private final Target target;
    private final StackRenderer renderer;
    private final ImageResolver images;
    private final ImageResolver.DigestResolver digests;
    private final GitHubActions github;
    private final ImageChecks checks;
    private final Log log;

    public Runbook(TargetContext context, Target target, StackRenderer renderer, ImageResolver.DigestResolver digests,
            GitHubActions github) {
        this(context, target, renderer, digests, github, ImageChecks.NONE);
    }

    /** @param checks the image's platforms and signature, checked before the lock ({@link ImageChecks#NONE}: none) */
    public Runbook(TargetContext context, Target target, StackRenderer renderer, ImageResolver.DigestResolver digests,
            GitHubActions github, ImageChecks checks) {
        this.checks = Objects.requireNonNull(checks, "checks");
        this.context = Objects.requireNonNull(context, "context");
        this.target = Objects.requireNonNull(target, "target");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.images = new ImageResolver(Objects.requireNonNull(digests, "digests"));
        this.digests = digests;
        this.github = Objects.requireNonNull(github, "github");
        this.log = context.log();
    }

    /** The plan that deploys the image of image.json, or {@code -Ddeployer.tag}; a release deploys all its images. */
    public Plan deploy(DeployRequest request) {
        if (request.release() != null) {
            return release("deploy", request, false);
        }
        ImageRef image = images.resolve(request, false);
        boolean localProduction = request.guard().check(request.environment(), image.tag(), false, log);
        List<Step> steps = new ArrayList<>();
        image = lookUp(request, image, steps);
        log.info("Deploying " + image.ref() + " to stack '" + request.stack() + "' (" + target.name() + ", " + request.environment() + ")");
        Function<ImageRef, ImageReads> reads = reads(request, List.of(image));
        return plan("deploy", request, image, render(request, image), false, localProduction, steps, reads);
    }

    /** The plan that redeploys the previous good version from the target's history, or {@code -Ddeployer.tag}. */
    public Plan rollback(DeployRequest request) {
        // the guard first: a refused production rollback reads nothing from the registry or the target
        boolean localProduction = request.guard().check(request.environment(), request.tag(), true, log);
        List<Step> steps = new ArrayList<>();
        if (request.tag() != null && !request.tag().isBlank()) {
            // a production rollback tag that is no commit of an allowed ref must be a good release in the history
            localProduction |= request.guard().checkRelease(request.environment(), request.tag(),
                    () -> new DeployHistory(target.store()).entries(request.stack()).stream().filter(DeployHistory.Entry::good)
                            .map(DeployHistory.Entry::tag).toList(), log);
            if (request.release() != null) {
                return release("rollback", request, localProduction);
            }
            ImageRef image = lookUp(request, images.resolve(request, false), steps);
            log.info("Rolling back stack '" + request.stack() + "' to " + image.ref());
            Function<ImageRef, ImageReads> reads = reads(request, List.of(image));
            return plan("rollback", request, image, render(request, image), true, localProduction, steps, reads);
        }
        TargetStore store = target.store();
        if (request.dryRun()) {
            steps.add(new Step.Note(target.describeCurrent(request.stack())));
            steps.add(new Step.Note(store.describeList(StackLock.STACK_LABEL, request.stack()) + "  # the history"));
            steps.add(new Step.Note("# choose the newest good version in the history that does not run now; its recorded stack"
                    + " file becomes " + request.renderDir().resolve(ROLLBACK_FILE)));
            steps.add(new Step.Note("# then the steps of deployer:deploy for that file: lock, snapshot, write, the target's"
                    + " commands, verify, record 'rollback', report, unlock (name the version with -Ddeployer.tag to see them)"));
            return new Plan("rollback", request.stack(), "a rollback of stack '" + request.stack() + "' to its previous good version",
                    steps, onFailure(), new Plan.Deploy(request, null, true, localProduction));
        }
        DeployHistory.Entry previous = previousGood(request.stack(), store);
        ImageRef image = new ImageRef(previous.repository(), previous.tag(), previous.digest());
        Map<String, ImageRef> releaseImages = ReleaseImageResolver.of(previous);
        log.info("Rolling back stack '" + request.stack() + "' to the previous good version " + (releaseImages.isEmpty()
                ? image.ref() : "(the release of " + previous.tag() + ": " + String.join(", ", previous.imageRefs()) + ")")
                + " (deployed " + previous.time() + ")");
        if (!releaseImages.isEmpty()) {
            steps.add(ReleaseImageResolver.describe(releaseImages));
        }
        Function<ImageRef, ImageReads> reads = reads(request, releaseImages.isEmpty() ? List.of(image) : releaseImages.values());
        if (previous.stackText().isEmpty()) {
            // a history that keeps no stack file (quantum without DOCKER_HOST): today's templates with that version
            return plan("rollback", request, image, releaseImages, render(request, image, releaseImages), true, localProduction, steps, reads);
        }
        StackRenderer.Rendered rendered = new StackRenderer.Rendered(ROLLBACK_FILE, Map.of(ROLLBACK_FILE, previous.stackText()),
                StackFiles.requiredPlaceholders(previous.stackText()).stream()
                        .filter(name -> !renderer.variables().containsKey(name)).toList());
        return plan("rollback", request, image, releaseImages, withSecrets(rendered, List.of(), request), true, localProduction, steps, reads);
    }

    /**
     * The plan of a release (a reactor's image modules deployed as one stack by their owner): every image resolved
     * (image.json of each module, or the registry's digest of each {@code <repository>:<tag>}), one render with
     * {@code $images}, then the same steps as a deploy of one image: one lock, one history record listing every image,
     * every image verified by digest.
     */
    private Plan release(String goal, DeployRequest request, boolean localProduction) {
        List<Step> steps = new ArrayList<>();
        ReleaseImageResolver.Resolved release = new ReleaseImageResolver(digests).resolve(request, steps);
        boolean rollback = "rollback".equals(goal);
        if (!rollback) {
            localProduction = request.guard().check(request.environment(), release.image().tag(), false, log);
        }
        steps.add(ReleaseImageResolver.describe(release.images()));
        log.info((rollback ? "Rolling back" : "Deploying") + " the release of " + request.release().owner() + " ("
                + release.image().tag() + ") to stack '" + request.stack() + "' (" + target.name() + ", "
                + request.environment() + "): " + release.images().entrySet().stream().map(e -> e.getKey() + "="
                + (e.getValue().digest() == null ? e.getValue().ref() : e.getValue().repository() + "@" + e.getValue().digest()))
                .collect(java.util.stream.Collectors.joining(", ")));
        Function<ImageRef, ImageReads> reads = reads(request, release.images().values());
        return plan(goal, request, release.image(), release.images(), render(request, release.image(), release.images()),
                rollback, localProduction, steps, reads);
    }

    /** The plan that releases the lock of {@code stack} on purpose (a stale one left by a killed deploy). */
    public Plan unlock(String stack) {
        return unlock(target, stack);
    }

    /** The unlock plan on {@code target}: needs nothing but the target. */
    public static Plan unlock(Target target, String stack) {
        Step release = new Step.ForceUnlock(stack, target.store().describeRemove(StackLock.name(stack))
                + "  # when the lock is there; who held it and since when is shown first");
        return new Plan("unlock", stack, "an unlock of stack '" + stack + "' on " + target.name(),
                List.of(release), List.of(), null);
    }

    static final String ROLLBACK_FILE = "stack.rollback.yml";

    private ImageRef lookUp(DeployRequest request, ImageRef image, List<Step> steps) {
        String lookUp = images.describe(request);
        if (lookUp == null) {
            return image;
        }
        steps.add(new Step.ResolveDigest(image.repository(), image.tag(), lookUp));
        return request.dryRun() ? image : images.resolve(request);
    }

    /**
     * The images' signatures and platforms, for the checks before the lock. A live deploy starts both registry reads
     * of each image now, on daemon threads, so that their round trips (in a cold JVM: TLS, a token, manifests, blobs) overlap reading
     * the secrets, rendering and the target's own start; each check step then waits for its answer and fails (or
     * warns) at the same place, before the lock, with the same message, as when it read itself. A dry run reads
     * nothing: it only prints the look-ups.
     */
    private Function<ImageRef, ImageReads> reads(DeployRequest request, Collection<ImageRef> images) {
        Map<ImageRef, ImageReads> started = new ConcurrentHashMap<>();
        images.forEach(image -> started.put(image, read(request, image)));
        return image -> started.computeIfAbsent(image, missing -> read(request, missing));
    }

    /** The reads of one image (a release has one per image). */
    private ImageReads read(DeployRequest request, ImageRef image) {
        boolean live = !request.dryRun() && image.digest() != null;
        return new ImageReads(
                Ahead.of(live && checks.verifiesSignatures(), "verifying the signature of " + image.ref(),
                        () -> checks.verifySignature(image.repository(), image.digest())),
                Ahead.of(live && checks.readsPlatforms(), "reading the platforms of " + image.ref(),
                        () -> checks.platforms(image.repository(), image.digest())));
    }

    /** The registry reads of {@link #reads}: what verified the signature, and the image's platforms. */
    private record ImageReads(Ahead<String> signature, Ahead<List<String>> platforms) {
    }

    /** Reads the secrets first (a missing one fails before the lock), then renders in memory. */
    private Rendering render(DeployRequest request, ImageRef image) {
        return render(request, image, Map.of());
    }

    /** As {@link #render(DeployRequest, ImageRef)} for a release: {@code $images} are {@code releaseImages}. */
    private Rendering render(DeployRequest request, ImageRef image, Map<String, ImageRef> releaseImages) {
        List<Secret> declared = EnvironmentSecrets.read(context::env, renderer.secretNames(image, releaseImages),
                request.renderDir().toString());
        return withSecrets(renderer.render(image, releaseImages), declared, request);
    }

    private Rendering withSecrets(StackRenderer.Rendered rendered, List<Secret> declared, DeployRequest request) {
        String origin = request.renderDir().resolve(rendered.stackFile()).toString();
        List<Secret> secrets = EnvironmentSecrets.forStack(context::env, declared, renderer.variables(), rendered.stackText(), origin);
        secrets.forEach(github::mask);
        target.credentials().forEach(github::mask);
        request.smokeChecks().forEach(check -> check.secretHeaders().values().forEach(github::mask));
        return new Rendering(rendered, secrets);
    }

    private record Rendering(StackRenderer.Rendered rendered, List<Secret> secrets) {
    }

    private Plan plan(String goal, DeployRequest request, ImageRef image, Rendering rendering, boolean rollback,
            boolean localProduction, List<Step> steps, Function<ImageRef, ImageReads> reads) {
        return plan(goal, request, image, Map.of(), rendering, rollback, localProduction, steps, reads);
    }

    private Plan plan(String goal, DeployRequest request, ImageRef image, Map<String, ImageRef> releaseImages,
            Rendering rendering, boolean rollback, boolean localProduction, List<Step> steps,
            Function<ImageRef, ImageReads> reads) {
        String stack = request.stack();
        Path directory = request.renderDir();
        Path stackFile = directory.resolve(rendering.rendered().stackFile());
        String text = rendering.rendered().stackText();
        DeployPlan deploy = new DeployPlan(stack, request.environment(), image, directory, stackFile,
                StackFiles.services(text, stackFile.toString()), rendering.secrets(), request.healthTimeout().plus(Duration.ofMinutes(5)), text,
                releaseImages);
        Map<String, String> files = new LinkedHashMap<>(rendering.rendered().files());
        files.putAll(target.files(deploy));
        TargetStore store = target.store();
        Map<String, String> owner = StackLock.owner(context.env(), image.ref());
        steps.addAll(checks(deploy, reads));
        if (request.forceUnlock()) {
            steps.add(new Step.ForceUnlock(stack, store.describeRemove(StackLock.name(stack))
                    + "  # when a lock is there; who held it is shown first"));
        }
        Map<String, String> lock = new LinkedHashMap<>(owner);
        lock.put(StackLock.KIND_LABEL, "lock");
        lock.put(StackLock.STACK_LABEL, stack);
        lock.put(StackLock.STARTED_LABEL, "<now>");
        lock.put(StackLock.TOKEN_LABEL, "<random>");
        steps.add(new Step.Lock(stack, owner, request.lockTimeout(), store.describeCreate(StackLock.name(stack), lock, "")
                + "  # fails while another deploy holds it: retried up to " + request.lockTimeout().toSeconds() + " s"));
        steps.add(new Step.Snapshot(stack, target.describeCurrent(stack) + "\n" + store.describeList(StackLock.STACK_LABEL, stack)
                + "  # the history: the rollback point is the newest good version"));
        steps.add(new Step.WriteFiles(directory, files, "# write " + String.join(", ", files.keySet()) + " into " + directory
                + " (secrets as ${NAME} placeholders)"));
        steps.add(new Step.SkipIfUnchanged("# when " + image.ref() + " already runs with this stack file: verify its health"
                + " and change nothing"));
        steps.addAll(target.deploy(deploy));
        steps.add(new Step.Verify(request.healthUrl(), request.smokeChecks(), HealthGate.describe(request, deploy)));
        String status = rollback ? "rollback" : "deployed";
        DeployHistory.Entry entry = new DeployHistory.Entry(java.time.Instant.EPOCH, status, image.repository(), image.tag(),
                image.digest(), owner.get(StackLock.OWNER_LABEL), owner.get(StackLock.RUN_LABEL), localProduction, text,
                ReleaseImageResolver.recorded(releaseImages));
        steps.add(new Step.Record(status, store.describeCreate("deployer-history-" + stack + "-<now>",
                DeployHistory.labels(stack, entry, "<now>"), text)));
        Path json = request.deployerDir().resolve("deployment.json");
        steps.add(new Step.Report(json, "# write " + json + " and the summary"));
        steps.add(new Step.Unlock(stack, store.describeRemove(StackLock.name(stack))));
        String title = (rollback ? "a rollback" : "a deploy") + " of " + (releaseImages.isEmpty() ? image.ref()
                : "the release " + image.tag() + " (" + releaseImages.size() + " images)") + " to stack '" + stack + "' ("
                + target.name() + ", " + request.environment() + ")";
        return new Plan(goal, stack, title, steps, onFailure(), new Plan.Deploy(request, deploy, rollback, localProduction));
    }

    /**
     * The checks before the lock (and before a forced unlock): the signature of the exact digest, then the image's
     * platforms against the target's nodes. Each reads only; a refusal leaves everything as it was.
     */
    private List<Step> checks(DeployPlan deploy, Function<ImageRef, ImageReads> reads) {
        List<Step> result = new ArrayList<>();
        // a release checks every image it deploys
        for (ImageRef image : deploy.deployedImages()) {
            String repository = image.repository();
            if (checks.verifiesSignatures()) {
                boolean enforce = checks.enforcesSignatures();
                ImageReads read = reads.apply(image);
                result.add(new Step.Check("signature", checks.describeSignature(repository, image.digest())
                        + (enforce ? "  # refuses the deploy unless signed by that key" : "  # reported, not enforced (deployer.verify.enforce=false)"),
                        () -> verifySignature(read.signature(), enforce)));
            } else {
                log.debug("No signature verification: deployer.verify.publicKey is not set");
            }
        }
        if (!checks.readsPlatforms()) {
            log.debug("No architecture check: the image's platforms are not read here");
            return result;
        }
        for (ImageRef image : deploy.deployedImages()) {
            // each image of a release against the nodes of the services that run it (their placement constraints)
            java.util.Optional<NodeQuery> nodes = target.nodes(deploy.running(image));
            if (nodes.isEmpty()) {
                log.debug("No architecture check: the " + target.name() + " target cannot report its nodes' platforms"
                        + " (quantum without DOCKER_HOST)");
                return result;
            }
            NodeQuery query = nodes.get();
            ImageReads read = reads.apply(image);
            result.add(new Step.Check("architecture", checks.describePlatforms(image.repository(), image.digest()) + "\n"
                    + query.display(), () -> checkArchitecture(image, read.platforms(), query)));
        }
        return result;
    }

    private void verifySignature(Ahead<String> verified, boolean enforce) {
        try {
            log.info("Signature verified: " + verified.get());
        } catch (DeployerException e) {
            if (enforce) {
                throw e;
            }
            log.warn("Signature verification failed (not enforced: deployer.verify.enforce is false here; it is true"
                    + " in production): " + e.getMessage());
        }
    }

    private void checkArchitecture(ImageRef image, Ahead<List<String>> read, NodeQuery query) {
        List<String> platforms = read.get();
        List<NodePlatform> nodes = query.read().get();
        ArchitectureCheck.check(image.ref(), platforms, nodes, query.where());
        log.info("Architecture: " + image.ref() + " (" + String.join(", ", platforms) + ") runs on " + query.where() + " ("
                + nodes.stream().map(NodePlatform::platform).distinct().collect(java.util.stream.Collectors.joining(", ")) + ")");
    }

    private static List<String> onFailure() {
        return List.of("# on a failure or an interruption (Ctrl-C, SIGTERM) after the lock, in this order:",
                "#   restore the rollback point (the newest good version in the history, else what ran before) and verify it;"
                        + " a failed first deploy is removed instead",
                "#   record 'failed' or 'interrupted' in the history (best effort: a failing record never stops the restore)",
                "#   release the lock, then close the ssh tunnel");
    }

    /** The newest good version in the history that does not run now. */
    private DeployHistory.Entry previousGood(String stack, TargetStore store) {
        StackState now = target.current(stack);
        List<DeployHistory.Entry> entries = new DeployHistory(store).entries(stack);
        // a release runs when every one of its images does: the previous good version is the newest good one that does not
        return entries.stream().filter(DeployHistory.Entry::good).filter(e -> !e.runsIn(now)).findFirst()
                .orElseThrow(() -> new DeployerException("The history of stack '" + stack + "' on " + target.name()
                        + " has no earlier good version than the one running (" + Restore.describe(now) + ")", "deployer.tag",
                        "roll back to a named version with -Ddeployer.tag=<commit sha>"));
    }
}
