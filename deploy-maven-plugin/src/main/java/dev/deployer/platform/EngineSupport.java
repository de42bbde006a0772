package dev.deployer.platform;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Engine look-ups shared by the compose and swarm targets. */
public final class EngineSupport {

    private EngineSupport() {
    }

    /** The digest part of {@code repo:tag@sha256:…}, or null. */
    public static String digestOf(String imageRef) {
        return dev.deployer.core.ImageRef.digestOf(imageRef);
    }

    /** The repository part of {@code host:port/repo:tag@sha256:…}. */
    public static String repositoryOf(String imageRef) {
        return dev.deployer.core.ImageRef.repositoryOf(imageRef);
    }

    /**
     * The registry digest of a local image for {@code repository} (from its RepoDigests), or null when the engine
     * has none (an image that was never pushed or pulled).
     */
    public static String repoDigest(DockerClient docker, String imageId, String repository) {
        try {
            InspectImageResponse image = docker.inspectImageCmd(imageId).exec();
            List<String> digests = image.getRepoDigests() == null ? List.of() : image.getRepoDigests();
            for (String repoDigest : digests) {
                if (repoDigest.startsWith(repository + "@")) {
                    return repoDigest.substring(repository.length() + 1);
                }
            }
            return digests.isEmpty() ? null : digests.get(0).substring(digests.get(0).indexOf('@') + 1);
        } catch (NotFoundException e) {
            return null;
        }
    }

    /** Reads frames into text, waiting at most 10 s. */
    public static final class LogCollector extends ResultCallback.Adapter<Frame> {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onNext(Frame frame) {
            synchronized (text) {
                text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }

        public String await() {
            try {
                awaitCompletion(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (text) {
                return text.toString();
            }
        }
    }
}
