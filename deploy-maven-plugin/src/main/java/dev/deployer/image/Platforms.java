package dev.deployer.image;

import com.google.cloud.tools.jib.api.buildplan.Platform;
import dev.deployer.core.DeployerException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The platforms an image is built for, from {@code deployer.platforms}: {@code os/architecture[/variant]} entries,
 * comma separated, e.g. {@code linux/amd64,linux/arm64}. Kept in the order given, without duplicates.
 */
public final class Platforms {

    /** What {@code deployer.platforms} means when it is not set and the base image is not an index. */
    public static final String DEFAULT = "linux/amd64";

    private Platforms() {
    }

    /** Parses {@code deployer.platforms}; null or blank is the empty list (the default applies). */
    public static List<String> parse(String value) {
        List<String> parsed = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return parsed;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String entry : value.split(",")) {
            String platform = entry.strip().toLowerCase(Locale.ROOT);
            if (platform.isEmpty()) {
                continue;
            }
            String[] parts = platform.split("/");
            if (parts.length < 2 || parts.length > 3 || !parts[0].matches("[a-z0-9]+") || !parts[1].matches("[a-z0-9_]+")
                    || parts.length == 3 && !parts[2].matches("[a-z0-9]+")) {
                throw new DeployerException("Platform '" + entry.strip() + "' is not os/architecture[/variant]",
                        "deployer.platforms", "write the platforms as e.g. linux/amd64,linux/arm64");
            }
            if (seen.add(platform)) {
                parsed.add(platform);
            }
        }
        return parsed;
    }

    /** {@code os/architecture} of a platform as Jib matches it (Jib ignores the variant). */
    public static String withoutVariant(String platform) {
        String[] parts = platform.split("/");
        return parts[0] + "/" + parts[1];
    }

    /** The platforms as Jib takes them. */
    static Set<Platform> jib(List<String> platforms) {
        Set<Platform> set = new LinkedHashSet<>();
        for (String platform : platforms) {
            String[] parts = platform.split("/");
            set.add(new Platform(parts[1], parts[0]));
        }
        return set;
    }
}
