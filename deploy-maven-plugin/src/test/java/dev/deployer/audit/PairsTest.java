package dev.deployer.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deploy-pipeline mistakes as pairs of small workflows (src/test/resources/audit-pairs/RULE/CASE.bad.yml and
 * CASE.safe.yml): each dangerous one gives exactly the findings its header lists ({@code # expect: LINE:COL
 * SEVERITY RULE}), at least one of them of its rule and high, so it fails {@code validate} under the default
 * {@code failOn=high}; each safe twin gives no finding at all. Per rule recall and precision over all pairs go to
 * {@code target/audit-pairs.md} (the table in docs/audit.md).
 */
class PairsTest {

    static final Path PAIRS = Path.of("src/test/resources/audit-pairs");

    record Case(String rule, String name, boolean dangerous, List<String> expected, List<String> actual) { }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(PAIRS)) {
            files = walk.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        for (Path file : files) {
            String text = Files.readString(file);
            String rule = file.getParent().getFileName().toString();
            String name = file.getFileName().toString();
            List<String> expected = text.lines().filter(l -> l.startsWith("# expect: "))
                    .map(l -> l.substring("# expect: ".length()).strip()).toList();
            List<String> actual = new WorkflowAudit(List.of()).auditText(".github/workflows/" + name, text, true).findings()
                    .stream().map(f -> f.line() + ":" + f.column() + " " + f.severity().label() + " " + f.ruleId()).toList();
            cases.add(new Case(rule, name, name.endsWith(".bad.yml"), expected, actual));
        }
        return cases;
    }

    @Test
    void everyDangerousWorkflowGivesExactlyItsFindingsAndEverySafeTwinNone() throws IOException {
        List<Case> cases = cases();
        List<String> wrong = new ArrayList<>();
        int bad = 0;
        for (Case c : cases) {
            if (!c.actual().equals(c.expected())) {
                wrong.add(c.rule() + "/" + c.name() + ": expected " + c.expected() + " but was " + c.actual());
            }
            if (c.dangerous()) {
                bad++;
                boolean failsValidate = c.expected().stream().anyMatch(e -> e.endsWith(" high " + c.rule()));
                if (!failsValidate) {
                    wrong.add(c.rule() + "/" + c.name() + ": lists no high finding of its own rule");
                }
            } else {
                assertTrue(Files.exists(PAIRS.resolve(c.rule()).resolve(c.name().replace(".safe.yml", ".bad.yml"))),
                        "a safe twin without its dangerous workflow: " + c.name());
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(bad * 2, cases.size(), "every dangerous workflow has exactly one safe twin");
    }

    @Test
    void recallAndPrecisionPerRuleAreWrittenForTheDocs() throws IOException {
        // rule -> {dangerous, caught high, findings of the rule, expected ones, safe twins, safe twins with a finding}
        Map<String, int[]> rows = new LinkedHashMap<>();
        for (Case c : cases()) {
            int[] row = rows.computeIfAbsent(c.rule(), r -> new int[6]);
            if (c.dangerous()) {
                row[0]++;
                row[1] += c.actual().stream().anyMatch(a -> a.endsWith(" high " + c.rule())) ? 1 : 0;
            } else {
                row[4]++;
                row[5] += c.actual().isEmpty() ? 0 : 1;
            }
        }
        for (Case c : cases()) {
            for (String a : c.actual()) {
                int[] row = rows.get(a.substring(a.lastIndexOf(' ') + 1));
                if (row != null) {
                    row[2]++;
                    row[3] += c.expected().contains(a) ? 1 : 0;
                }
            }
        }
        StringBuilder md = new StringBuilder("| rule | dangerous workflows | fail validate (high) | recall | findings | expected"
                + " | precision | safe twins with a finding |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, int[]> e : rows.entrySet()) {
            int[] r = e.getValue();
            md.append(String.format(Locale.ROOT, "| `%s` | %d | %d | %.2f | %d | %d | %.2f | %d of %d |\n", e.getKey(), r[0], r[1],
                    (double) r[1] / r[0], r[2], r[3], r[2] == 0 ? 1.0 : (double) r[3] / r[2], r[5], r[4]));
        }
        Path out = Path.of("target", "audit-pairs.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
        String docs = Files.readString(WorkflowAudit.gitRoot(Path.of("").toAbsolutePath()).resolve("docs/audit.md"));
        assertTrue(docs.contains(md), "docs/audit.md shows this table as it is now:\n" + md);
        for (Map.Entry<String, int[]> e : rows.entrySet()) {
            assertEquals(e.getValue()[0], e.getValue()[1], "dangerous workflows of " + e.getKey() + " that pass validate");
            assertEquals(e.getValue()[2], e.getValue()[3], "unexpected findings of " + e.getKey());
        }
    }
}
