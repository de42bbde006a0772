package dev.deployer.image;

import dev.deployer.core.DeployerException;
import dev.deployer.core.GitInfo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tags an image gets: the commit's version first (the full SHA, or {@code <sha>-dirty-<hash>} for a dirty
 * tree), then the extra tags with their tokens replaced. Never {@code latest}: a tag here names one image forever.
 *
 * <p>Tokens in extra tags: {@code @{sha}} (the version), {@code @{short}} (first 7 characters of the SHA, with
 * the dirty suffix when dirty; alias {@code @{shortSha}}), {@code @{version}} (the project version) and
 * {@code @{environment}}. Written with {@code @} because Maven replaces an unknown {@code ${short}} in a POM or
 * {@code -D} value by {@code null}; {@code ${...}} is accepted too when it reaches Deployer unchanged.
 * {@code ${project.version}} is Maven's own.
 */
public final class Tags {

    /** What Docker accepts as a tag. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern TOKEN = Pattern.compile("[@$]\\{([^}]*)}");

    private Tags() {
    }

    /** The tags, the commit's version first, without duplicates. */
    public static List<String> of(GitInfo git, String projectVersion, String environment, List<String> extraTags) {
        String shortSha = git.sha().substring(0, Math.min(7, git.sha().length()))
                + (git.dirty() ? "-dirty-" + git.diffHash() : "");
        Map<String, String> tokens = Map.of("sha", git.version(), "short", shortSha, "shortSha", shortSha,
                "version", projectVersion, "environment", environment);
        Set<String> tags = new LinkedHashSet<>();
        tags.add(git.version());
        for (String extra : extraTags) {
            if (extra == null || extra.isBlank()) {
                continue;
            }
            tags.add(check(expand(extra.strip(), tokens)));
        }
        return List.copyOf(new ArrayList<>(tags));
    }

    private static String expand(String template, Map<String, String> tokens) {
        Matcher matcher = TOKEN.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = tokens.get(matcher.group(1));
            if (value == null) {
                throw new DeployerException("Unknown token " + matcher.group() + " in extra tag '" + template + "'",
                        "deployer.extraTags", "use @{sha}, @{short}, @{version} or @{environment}");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String check(String tag) {
        if (tag.toLowerCase(Locale.ROOT).equals("latest")) {
            throw new DeployerException("The extra tag 'latest' is not allowed: Deployer tags are immutable and 'latest'"
                    + " would have to move with every build", "deployer.extraTags",
                    "remove 'latest'; deploy by the commit SHA tag (or the digest in target/deployer/image.json)");
        }
        if (tag.contains("null")) {
            throw new DeployerException("The extra tag '" + tag + "' contains 'null': Maven replaced an unknown ${...}"
                    + " expression by null", "deployer.extraTags", "write Deployer's tokens with @: @{short}, @{sha}, @{version}");
        }
        if (!VALID.matcher(tag).matches()) {
            throw new DeployerException("'" + tag + "' is not a valid image tag (letters, digits, '_', '.', '-';"
                    + " at most 128; not starting with '.' or '-')", "deployer.extraTags", "change or remove that tag");
        }
        return tag;
    }
}
