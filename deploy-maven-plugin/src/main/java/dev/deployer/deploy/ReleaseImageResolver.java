package dev.deployer.deploy;

import dev.deployer.core.BuiltImage;
import dev.deployer.core.DeployerException;
import dev.deployer.core.ImageRef;
import dev.deployer.core.ReleaseImages;
import dev.deployer.core.ReleaseModule;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The images a release deploys: each image module's {@code image.json} (all pushed, all for the release's commit), or
 * with a tag (a promotion, {@code -Ddeployer.release=<sha>} or {@code -Ddeployer.tag=<sha>}) each module's
 * {@code <repository>:<sha>} as the registry names it. The release's image (the history's single {@code image}, the
 * lock's owner line) is the owner's own when it builds one, else the first module's.
 */
final class ReleaseImageResolver {

    /** A release's images by module artifactId, and its one image. */
    record Resolved(ImageRef image, Map<String, ImageRef> images) {
    }

    private final ImageResolver.DigestResolver digests;

    ReleaseImageResolver(ImageResolver.DigestResolver digests) {
        this.digests = digests;
    }

    /**
     * The images of {@code request}'s release; with a tag the registry look-ups are added to {@code steps} (a dry run
     * prints them and leaves the digests unknown).
     */
    Resolved resolve(DeployRequest request, List<Step> steps) {
        DeployRequest.Release release = request.release();
        if (release.modules().isEmpty()) {
            throw new DeployerException("The release of " + release.owner() + " has no image module", release.owner(),
                    "declare a dependency (scope provided) on each image module of the reactor");
        }
        Map<String, ImageRef> images = new LinkedHashMap<>();
        String tag = request.tag();
        if (tag == null || tag.isBlank()) {
            images.putAll(ReleaseImages.read(release.modules(), release.sha()));
        } else {
            for (ReleaseModule module : release.modules()) {
                String repository = repository(module);
                steps.add(new Step.ResolveDigest(repository, tag, digests.describe(repository, tag) + "  # module "
                        + module.artifactId()));
                images.put(module.artifactId(), new ImageRef(repository, tag, request.dryRun() ? null : digests.digest(repository, tag)));
            }
        }
        ImageRef image = images.containsKey(release.owner()) ? images.get(release.owner()) : images.values().iterator().next();
        return new Resolved(image, images);
    }

    /** The images of a history entry (a release's), by module artifactId; empty for an entry of one image. */
    static Map<String, ImageRef> of(DeployHistory.Entry entry) {
        Map<String, ImageRef> images = new LinkedHashMap<>();
        entry.images().forEach((module, ref) -> {
            int at = ref.lastIndexOf('@');
            images.put(module, new ImageRef(ref.substring(0, at), entry.tag() == null ? "" : entry.tag(), ref.substring(at + 1)));
        });
        return images;
    }

    /** {@code images} as the history records them: module artifactId to {@code repository@digest}. */
    static Map<String, String> recorded(Map<String, ImageRef> images) {
        Map<String, String> recorded = new LinkedHashMap<>();
        images.forEach((module, ref) -> recorded.put(module, ref.repository() + "@"
                + (ref.digest() == null ? "<digest of " + ref.tag() + ">" : ref.digest())));
        return recorded;
    }

    /** A dry run's lines: every image of the release by digest (or the look-up that will find it). */
    static Step.Note describe(Map<String, ImageRef> images) {
        StringBuilder lines = new StringBuilder("# the release: " + images.size() + (images.size() == 1 ? " image" : " images"));
        images.forEach((module, ref) -> lines.append("\n#   ").append(module).append(" = ").append(ref.digest() == null
                ? ref.repository() + ":" + ref.tag() + "  (digest looked up above)" : ref.repository() + "@" + ref.digest()));
        return new Step.Note(lines.toString());
    }

    private static String repository(ReleaseModule module) {
        if (module.repository() != null) {
            return module.repository();
        }
        if (Files.isRegularFile(module.imageJson())) {
            return BuiltImage.read(module.imageJson(), module.imageJson().toString()).image();
        }
        throw new DeployerException("Module " + module.artifactId() + " names no image repository", "module "
                + module.artifactId(), "set <image> (deployer.image) in the deployer plugin configuration of "
                + module.artifactId());
    }
}
