package dev.deployer.deploy;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The short history of a stack's deploys, kept in the target's {@link TargetStore} (one record per deploy, the
 * newest {@value #KEEP}), so that a later run from a fresh checkout knows what ran before and can roll back to it.
 * Each entry keeps the deployed stack file (placeholders only, never secret values).
 */
public final class DeployHistory {

    public static final int KEEP = 10;
    private static final String PREFIX = "dev.deployer.";

    private final TargetStore store;

    public DeployHistory(TargetStore store) {
        this.store = store;
    }

    /**
     * One deploy.
     *
     * @param time            when it finished
     * @param status          {@code deployed} (verified), {@code failed} (and rolled back, or not), {@code interrupted}
     *                        (stopped by Ctrl-C/SIGTERM, rolled back), {@code rollback} (a verified deployer:rollback)
     * @param repository      image repository
     * @param tag             image tag (commit SHA)
     * @param digest          image digest
     * @param owner           who deployed (user@host pid)
     * @param run             the CI run URL, or empty
     * @param localProduction whether the production guard was overridden
     * @param stackText       the deployed stack file, placeholders only
     * @param images          a release's images, module artifactId to {@code repository@digest}; empty for a deploy of
     *                        one image ({@code repository}, {@code digest} are then the only image)
     */
    public record Entry(Instant time, String status, String repository, String tag, String digest, String owner, String run,
            boolean localProduction, String stackText, Map<String, String> images) {

        /** An entry of one image. */
        public Entry(Instant time, String status, String repository, String tag, String digest, String owner, String run,
                boolean localProduction, String stackText) {
            this(time, status, repository, tag, digest, owner, run, localProduction, stackText, Map.of());
        }

        public Entry {
            images = images == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(images));
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(status, "status");
            owner = owner == null ? "" : owner;
            run = run == null ? "" : run;
            stackText = stackText == null ? "" : stackText;
        }

        /** Every image of the entry, {@code repository@digest}: a release's images, else the one image. */
        public List<String> imageRefs() {
            return images.isEmpty() ? (digest == null ? List.of() : List.of(repository + "@" + digest)) : List.copyOf(images.values());
        }

        /**
         * Whether {@code state} runs this entry: every image of it by digest in some service of its repository (a
         * release runs when all its images do).
         */
        public boolean runsIn(StackState state) {
            List<String> refs = imageRefs();
            return !refs.isEmpty() && refs.stream().allMatch(ref -> {
                int at = ref.lastIndexOf('@');
                String repository = ref.substring(0, at);
                String wanted = ref.substring(at + 1);
                return state.services().stream().anyMatch(s -> wanted.equals(s.digest())
                        && dev.deployer.core.ImageRef.repositoryOf(s.image()).equals(repository));
            });
        }

        /** Whether this version ran verified healthy. */
        public boolean good() {
            return "deployed".equals(status) || "rollback".equals(status);
        }
    }

    /** The stack's entries, newest first. */
    public List<Entry> entries(String stack) {
        return store.list(StackLock.STACK_LABEL, stack).stream()
                .filter(r -> "history".equals(r.labels().get(StackLock.KIND_LABEL)))
                .map(r -> new Entry(Instant.parse(r.labels().get(PREFIX + "time")), r.labels().get(PREFIX + "status"),
                        r.labels().get(PREFIX + "repository"), r.labels().get(PREFIX + "tag"), r.labels().get(PREFIX + "digest"),
                        r.labels().get(StackLock.OWNER_LABEL), r.labels().get(StackLock.RUN_LABEL),
                        "true".equals(r.labels().get(PREFIX + "localProduction")), r.data(), images(r.labels().get(IMAGES))))
                .sorted(Comparator.comparing(Entry::time).reversed())
                .toList();
    }

    /** The labels of {@code entry}'s record; {@code time} is the entry's time as text (a dry run shows {@code <now>}). */
    public static Map<String, String> labels(String stack, Entry entry, String time) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(StackLock.KIND_LABEL, "history");
        labels.put(StackLock.STACK_LABEL, stack);
        labels.put(PREFIX + "time", time);
        labels.put(PREFIX + "status", entry.status());
        labels.put(PREFIX + "repository", entry.repository());
        labels.put(PREFIX + "tag", entry.tag());
        labels.put(PREFIX + "digest", entry.digest() == null ? "<digest of the tag>" : entry.digest());
        labels.put(StackLock.OWNER_LABEL, entry.owner());
        labels.put(StackLock.RUN_LABEL, entry.run());
        labels.put(PREFIX + "localProduction", String.valueOf(entry.localProduction()));
        if (!entry.images().isEmpty()) {
            labels.put(IMAGES, imagesText(entry.images()));
        }
        return labels;
    }

    /** The label of a release's images: {@code {"<artifactId>": "<repository>@<digest>", …}} as compact JSON. */
    static final String IMAGES = PREFIX + "images";

    static String imagesText(Map<String, String> images) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(images);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> images(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, String> images = new LinkedHashMap<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(text).fields()
                    .forEachRemaining(e -> images.put(e.getKey(), e.getValue().asText()));
            return images;
        } catch (java.io.IOException e) {
            return Map.of(); // a record another tool wrote: read as one image
        }
    }

    /** Adds an entry and forgets the oldest beyond {@value #KEEP}. */
    public void record(String stack, Entry entry) {
        Map<String, String> labels = labels(stack, entry, entry.time().toString());
        String name = "deployer-history-" + stack + "-" + entry.time().toEpochMilli();
        int suffix = 0;
        while (!store.create(suffix == 0 ? name : name + "-" + suffix, labels, entry.stackText())) {
            suffix++;
        }
        List<TargetStore.StoredRecord> records = store.list(StackLock.STACK_LABEL, stack).stream()
                .filter(r -> "history".equals(r.labels().get(StackLock.KIND_LABEL)))
                .sorted(Comparator.comparing((TargetStore.StoredRecord r) -> r.labels().get(PREFIX + "time")).reversed())
                .toList();
        records.stream().skip(KEEP).forEach(r -> store.remove(r.name()));
    }
}
