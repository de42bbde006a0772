package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.DeployerException;
import dev.deployer.core.GitInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TagsTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final GitInfo CLEAN = new GitInfo(SHA, Instant.parse("2026-11-22T06:00:00Z"), List.of(), "");
    private static final GitInfo DIRTY = new GitInfo(SHA, Instant.parse("2026-11-22T06:00:00Z"), List.of("src/A.java"), "abcdef123456");

    @Test
    void theFullShaComesFirstThenExtraTagsWithTokensReplaced() {
        assertEquals(List.of(SHA, "sha-0123456", "1.2.0", "qa-0123456"),
                Tags.of(CLEAN, "1.2.0", "qa", List.of("sha-@{short}", "@{version}", "${environment}-${short}")));
    }

    @Test
    void shortShaIsAnAliasOfShort() {
        assertEquals(List.of(SHA, "sha-0123456", "1.2.0"), Tags.of(CLEAN, "1.2.0", "qa", List.of("sha-@{shortSha}", "@{version}")));
    }

    @Test
    void aDirtyTreeGetsADistinctTagAndSoDoShortTokens() {
        assertEquals(List.of(SHA + "-dirty-abcdef123456", "sha-0123456-dirty-abcdef123456"),
                Tags.of(DIRTY, "1.0", "local", List.of("sha-${short}")));
    }

    @Test
    void duplicatesAndBlanksAreDropped() {
        assertEquals(List.of(SHA), Tags.of(CLEAN, "1", "local", List.of("${sha}", " ", SHA)));
    }

    @Test
    void aTokenMavenTurnedIntoNullIsExplained() {
        DeployerException e = assertThrows(DeployerException.class, () -> Tags.of(CLEAN, "1", "local", List.of("sha-null")));
        assertTrue(e.fix().contains("@{short}"), e.getMessage());
    }

    @Test
    void latestIsRefused() {
        DeployerException e = assertThrows(DeployerException.class, () -> Tags.of(CLEAN, "1", "local", List.of("LATEST")));
        assertEquals("deployer.extraTags", e.location());
        assertTrue(e.problem().contains("'latest' is not allowed"), e.getMessage());
    }

    @Test
    void invalidTagsAndUnknownTokensNameTheParameter() {
        DeployerException invalid = assertThrows(DeployerException.class,
                () -> Tags.of(CLEAN, "1.0-SNAPSHOT+build", "local", List.of("${version}")));
        assertTrue(invalid.problem().contains("'1.0-SNAPSHOT+build' is not a valid image tag"), invalid.getMessage());
        DeployerException unknown = assertThrows(DeployerException.class, () -> Tags.of(CLEAN, "1", "local", List.of("@{branch}")));
        assertEquals("deployer.extraTags", unknown.location());
        assertTrue(unknown.problem().contains("Unknown token @{branch}"), unknown.getMessage());
    }
}
