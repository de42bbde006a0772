package dev.deployer.image;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One runtime dependency of the service, as the SBOM records it: its coordinates, the jar that goes into the image
 * and where it sits in Maven's dependency graph.
 *
 * @param id         Maven's id, {@code group:artifact:type[:classifier]:version}
 * @param groupId    group
 * @param artifactId artifact
 * @param version    the resolved version
 * @param type       {@code jar}, ...
 * @param classifier the classifier, or null
 * @param scope      {@code compile}, {@code runtime}
 * @param file       the resolved file (hashed), or null
 * @param parentId   the id of the artifact that brings it in, or null when the project declares it
 */
public record SbomDependency(String id, String groupId, String artifactId, String version, String type,
                             String classifier, String scope, Path file, String parentId) {

    public SbomDependency {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(version, "version");
    }

    /** The package URL: {@code pkg:maven/group/artifact@version[?classifier=...&type=...]}. */
    public String purl() {
        StringBuilder purl = new StringBuilder("pkg:maven/").append(groupId).append('/').append(artifactId)
                .append('@').append(version);
        String query = (classifier == null || classifier.isBlank() ? "" : "classifier=" + classifier)
                + (type == null || type.equals("jar") ? "" : (classifier == null || classifier.isBlank() ? "" : "&")
                + "type=" + type);
        return query.isEmpty() ? purl.toString() : purl.append('?').append(query).toString();
    }
}
