package dev.deployer.image;

import dev.deployer.core.DeployerException;
import java.util.Locale;
import java.util.function.Function;

/** How progress is shown: a live line on a terminal ({@code rich}) or plain log lines ({@code plain}). */
public enum ConsoleMode {
    PLAIN, RICH;

    /**
     * Resolves {@code deployer.console}: {@code plain}, {@code rich}, or {@code auto} (rich only on a real terminal,
     * outside batch mode ({@code -B}) and outside CI, i.e. with no {@code CI} environment variable).
     */
    public static ConsoleMode resolve(String setting, boolean terminal, boolean batchMode, Function<String, String> env) {
        String value = setting == null ? "auto" : setting.strip().toLowerCase(Locale.ROOT);
        switch (value) {
            case "plain":
                return PLAIN;
            case "rich":
                return RICH;
            case "auto":
            case "":
                String ci = env.apply("CI");
                boolean inCi = (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false"))
                        || "true".equals(env.apply("GITHUB_ACTIONS"));
                return terminal && !batchMode && !inCi ? RICH : PLAIN;
            default:
                throw new DeployerException("Unknown console mode '" + setting + "'", "deployer.console",
                        "use auto, plain or rich");
        }
    }
}
