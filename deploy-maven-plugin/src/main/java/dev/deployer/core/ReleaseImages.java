package dev.deployer.core;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The images of a release, read from each image module's {@code image.json}: every one must be in the registry (pushed,
 * already present or promoted) and built for the release's commit. One that is missing, only built locally, or of
 * another commit (a stale record of an earlier build) means nothing is deployed: the error names the module.
 */
public final class ReleaseImages {

    private ReleaseImages() {
    }

    /**
     * The image of every module, by artifactId in the modules' order.
     *
     * @param modules the release's image modules
     * @param sha     the release's commit (full SHA): each image's tag must be it (or its {@code -dirty-…} version)
     * @throws DeployerException naming the first module whose image is missing, not pushed or stale
     */
    public static Map<String, ImageRef> read(List<ReleaseModule> modules, String sha) {
        Map<String, ImageRef> images = new LinkedHashMap<>();
        for (ReleaseModule module : modules) {
            images.put(module.artifactId(), read(module, sha));
        }
        return images;
    }

    /** The image of one module; see {@link #read(List, String)}. */
    public static ImageRef read(ReleaseModule module, String sha) {
        String where = "module " + module.artifactId() + " (" + module.imageJson() + ")";
        if (!Files.isRegularFile(module.imageJson())) {
            throw new DeployerException("The image module " + module.artifactId() + " has no image.json: its image was not"
                    + " built (its build failed, or it was not part of this build); nothing was deployed", where,
                    "build the whole release from the reactor root (./mvnw deploy), or with -pl <owner> -am so that Maven"
                            + " builds and pushes " + module.artifactId() + " first; or promote a built release with"
                            + " -Ddeployer.release=<commit sha>");
        }
        BuiltImage built = BuiltImage.read(module.imageJson(), module.imageJson().toString());
        if (!built.pushed() && !"promoted".equals(built.outcome())) {
            throw new DeployerException("The image of module " + module.artifactId() + " was built but is not in a registry"
                    + " (outcome \"" + built.outcome() + "\"); nothing was deployed", where,
                    "push it (deployer:build with push enabled, e.g. the qa profile) before deploying the release");
        }
        if (built.digest() == null) {
            throw new DeployerException("The image record of module " + module.artifactId() + " has no digest; nothing was"
                    + " deployed", where, "run deployer:build of " + module.artifactId() + " again");
        }
        if (sha != null && !built.tag().equals(sha) && !built.tag().startsWith(sha + "-dirty-")) {
            throw new DeployerException("The image of module " + module.artifactId() + " is stale: it was built for "
                    + built.tag() + ", not for this release's commit " + sha + "; nothing was deployed", where,
                    "build and push " + module.artifactId() + " for this commit (./mvnw deploy from the root, or -pl <owner>"
                            + " -am), or promote the release of an earlier commit with -Ddeployer.release=<its sha>");
        }
        if (module.repository() != null && !module.repository().equals(built.image())) {
            throw new DeployerException("The image record of module " + module.artifactId() + " names " + built.image()
                    + " but the module's deployer.image is " + module.repository() + "; nothing was deployed", where,
                    "run deployer:build of " + module.artifactId() + " again, or delete the stale record (mvn clean)");
        }
        return new ImageRef(built.image(), built.tag(), built.digest());
    }
}
