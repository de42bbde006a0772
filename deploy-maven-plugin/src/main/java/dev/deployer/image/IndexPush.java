package dev.deployer.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import dev.deployer.core.DeployerException;
import dev.deployer.core.Log;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Pushes a multi-platform image: one image per platform (Jib) and an index of them (a Docker manifest list) under the
 * commit's tags, with the same immutability rule as a single image. No tag present: push. Some present: compute
 * each platform's manifest digest locally ({@link DigestOnlyClient}, nothing pushed or written), compare with the
 * index the tag names, platform by platform, then skip (same images), refuse (another index, or another set of
 * platforms) or push only the missing tags.
 */
final class IndexPush {

    private final ImageBuilder builder;
    private final Log log;

    IndexPush(ImageBuilder builder, Log log) {
        this.builder = builder;
        this.log = log;
    }

    ImageResult push(ImageRequest request, JibContainerBuilder jib, ImageReference target, List<String> tags,
                     List<String> platforms, Containerizer toAllTags, Function<List<String>, Containerizer> toTags,
                     RegistrySession session, ProgressDisplay display) {
        String repository = ImageBuilder.repository(target);
        RegistryManifests manifests = new RegistryManifests(session);
        Map<String, String> existing = new LinkedHashMap<>();
        for (String tag : tags) {
            session.digest(target.getRepository(), tag).ifPresent(digest -> existing.put(tag, digest));
        }
        if (existing.isEmpty()) {
            return pushed(request, jib, target, tags, toAllTags, manifests, display, ImageResult.Outcome.PUSHED);
        }
        log.info("Tag(s) " + String.join(", ", existing.keySet()) + " already in " + repository + ": computing this"
                + " build's digest for each of " + String.join(", ", platforms)
                + " (nothing is pushed or written) to compare");
        Map<String, String> mine = new LinkedHashMap<>();
        for (String platform : platforms) {
            jib.setPlatforms(Platforms.jib(List.of(platform)));
            mine.put(platform, builder.containerize(request, jib, Containerizer.to(new DigestOnlyClient(),
                    DockerDaemonImage.named(ImageBuilder.tagged(target, tags.get(0)))), display, "build")
                    .getDigest().toString());
        }
        jib.setPlatforms(Platforms.jib(platforms));
        Map<String, String> conflicts = new LinkedHashMap<>();
        String same = null;
        Map<String, String> samePlatforms = Map.of();
        for (Map.Entry<String, String> tag : existing.entrySet()) {
            RegistryManifests.Manifest found = manifests.get(target.getRepository(), tag.getValue())
                    .orElseThrow(() -> new DeployerException("The registry names " + repository + ":" + tag.getKey()
                            + " " + tag.getValue() + " but has no such manifest", "deployer.image",
                            "check the registry is healthy"));
            Optional<String> difference = difference(found, mine);
            if (difference.isPresent()) {
                conflicts.put(tag.getKey(), tag.getValue() + " (" + difference.get() + ")");
            } else {
                same = found.digest();
                samePlatforms = found.platforms();
            }
        }
        if (!conflicts.isEmpty()) {
            StringBuilder which = new StringBuilder();
            conflicts.forEach((tag, found) -> which.append(which.length() == 0 ? "" : ", ")
                    .append(repository).append(':').append(tag).append(" is ").append(found));
            StringBuilder built = new StringBuilder();
            mine.forEach((platform, digest) -> built.append(built.length() == 0 ? "" : ", ")
                    .append(platform).append(' ').append(digest));
            throw new DeployerException("Tags are immutable: " + which + ", but this build is " + built
                    + ". Nothing was pushed", "deployer.image",
                    "commit the change (a new commit gets a new tag); if the old image really must be replaced,"
                            + " delete the tag in the registry on purpose first. Builds of the same commit give the same"
                            + " digests unless the build inputs (dependencies, base image, compiled classes, platforms)"
                            + " differ");
        }
        List<String> missing = tags.stream().filter(tag -> !existing.containsKey(tag)).toList();
        if (missing.isEmpty()) {
            return new ImageResult(repository, tags, same, true, ImageResult.Outcome.ALREADY_PUSHED, samePlatforms);
        }
        log.info("Pushing the missing tag(s) " + String.join(", ", missing));
        return pushed(request, jib, target, tags, toTags.apply(missing), manifests, display, ImageResult.Outcome.PUSHED);
    }

    /** Why the index {@code found} is not this build's images, or empty when it is. */
    static Optional<String> difference(RegistryManifests.Manifest found, Map<String, String> mine) {
        if (!found.isIndex()) {
            return Optional.of("a single-platform image, not an index");
        }
        Map<String, String> theirs = byJibPlatform(found.platforms());
        Map<String, String> ours = byJibPlatform(mine);
        if (!theirs.keySet().equals(ours.keySet())) {
            return Optional.of("an index of " + String.join(", ", found.platforms().keySet()));
        }
        Set<String> differing = new LinkedHashSet<>();
        ours.forEach((platform, digest) -> {
            if (!digest.equals(theirs.get(platform))) {
                differing.add(platform + " " + theirs.get(platform));
            }
        });
        return differing.isEmpty() ? Optional.empty() : Optional.of("another image for " + String.join(", ", differing));
    }

    private static Map<String, String> byJibPlatform(Map<String, String> platforms) {
        Map<String, String> map = new LinkedHashMap<>();
        platforms.forEach((platform, digest) -> map.put(Platforms.withoutVariant(platform), digest));
        return map;
    }

    private ImageResult pushed(ImageRequest request, JibContainerBuilder jib, ImageReference target, List<String> tags,
                               Containerizer containerizer, RegistryManifests manifests, ProgressDisplay display,
                               ImageResult.Outcome outcome) {
        JibContainer pushed = builder.containerize(request, jib, containerizer, display, "push");
        String digest = pushed.getDigest().toString();
        RegistryManifests.Manifest index = manifests.get(target.getRepository(), digest)
                .filter(RegistryManifests.Manifest::isIndex)
                .orElseThrow(() -> new DeployerException("Jib pushed " + ImageBuilder.repository(target) + "@" + digest
                        + ", but the registry holds no index under that digest", "deployer.image",
                        "run with -X and report it: a multi-platform push must leave an index"));
        return new ImageResult(ImageBuilder.repository(target), tags, digest, true, outcome, index.platforms());
    }
}
