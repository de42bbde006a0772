package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.DeployerException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformSelectionTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final Map<String, String> INDEX = new LinkedHashMap<>(Map.of("linux/amd64", A));

    static {
        INDEX.put("linux/arm64/v8", B);
    }

    @Test
    void parsesTrimsLowerCasesAndDropsDuplicates() {
        assertEquals(List.of("linux/amd64", "linux/arm64/v8"), Platforms.parse(" linux/amd64, LINUX/arm64/v8,linux/amd64,"));
        assertEquals(List.of(), Platforms.parse(null));
        assertEquals(List.of(), Platforms.parse("  "));
        DeployerException bad = assertThrows(DeployerException.class, () -> Platforms.parse("linux/amd64,arm64"));
        assertEquals("Platform 'arm64' is not os/architecture[/variant]", bad.problem());
        assertEquals("deployer.platforms", bad.location());
    }

    @Test
    void defaultIsTheBaseIndexsPlatformsWhenPushedElseJibsDefault() {
        assertEquals(List.of("linux/amd64", "linux/arm64/v8"),
                PlatformSelection.choose(List.of(), "base:1", true, Optional.of(INDEX), true));
        assertEquals(List.of(), PlatformSelection.choose(List.of(), "base:1", true, Optional.of(INDEX), false),
                "a local build (tarball, engine) holds one platform");
        assertEquals(List.of(), PlatformSelection.choose(List.of(), "base:1", true, Optional.empty(), true),
                "a single-image base: one image, as before");
        Map<String, String> temurin = new LinkedHashMap<>(INDEX);
        temurin.put("windows/amd64", A);
        temurin.put("linux/arm/v7", B);
        temurin.put("linux/arm/v6", B);
        assertEquals(List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7"),
                PlatformSelection.choose(List.of(), "eclipse-temurin:17-jre", true, Optional.of(temurin), true),
                "Linux only, one per os/architecture (Jib ignores variants)");
    }

    @Test
    void configuredPlatformsMustBeInTheBaseIndex() {
        assertEquals(List.of("linux/arm64", "linux/amd64"), PlatformSelection.choose(List.of("linux/arm64", "linux/amd64"),
                "base:1", true, Optional.of(INDEX), true), "arm64 matches the base's arm64/v8");
        DeployerException missing = assertThrows(DeployerException.class, () -> PlatformSelection.choose(
                List.of("linux/amd64", "linux/s390x"), "base:1", true, Optional.of(INDEX), true));
        assertEquals("The base image base:1 has no linux/s390x (it has linux/amd64, linux/arm64/v8)", missing.problem());
    }

    @Test
    void severalPlatformsNeedAPushAndAnIndexBaseFromARegistry() {
        List<String> both = List.of("linux/amd64", "linux/arm64");
        assertTrue(assertThrows(DeployerException.class, () -> PlatformSelection.choose(both, "base:1", true,
                Optional.of(INDEX), false)).problem().contains("can only be pushed"));
        assertTrue(assertThrows(DeployerException.class, () -> PlatformSelection.choose(both, "tar://base.tar", false,
                Optional.empty(), true)).problem().contains("holds one platform"));
        assertTrue(assertThrows(DeployerException.class, () -> PlatformSelection.choose(both, "base:1", true,
                Optional.empty(), true)).problem().contains("is a single-platform image, not an index"));
    }

    @Test
    void anIndexDiffersWhenAPlatformsImageOrThePlatformSetDiffers() throws Exception {
        RegistryManifests.Manifest index = manifest("""
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[
                 {"digest":"%s","platform":{"os":"linux","architecture":"amd64"}},
                 {"digest":"%s","platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
                 {"digest":"%s","platform":{"os":"unknown","architecture":"unknown"}}]}""".formatted(A, B, A));
        assertEquals(Map.of("linux/amd64", A, "linux/arm64/v8", B), index.platforms(), "attestations left out");
        assertEquals(Optional.empty(), IndexPush.difference(index, Map.of("linux/amd64", A, "linux/arm64", B)));
        assertEquals(Optional.of("another image for linux/arm64 " + B),
                IndexPush.difference(index, Map.of("linux/amd64", A, "linux/arm64", A)));
        assertEquals(Optional.of("an index of linux/amd64, linux/arm64/v8"),
                IndexPush.difference(index, Map.of("linux/amd64", A)));
        assertEquals(Optional.of("a single-platform image, not an index"), IndexPush.difference(manifest("""
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}"""),
                Map.of("linux/amd64", A)));
    }

    private static RegistryManifests.Manifest manifest(String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        var tree = new ObjectMapper().readTree(bytes);
        return new RegistryManifests.Manifest(tree.get("mediaType").asText(), RegistryManifests.sha256(bytes), bytes, tree);
    }
}
