package dev.deployer.image;

import dev.deployer.core.DeployerException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which platforms {@code deployer:build} builds for: {@code deployer.platforms} when set, else the base
 * image's Linux platforms when it is an index and the image is pushed, else Jib's default (one image, linux/amd64). Checks
 * the choice against the base before anything is built.
 */
final class PlatformSelection {

    private PlatformSelection() {
    }

    /**
     * The platforms to build for; empty means one image for Jib's default platform (the behaviour without
     * {@code deployer.platforms}).
     *
     * @param configured   {@code deployer.platforms}, parsed
     * @param baseImage    {@code deployer.baseImage} as written, for messages
     * @param registryBase whether the base comes from a registry (tarballs and engine images hold one platform)
     * @param baseIndex    the base's platforms when it is an index (os/arch[/variant] to manifest digest)
     * @param push         whether the image is pushed (only a registry holds an index)
     */
    static List<String> choose(List<String> configured, String baseImage, boolean registryBase,
                               Optional<Map<String, String>> baseIndex, boolean push) {
        if (configured.isEmpty()) {
            if (!push || baseIndex.isEmpty()) {
                return List.of();
            }
            // Linux only (an index such as eclipse-temurin's also lists Windows images, which a Java service built
            // here does not run on), one entry per os/architecture: Jib matches platforms without their variant
            Map<String, String> byJibPlatform = new LinkedHashMap<>();
            baseIndex.get().keySet().stream().filter(platform -> platform.startsWith("linux/")).forEach(platform ->
                    byJibPlatform.putIfAbsent(Platforms.withoutVariant(platform), platform));
            List<String> platforms = new ArrayList<>(byJibPlatform.values());
            return platforms.size() > 1 ? platforms : List.of();
        }
        if (configured.size() > 1) {
            if (!push) {
                throw new DeployerException("deployer.platforms lists " + configured.size() + " platforms ("
                        + String.join(",", configured) + "), but a multi-platform image can only be pushed (an index"
                        + " lives in a registry): this build writes a tarball or loads into the local engine",
                        "deployer.platforms", "push it (-Ddeployer.push=true, the qa/production profiles), or build one"
                                + " platform locally: -Ddeployer.platforms=" + configured.get(0));
            }
            if (!registryBase) {
                throw new DeployerException("deployer.platforms lists " + configured.size() + " platforms, but the base"
                        + " image " + baseImage + " is a tarball or an engine image, which holds one platform",
                        "deployer.baseImage", "use a multi-platform base image from a registry (an index), e.g."
                                + " eclipse-temurin:17-jre");
            }
            if (baseIndex.isEmpty()) {
                throw new DeployerException("deployer.platforms lists " + String.join(",", configured) + ", but the base"
                        + " image " + baseImage + " is a single-platform image, not an index", "deployer.baseImage",
                        "use a base image that is an index of these platforms, or build one platform");
            }
        }
        if (baseIndex.isPresent()) {
            List<String> missing = new ArrayList<>();
            for (String platform : configured) {
                boolean found = baseIndex.get().keySet().stream().anyMatch(offered -> offered.equals(platform)
                        || Platforms.withoutVariant(offered).equals(platform)
                        || Platforms.withoutVariant(platform).equals(offered));
                if (!found) {
                    missing.add(platform);
                }
            }
            if (!missing.isEmpty()) {
                throw new DeployerException("The base image " + baseImage + " has no " + String.join(", ", missing)
                        + " (it has " + String.join(", ", baseIndex.get().keySet()) + ")", "deployer.platforms",
                        "build for the platforms the base offers, or choose a base image that has "
                                + String.join(", ", missing));
            }
        }
        return configured;
    }
}
