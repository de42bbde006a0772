package dev.deployer.render;

import dev.deployer.core.DeployerException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Checks rendered YAML: it must parse (safely: no custom tags, no duplicate keys), and Compose files (YAML with a
 * top-level {@code services:}) must follow the rules their target enforces:
 * <ul>
 *   <li>Swarm/Quantum stacks (every Compose file whose name does not start with {@code docker-compose}): no top-level
 *       {@code name:}, a {@code version:}, {@code depends_on} as a list;</li>
 *   <li>every Compose file in the {@code production} environment: each {@code image:} has an explicit tag other
 *       than {@code latest}, or a digest.</li>
 * </ul>
 */
final class StackRules {

    static final String PRODUCTION = "production";

    private StackRules() {
    }

    /**
     * Checks one rendered file.
     *
     * @param file         the rendered file
     * @param displayPath  its path relative to the project, for messages
     * @param environment  the environment rendered for
     * @return every rule that failed, in file order; empty when the file is fine
     */
    static List<DeployerException> check(RenderedFile file, String displayPath, String environment) {
        return check(file, displayPath, environment, null);
    }

    /**
     * As above, and every interpolation placeholder ({@code ${NAME}}, {@code $NAME}, {@code ${NAME:-default}} …) in a
     * value of a Compose file must name one of {@code declared} (the declared secrets and variables): the tool fills
     * placeholders from its environment, so an undeclared one would read whatever that environment holds.
     *
     * @param declared the names placeholders may use, or null not to check placeholders
     */
    static List<DeployerException> check(RenderedFile file, String displayPath, String environment, java.util.Set<String> declared) {
        List<DeployerException> found = new ArrayList<>();
        if (!file.yaml()) {
            return found;
        }
        List<Node> documents;
        try {
            documents = parse(file, displayPath);
        } catch (DeployerException e) {
            return List.of(e);
        }
        for (Node document : documents) {
            if (!(document instanceof MappingNode root)) {
                continue;
            }
            Optional<NodeTuple> services = entry(root, "services");
            if (services.isEmpty()) {
                continue;
            }
            if (declared != null) {
                checkPlaceholders(root, file, displayPath, declared, found);
            }
            if (file.swarmStack()) {
                checkSwarm(root, services.get(), file, displayPath, found);
            }
            if (PRODUCTION.equals(environment)) {
                checkImages(services.get(), file, displayPath, found);
            }
        }
        return found;
    }

    /**
     * Zero-downtime warnings for a Swarm/Quantum stack: each service running the deployed image ({@code imageRepository})
     * should roll start-first and roll back by itself. Warnings, not failures: the stack still deploys, with a gap.
     *
     * @return one message per finding, each naming file:line and the fix; empty for other files or unparsable YAML
     */
    static List<String> warnings(RenderedFile file, String displayPath, String imageRepository) {
        List<String> found = new ArrayList<>();
        if (!file.yaml() || !file.swarmStack() || imageRepository == null) {
            return found;
        }
        List<Node> documents;
        try {
            documents = parse(file, displayPath);
        } catch (DeployerException e) {
            return found;
        }
        for (Node document : documents) {
            if (document instanceof MappingNode root) {
                entry(root, "services").ifPresent(services -> forEachService(services, (service, definition) -> {
                    String image = entry(definition, "image").map(t -> t.getValueNode() instanceof ScalarNode v ? v.getValue().strip() : "")
                            .orElse("");
                    if (image.isEmpty() || !imageRepository.equals(dev.deployer.core.ImageRef.repositoryOf(image))) {
                        return;
                    }
                    Optional<MappingNode> deploy = entry(definition, "deploy")
                            .map(NodeTuple::getValueNode).filter(MappingNode.class::isInstance).map(MappingNode.class::cast);
                    for (String key : List.of("update_config", "rollback_config")) {
                        Optional<NodeTuple> config = deploy.flatMap(d -> entry(d, key));
                        Node where = config.map(NodeTuple::getKeyNode).orElse(deploy.isPresent() ? entry(definition, "deploy").get().getKeyNode()
                                : entry(definition, "image").get().getKeyNode());
                        String order = config.map(NodeTuple::getValueNode).filter(MappingNode.class::isInstance).map(MappingNode.class::cast)
                                .flatMap(c -> entry(c, "order")).map(t -> t.getValueNode() instanceof ScalarNode v ? v.getValue().strip() : "")
                                .orElse(null);
                        String problem = config.isEmpty() ? "has no deploy." + key + " (Swarm then stops the running task first)"
                                : !"start-first".equals(order) ? "uses " + (order == null ? "the default order stop-first" : "order: " + order)
                                + " in deploy." + key : null;
                        if (problem != null) {
                            found.add(at(displayPath, where.getStartMark()) + ": Swarm service " + service + " (the deployed image) "
                                    + problem + ": requests fail while it " + ("update_config".equals(key) ? "updates" : "rolls back")
                                    + " (rendered from " + file.template() + "). Fix: give it deploy." + key + " with order: start-first"
                                    + ("update_config".equals(key) ? ", failure_action: rollback and a monitor window" : "")
                                    + ", publish no port on it and let a proxy service publish (see docs/deploy.md, Zero downtime)");
                        }
                    }
                }));
            }
        }
        return found;
    }

