package dev.deployer.deploy;

import java.util.Locale;
import java.util.Objects;

/**
 * The platform of a server (an engine, or a Swarm node) as image platforms name it: {@code linux/arm64}. Engines
 * report the kernel's machine name ({@code x86_64}, {@code aarch64}); {@link #of} translates it.
 *
 * @param node         the node's name, for messages (engine name or Swarm hostname)
 * @param os           {@code linux}, {@code windows}
 * @param architecture {@code amd64}, {@code arm64}, {@code arm}, {@code 386}, {@code ppc64le}, {@code s390x}, ...
 * @param variant      {@code v7}, {@code v6}, ... or empty
 */
public record NodePlatform(String node, String os, String architecture, String variant) {

    public NodePlatform {
        Objects.requireNonNull(node, "node");
        os = os == null || os.isBlank() ? "linux" : os.strip().toLowerCase(Locale.ROOT);
        Objects.requireNonNull(architecture, "architecture");
        variant = variant == null ? "" : variant;
    }

    /** From what an engine or a Swarm node reports: {@code OSType}/{@code Architecture} or {@code Platform.OS/Architecture}. */
    public static NodePlatform of(String node, String os, String machine) {
        String arch = machine == null ? "" : machine.strip().toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64", "x86-64" -> new NodePlatform(node, os, "amd64", "");
            case "aarch64", "arm64", "armv8", "armv8l" -> new NodePlatform(node, os, "arm64", "");
            case "armv7l", "armv7", "armhf" -> new NodePlatform(node, os, "arm", "v7");
            case "armv6l", "armv6", "armel" -> new NodePlatform(node, os, "arm", "v6");
            case "i386", "i686", "x86" -> new NodePlatform(node, os, "386", "");
            case "ppc64le", "s390x", "riscv64", "mips64le" -> new NodePlatform(node, os, arch, "");
            default -> new NodePlatform(node, os, arch, "");
        };
    }

    /** {@code os/architecture[/variant]}. */
    public String platform() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }

    /**
     * Whether an image built for {@code imagePlatform} ({@code os/architecture[/variant]}) runs here natively. The
     * variant only matters for 32-bit arm (a v7 CPU runs v6 code, not the other way round); {@code arm64/v8} is
     * {@code arm64}.
     */
    public boolean runs(String imagePlatform) {
        String[] parts = imagePlatform.toLowerCase(Locale.ROOT).split("/");
        if (parts.length < 2 || !parts[0].equals(os) || !parts[1].equals(architecture)) {
            return false;
        }
        if (!architecture.equals("arm") || parts.length < 3 || variant.isEmpty()) {
            return true;
        }
        return parts[2].compareTo(variant) <= 0;
    }
}
