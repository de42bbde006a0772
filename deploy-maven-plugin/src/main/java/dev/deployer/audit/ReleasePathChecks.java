package dev.deployer.audit;

import static dev.deployer.audit.YamlDoc.entry;
import static dev.deployer.audit.YamlDoc.get;
import static dev.deployer.audit.YamlDoc.sequence;
import static dev.deployer.audit.YamlDoc.text;

import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** Caches restored where a poisoned cache would be released or deployed: jobs that publish or deploy. */
final class ReleasePathChecks {

    /** Commands that publish something other people will consume. */
    private static final Pattern PUBLISH_COMMAND = Pattern.compile(
            "\\bpublish\\w*|\\bdocker\\s+push\\b|\\btwine\\s+upload\\b|\\bgh\\s+release\\b|\\bmvnw?\\b[^\\n]*\\sdeploy\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PUBLISH_ACTION = Pattern.compile(
            "(?i)^(?:pypa/gh-action-pypi-publish|softprops/action-gh-release|ncipollo/release-action"
                    + "|goreleaser/goreleaser-action|docker/build-push-action|rust-lang/crates-io-auth-action)(?:[/@].*)?$");
    private static final Pattern CACHE_ACTION = Pattern.compile(
            "(?i)^(?:actions/cache(?:/restore)?|Swatinem/rust-cache|gradle/actions/setup-gradle|gradle/gradle-build-action)@.*");
    private static final Pattern SETUP_ACTION = Pattern.compile("(?i)^actions/setup-[\\w-]+@.*");

    private final Sink sink;

    ReleasePathChecks(Sink sink) {
        this.sink = sink;
    }

    /** Whether a job publishes: publish commands in its scripts ({@code runText}) or publish actions. */
    static boolean publishes(Node job, String runText) {
        if (PUBLISH_COMMAND.matcher(runText).find()) {
            return true;
        }
        for (Node step : sequence(get(job, "steps"))) {
            String uses = text(get(step, "uses"));
            if (uses != null && PUBLISH_ACTION.matcher(uses).matches()) {
                return true;
            }
        }
        return false;
    }

    void caches(List<Node> steps, String job) {
        for (Node step : steps) {
            NodeTuple uses = entry(step, "uses");
            String action = uses == null ? null : text(uses.getValueNode());
            if (action == null) {
                continue;
            }
            String cache = text(get(get(step, "with"), "cache"));
            boolean restores = CACHE_ACTION.matcher(action).matches()
                    || (SETUP_ACTION.matcher(action).matches() && cache != null && !cache.isBlank() && !cache.equals("false"))
                    || (Actions.is(action, "actions/setup-go") && !"false".equals(cache));
            if (restores) {
                sink.add(uses.getKeyNode(), Rule.CACHE_IN_RELEASE_PATH, null, "job '" + job + "' publishes or deploys and restores a"
                        + " cache through " + action.substring(0, action.indexOf('@') < 0 ? action.length() : action.indexOf('@'))
                        + ", which any workflow run on the repository can write");
            }
        }
    }
}