    private static List<Node> parse(RenderedFile file, String displayPath) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        try {
            Yaml yaml = new Yaml(new SafeConstructor(options));
            yaml.loadAll(file.content()).forEach(document -> { });
            List<Node> nodes = new ArrayList<>();
            new Yaml(new SafeConstructor(options)).composeAll(new StringReader(file.content())).forEach(nodes::add);
            return nodes;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = (e.getContext() != null ? e.getContext() + ", " : "") + e.getProblem();
            throw new DeployerException("Not valid YAML: " + problem.strip() + " (rendered from " + file.template() + ")",
                    at(displayPath, mark), "fix " + file.template() + " so that it renders valid YAML"
                    + " (look at the rendered file; indentation and quoting of values are the usual causes)");
        } catch (YAMLException e) {
            throw new DeployerException("Not valid YAML: " + e.getMessage() + " (rendered from " + file.template() + ")",
                    displayPath, "fix " + file.template() + " so that it renders valid YAML");
        }
    }

    private static void checkSwarm(MappingNode root, NodeTuple services, RenderedFile file, String displayPath,
                                   List<DeployerException> found) {
        entry(root, "name").ifPresent(name -> found.add(fail("top-level name: is not allowed in a Swarm/Quantum stack"
                        + " (docker stack deploy and Quantum reject it)", file, displayPath, name.getKeyNode(),
                "remove the top-level name: from " + file.template() + "; the stack name is given at deploy time")));
        if (entry(root, "version").isEmpty()) {
            found.add(fail("version: is missing; Swarm/Quantum stacks need one", file, displayPath, root,
                    "add version: '3.8' at the top of " + file.template()));
        }
        forEachService(services, (service, definition) -> entry(definition, "depends_on").ifPresent(dependsOn -> {
            if (dependsOn.getValueNode() instanceof MappingNode) {
                found.add(fail("depends_on of service " + service + " is a map; Swarm accepts only the list form",
                        file, displayPath, dependsOn.getKeyNode(),
                        "write it as a list, e.g. depends_on: [redis] (conditions such as service_healthy are"
                                + " Compose-only; use health checks instead)"));
            }
        }));
    }

    private static void checkImages(NodeTuple services, RenderedFile file, String displayPath,
                                    List<DeployerException> found) {
        forEachService(services, (service, definition) -> entry(definition, "image").ifPresent(image -> {
            String ref = image.getValueNode() instanceof ScalarNode scalar ? scalar.getValue().strip() : "";
            String problem = unpinned(ref);
            if (problem != null) {
                found.add(fail("image '" + ref + "' of service " + service + " " + problem
                                + "; production images must have an explicit tag other than latest, or a digest",
                        file, displayPath, image.getValueNode(),
                        "use $image.ref for the service's own image, and a fixed tag or @sha256 digest for others"));
            }
        }));
    }

    /** Why an image reference is not pinned, or null when it has a digest or an explicit tag other than latest. */
    static String unpinned(String ref) {
        if (ref.contains("@")) {
            return null;
        }
        dev.deployer.core.ImageRef image;
        try {
            image = dev.deployer.core.ImageRef.parse(ref);
        } catch (DeployerException notAReference) {
            return "has no tag (it means latest)";
        }
        if (image.tag().isEmpty()) {
            return "has no tag (it means latest)";
        }
        return "latest".equals(image.tag()) ? "uses the tag latest" : null;
    }

    /** Compose interpolates values (not keys, not comments): each scalar value is read for placeholders. */
    private static void checkPlaceholders(Node node, RenderedFile file, String displayPath, java.util.Set<String> declared,
                                          List<DeployerException> found) {
        if (node instanceof MappingNode map) {
            map.getValue().forEach(tuple -> checkPlaceholders(tuple.getValueNode(), file, displayPath, declared, found));
        } else if (node instanceof org.yaml.snakeyaml.nodes.SequenceNode sequence) {
            sequence.getValue().forEach(item -> checkPlaceholders(item, file, displayPath, declared, found));
        } else if (node instanceof ScalarNode scalar) {
            for (Placeholders.Placeholder placeholder : Placeholders.find(scalar.getValue())) {
                if (!declared.contains(placeholder.name())) {
                    found.add(new DeployerException("Undeclared placeholder " + placeholder.text() + ": the deploy tool would fill it"
                            + " from its environment (rendered from " + file.template() + ")",
                            locate(file.content(), scalar.getStartMark(), placeholder.text(), displayPath),
                            "declare " + placeholder.name() + " as a secret (<secrets><secret>" + placeholder.name()
                                    + "</secret></secrets>, its value from the environment) or a variable (<variables>), or"
                                    + " write $$ for a literal $ (#[[$${" + placeholder.name() + "}]]#)"));
                }
            }
        }
    }

    /** The line and column of {@code text} in the rendered file, searched from where its scalar starts. */
    private static String locate(String content, Mark start, String text, String displayPath) {
        int from = start == null ? 0 : Math.min(start.getIndex(), content.length());
        int index = content.indexOf(text, from);
        if (index < 0) {
            return at(displayPath, start);
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index; i++) {
            if (content.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return displayPath + ":" + line + ":" + (index - lineStart + 1);
    }

    private interface ServiceVisitor {
        void visit(String name, MappingNode definition);
    }

    private static void forEachService(NodeTuple services, ServiceVisitor visitor) {
        if (services.getValueNode() instanceof MappingNode map) {
            for (NodeTuple service : map.getValue()) {
                if (service.getKeyNode() instanceof ScalarNode key && service.getValueNode() instanceof MappingNode def) {
                    visitor.visit(key.getValue(), def);
                }
            }
        }
    }

    private static Optional<NodeTuple> entry(MappingNode map, String key) {
        return map.getValue().stream()
                .filter(tuple -> tuple.getKeyNode() instanceof ScalarNode scalar && key.equals(scalar.getValue()))
                .findFirst();
    }

    private static DeployerException fail(String problem, RenderedFile file, String displayPath, Node node, String fix) {
        return new DeployerException("Stack rule failed: " + problem + " (rendered from " + file.template() + ")",
                at(displayPath, node.getStartMark()), fix);
    }

    private static String at(String displayPath, Mark mark) {
        return mark == null ? displayPath : displayPath + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }
}
