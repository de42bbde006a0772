package dev.deployer.platform.compose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deployer.core.DeployerException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and rewrites the upstreams of a Caddy JSON config (as its admin API's {@code GET /config/} returns it) for one
 * Compose service. The proxy routes to a service by its name ({@code app:8080}, Docker's DNS: every container of the
 * service, healthy or not); during a blue/green deploy Deployer pins those upstreams to named containers
 * ({@code shop_app_1:8080}) and afterwards puts the service name back. Only upstreams whose dial host is the service
 * or one of its containers are touched; everything else in the config stays as it is. Pure: no I/O.
 */
final class CaddyUpstreams {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the proxy routes to a service now.
     *
     * @param port   the port it dials
     * @param pinned the containers it is pinned to, in config order; empty when it routes by the service name
     */
    record Routing(int port, List<String> pinned) {
    }

    private final String service;
    private final Pattern containerName;

    /** @param project the Compose project (stack), @param service the service behind the proxy */
    CaddyUpstreams(String project, String service) {
        this.service = service;
        // docker-compose v1 names containers <project>_<service>_<n>, Compose v2 <project>-<service>-<n>
        this.containerName = Pattern.compile(Pattern.quote(project) + "[_-]" + Pattern.quote(service) + "[_-]\\d+");
    }

    /** How {@code config} routes to the service; empty when no reverse_proxy upstream dials it. */
    Optional<Routing> routing(String config) {
        Integer port = null;
        Set<String> pinned = new LinkedHashSet<>();
        for (ObjectNode upstream : upstreams(parse(config))) {
            String[] dial = split(upstream.path("dial").asText(""));
            if (dial == null || !ours(dial[0])) {
                continue;
            }
            port = port == null ? Integer.valueOf(dial[1]) : port;
            if (!dial[0].equals(service)) {
                pinned.add(dial[0]);
            }
        }
        return port == null ? Optional.empty() : Optional.of(new Routing(port, List.copyOf(pinned)));
    }

    /**
     * {@code config} with every upstream list that dials the service (by name or container) dialling {@code hosts}
     * instead, on {@code port}, each a copy of the first such upstream with its other settings.
     */
    String route(String config, List<String> hosts, int port) {
        JsonNode root = parse(config);
        for (ArrayNode list : upstreamLists(root)) {
            List<JsonNode> kept = new ArrayList<>();
            ObjectNode template = null;
            int at = -1;
            for (int i = 0; i < list.size(); i++) {
                JsonNode upstream = list.get(i);
                String[] dial = split(upstream.path("dial").asText(""));
                if (dial != null && ours(dial[0]) && upstream instanceof ObjectNode object) {
                    if (template == null) {
                        template = object;
                        at = kept.size();
                    }
                } else {
                    kept.add(upstream);
                }
            }
            if (template == null) {
                continue;
            }
            List<JsonNode> replaced = new ArrayList<>();
            for (String host : hosts) {
                replaced.add(template.deepCopy().put("dial", host + ":" + port));
            }
            kept.addAll(at, replaced);
            list.removeAll();
            list.addAll(kept);
        }
        return write(root);
    }

    /** {@code config} routing to the service by its name again (Docker's DNS). */
    String unpin(String config, int port) {
        return route(config, List.of(service), port);
    }

    private boolean ours(String host) {
        return host.equals(service) || containerName.matcher(host).matches();
    }

    /** {@code host:port} as [host, port], or null when it is not that (a placeholder, a unix socket). */
    private static String[] split(String dial) {
        int colon = dial.lastIndexOf(':');
        if (colon <= 0 || !dial.substring(colon + 1).matches("\\d+")) {
            return null;
        }
        return new String[] {dial.substring(0, colon), dial.substring(colon + 1)};
    }

    private static List<ObjectNode> upstreams(JsonNode root) {
        List<ObjectNode> result = new ArrayList<>();
        for (ArrayNode list : upstreamLists(root)) {
            list.forEach(node -> {
                if (node instanceof ObjectNode object) {
                    result.add(object);
                }
            });
        }
        return result;
    }

    /** Every {@code upstreams} array of a {@code reverse_proxy} handler, however deep (subroutes included). */
    private static List<ArrayNode> upstreamLists(JsonNode node) {
        List<ArrayNode> result = new ArrayList<>();
        if (node instanceof ObjectNode object) {
            if ("reverse_proxy".equals(object.path("handler").asText()) && object.get("upstreams") instanceof ArrayNode list) {
                result.add(list);
            }
            object.elements().forEachRemaining(child -> result.addAll(upstreamLists(child)));
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> result.addAll(upstreamLists(child)));
        }
        return result;
    }

    private static JsonNode parse(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || !node.isContainerNode()) {
            throw DeployerException.of("The proxy's admin API answered something that is not a JSON object or list",
                    "make sure the proxy service runs Caddy 2 with its admin endpoint on localhost:2019");
        }
        return node;
    }

    private static String write(JsonNode root) {
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
