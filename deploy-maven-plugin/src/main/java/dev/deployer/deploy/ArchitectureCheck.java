package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses, before anything changes, an image that has no platform the target's servers run: an amd64-only image on
 * an arm64 server pulls fine and then never starts. Pure: the image's platforms come from {@code image.json} or the
 * registry ({@code dev.deployer.image.ImagePlatforms}), the servers' from the engine or the Swarm nodes a service's
 * placement constraints select ({@code dev.deployer.platform.NodePlatforms}).
 */
public final class ArchitectureCheck {

    private ArchitectureCheck() {
    }

    /**
     * Passes when every node runs one of the image's platforms; otherwise throws naming the image's platforms, the
     * nodes' and the {@code deployer.platforms} value that would fit.
     *
     * @param image          the image reference, for the message
     * @param imagePlatforms the image's platforms, {@code os/architecture[/variant]}
     * @param nodes          the servers the image would run on (an engine, or the Swarm nodes selected)
     * @param where          what the nodes are, for messages: e.g. {@code the server} or {@code service app's nodes}
     */
    public static void check(String image, List<String> imagePlatforms, List<NodePlatform> nodes, String where) {
        if (imagePlatforms.isEmpty()) {
            throw DeployerException.of("The platforms of image " + image + " are unknown",
                    "build it again with deployer:build (image.json records them), or check the registry holds it");
        }
        if (nodes.isEmpty()) {
            throw DeployerException.of("No node can run image " + image + ": " + where + " selects no active node",
                    "check the placement constraints and that the nodes are ready and active (docker node ls)");
        }
        Map<String, List<String>> unfit = new LinkedHashMap<>();
        for (NodePlatform node : nodes) {
            if (imagePlatforms.stream().noneMatch(node::runs)) {
                unfit.computeIfAbsent(node.platform(), platform -> new ArrayList<>()).add(node.node());
            }
        }
        if (unfit.isEmpty()) {
            return;
        }
        Set<String> wanted = new LinkedHashSet<>(imagePlatforms);
        unfit.keySet().forEach(wanted::add);
        // one node under a plural name (a one-node Swarm: "service app's nodes are linux/amd64")
        String servers = nodes.size() == 1 ? where + (where.endsWith("s") ? " are " : " is ") + nodes.get(0).platform()
                : where + (unfit.size() == 1 && unfit.values().iterator().next().size() == nodes.size() ? " are " : " include ")
                        + describe(unfit);
        String build = "build with -Ddeployer.platforms=" + String.join(",", wanted);
        throw new DeployerException("image " + image + " is " + String.join(", ", imagePlatforms) + " only; " + servers
                + " — " + build + ". Nothing was changed", "deployer.platforms",
                build + " (the base image must offer those platforms, e.g. an index such as eclipse-temurin:17-jre),"
                        + " push, then deploy again");
    }

    private static String describe(Map<String, List<String>> unfit) {
        List<String> parts = new ArrayList<>();
        unfit.forEach((platform, names) -> parts.add(platform + " (" + String.join(", ", names) + ")"));
        return String.join(", ", parts);
    }
}
