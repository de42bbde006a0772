package dev.deployer.render;

import dev.deployer.core.ProjectInfo;

/** {@code $project} in templates: {@code $project.groupId}, {@code $project.artifactId}, {@code $project.version}. */
public final class ProjectContext {

    private final ProjectInfo project;

    ProjectContext(ProjectInfo project) {
        this.project = project;
    }

    public String getGroupId() {
        return project.groupId();
    }

    public String getArtifactId() {
        return project.artifactId();
    }

    public String getVersion() {
        return project.version();
    }

    @Override
    public String toString() {
        return project.groupId() + ":" + project.artifactId() + ":" + project.version();
    }
}
