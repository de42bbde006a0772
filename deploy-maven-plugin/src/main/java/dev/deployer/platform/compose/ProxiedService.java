package dev.deployer.platform.compose;

import dev.deployer.core.DeployerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A Compose service that opts in to blue/green deploys behind a proxy with the label {@value #LABEL}, whose value
 * names the Compose service running the Caddy proxy that routes to it (see docs/deploy.md, Zero downtime).
 *
 * @param name      the service
 * @param proxy     the proxy's service
 * @param replicas  how many containers it runs when the deploy ends: {@code scale}, else {@code deploy.replicas}, else 1
 * @param stopGrace how long a drained container may take to stop: {@code stop_grace_period}, else Docker's 10 s
 */
record ProxiedService(String name, String proxy, int replicas, Duration stopGrace) {

    /** The label naming the proxy service in front of a service. */
    static final String LABEL = "dev.deployer.proxy";
    private static final Duration DOCKER_STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s|us)");

    /** The services of {@code text} that carry {@value #LABEL}, in file order; {@code origin} names the file in errors. */
    @SuppressWarnings("unchecked")
    static List<ProxiedService> of(String text, String origin) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        List<ProxiedService> result = new ArrayList<>();
        if (!(root instanceof Map<?, ?> map) || !(map.get("services") instanceof Map<?, ?> services)) {
            return result;
        }
        for (Map.Entry<?, ?> entry : services.entrySet()) {
            String name = String.valueOf(entry.getKey());
            Map<String, Object> service = entry.getValue() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            String proxy = label(service.get("labels"));
            if (proxy == null) {
                continue;
            }
            if (proxy.equals(name) || !services.containsKey(proxy)) {
                throw new DeployerException("Service '" + name + "' has the label " + LABEL + "=" + proxy + " but the stack file has no"
                        + " other service '" + proxy + "'", origin, "set " + LABEL + " to the name of the Compose service that runs"
                        + " the Caddy proxy in front of '" + name + "', or remove the label for a plain replace");
            }
            if (service.get("container_name") != null) {
                throw new DeployerException("Service '" + name + "' (label " + LABEL + ") sets container_name: two of its containers"
                        + " cannot run side by side", origin, "remove container_name from '" + name + "'");
            }
            result.add(new ProxiedService(name, proxy, replicas(service, name, origin), stopGrace(service.get("stop_grace_period"), name, origin)));
        }
        return result;
    }

    private static String label(Object labels) {
        if (labels instanceof Map<?, ?> map && map.get(LABEL) != null) {
            return String.valueOf(map.get(LABEL)).strip();
        }
        if (labels instanceof Collection<?> list) {
            for (Object item : list) {
                String text = String.valueOf(item);
                if (text.startsWith(LABEL + "=")) {
                    return text.substring(LABEL.length() + 1).strip();
                }
            }
        }
        return null;
    }

    private static int replicas(Map<String, Object> service, String name, String origin) {
        Object value = service.get("scale");
        if (value == null && service.get("deploy") instanceof Map<?, ?> deploy) {
            value = deploy.get("replicas");
        }
        if (value == null) {
            return 1;
        }
        try {
            int replicas = Integer.parseInt(String.valueOf(value).strip());
            if (replicas >= 1) {
                return replicas;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new DeployerException("Service '" + name + "' (label " + LABEL + "): replicas '" + value + "' is not a number of"
                + " at least 1", origin, "set deploy.replicas (or scale) of '" + name + "' to 1 or more");
    }

    /** A Compose duration ({@code 15s}, {@code 1m30s}, {@code 500ms}); a plain number is seconds. */
    static Duration stopGrace(Object value, String name, String origin) {
        if (value == null) {
            return DOCKER_STOP_TIMEOUT;
        }
        String text = String.valueOf(value).strip();
        if (text.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        Matcher matcher = DURATION_PART.matcher(text);
        long nanos = 0;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            double amount = Double.parseDouble(matcher.group(1));
            nanos += (long) (amount * switch (matcher.group(2)) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                default -> 1_000L;
            });
            end = matcher.end();
        }
        if (end == 0 || end != text.length()) {
            throw new DeployerException("Service '" + name + "': stop_grace_period '" + text + "' is not a duration", origin,
                    "write it as Compose does, e.g. 15s or 1m30s");
        }
        return Duration.ofNanos(nanos);
    }

    /** Whole seconds for {@code docker stop --time}, rounded up. */
    long stopSeconds() {
        return (stopGrace.toMillis() + 999) / 1000;
    }
}
