package dev.deployer.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.testing.RecordingLog;
import dev.deployer.testing.TestInfra;
import dev.deployer.core.DeployerException;
import dev.deployer.core.GitHubActions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SBOM and cosign signatures against the real TLS + auth registry: the SBOM written, parsed back with the
 * CycloneDX library, holding the real dependency jars (hashes, licences, graph) and the base image digest, attached
 * to the pushed digest; signatures of the image and of the SBOM verified; refused: unsigned, another key, an image
 * replaced after signing. The signing key (a canary made for the test) is in no log, file under target/ or temp file.
 */
class SupplyChainIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestInfra.Registry registry = new TestInfra.Registry();

    @TempDir
    Path tmp;

    /** Real jars of this build's own dependencies: snakeyaml (direct), jackson-databind (direct) → jackson-core. */
    private static List<SbomDependency> realDependencies() throws Exception {
        Path yaml = jar(org.yaml.snakeyaml.Yaml.class);
        Path databind = jar(com.fasterxml.jackson.databind.ObjectMapper.class);
        Path core = jar(com.fasterxml.jackson.core.JsonFactory.class);
        String databindVersion = databind.getParent().getFileName().toString();
        String databindId = "com.fasterxml.jackson.core:jackson-databind:jar:" + databindVersion;
        return List.of(
                new SbomDependency("org.yaml:snakeyaml:jar:" + yaml.getParent().getFileName(), "org.yaml", "snakeyaml",
                        yaml.getParent().getFileName().toString(), "jar", null, "compile", yaml, null),
                new SbomDependency(databindId, "com.fasterxml.jackson.core", "jackson-databind", databindVersion, "jar",
                        null, "compile", databind, null),
                new SbomDependency("com.fasterxml.jackson.core:jackson-core:jar:" + core.getParent().getFileName(),
                        "com.fasterxml.jackson.core", "jackson-core", core.getParent().getFileName().toString(), "jar",
                        null, "compile", core, databindId));
    }

    private static Path jar(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private ImageResult push(TestApp app, String repository, List<SbomDependency> dependencies, RecordingLog log) {
        ImageRequest request = new ImageRequest(app.project(), app.gitInfo(), "qa", repository, TestInfra.baseImage(),
                "demo.App", null, app.classes(), dependencies.stream().map(SbomDependency::file).toList(), List.of(),
                List.of(), List.of("8080"), List.of(), List.of(), null, true, false);
        return TestApp.builder(TestInfra.pushEnv(), tmp, log).build(request);
    }

    private Path publish(TestApp app, ImageResult image, List<SbomDependency> dependencies, String privateKey,
                         RecordingLog log) {
        ImageRequest request = app.request(image.image(), TestInfra.baseImage(), true, List.of(), "qa");
        Map<String, String> env = new java.util.HashMap<>(TestInfra.pushEnv());
        if (privateKey != null) {
            env.put(SigningKey.ENV, privateKey);
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        env.put("GITHUB_ACTIONS", "true");
        Optional<SigningKey> key = SupplyChain.signingKey(env::get, new GitHubActions(env::get,
                new PrintStream(stdout, true, StandardCharsets.UTF_8)));
        if (privateKey != null) {
            String masks = stdout.toString(StandardCharsets.UTF_8);
            privateKey.lines().filter(line -> !line.isBlank())
                    .forEach(line -> assertTrue(masks.contains("::add-mask::" + line), "every key line is masked"));
        }
        CredentialChain chain = new CredentialChain(env::get, CredentialChain.ServerLookup.none(), tmp);
        return new SupplyChain(log, chain, new RegistryProbe()).publish(request, image, dependencies, key);
    }

    private SignatureVerifier verifier() {
        return new SignatureVerifier(new RegistryProbe(), new CredentialChain(TestInfra.pushEnv()::get,
                CredentialChain.ServerLookup.none(), tmp));
    }

    @Test
    void sbomAttachedParsedBackAndSignaturesVerifiedWithTheKeyNowhereOnDiskOrInTheLog() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        String[] key = TestKeys.keyPair();
        String canary = key[0].lines().skip(1).findFirst().orElseThrow();  // a line of the private key's body
        TestApp app = new TestApp(tmp.resolve("app")).source("supply").commit("supply");
        String name = "supply/chain-" + UUID.randomUUID().toString().substring(0, 8);
        String repository = TestInfra.registry() + "/" + name;
        List<SbomDependency> dependencies = realDependencies();
        RecordingLog log = new RecordingLog();
        ImageResult image = push(app, repository, dependencies, log);

        Path file = publish(app, image, dependencies, key[0], log);

        assertEquals(app.project().deployerDir().resolve("sbom.cdx.json"), file);
        Bom bom = new JsonParser().parse(file.toFile());
        assertTrue(new JsonParser().validate(file.toFile(), org.cyclonedx.Version.VERSION_16).isEmpty(),
                "valid CycloneDX 1.6");
        assertEquals("demo", bom.getMetadata().getComponent().getName());
        for (SbomDependency dependency : dependencies) {
            Component component = bom.getComponents().stream().filter(c -> dependency.purl().equals(c.getPurl()))
                    .findFirst().orElseThrow(() -> new AssertionError(dependency.purl() + " not in the SBOM"));
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(dependency.file())));
            assertTrue(component.getHashes().stream().anyMatch(h -> h.getAlgorithm().equals("SHA-256")
                    && h.getValue().equals(sha256)), dependency.purl() + " hash");
            assertEquals("Apache-2.0", component.getLicenses().getLicenses().get(0).getId(),
                    dependency.purl() + " licence, from its POM");
        }
        Dependency databind = bom.getDependencies().stream()
                .filter(d -> d.getRef().equals(dependencies.get(1).purl())).findFirst().orElseThrow();
        assertEquals(List.of(dependencies.get(2).purl()), databind.getDependencies().stream().map(Dependency::getRef).toList(),
                "jackson-databind brings jackson-core");
        Component base = bom.getComponents().stream().filter(c -> c.getType() == Component.Type.CONTAINER)
                .findFirst().orElseThrow();
        assertEquals(TestInfra.baseImage(), base.getName());
        assertEquals(registry.anyDigest("deployer/jre17", "17").orElseThrow(), base.getVersion(), "the base's digest");

        String sbomTag = image.digest().replace(':', '-') + ".sbom";
        JsonNode sbomManifest = JSON.readTree(registry.get(name + "/manifests/" + sbomTag, RegistryManifests.OCI_MANIFEST));
        assertEquals(image.digest(), sbomManifest.at("/subject/digest").asText(), "linked to the image digest");
        assertEquals(SupplyChain.SBOM_TYPE, sbomManifest.at("/layers/0/mediaType").asText());
        assertEquals(Files.readString(file), registry.blob(name, sbomManifest.at("/layers/0/digest").asText()));

        SignatureVerifier.Verified verified = verifier().verify(repository, image.digest(), key[1]);
        assertEquals(image.digest().replace(':', '-') + ".sig", verified.tag());
        String sbomDigest = registry.anyDigest(name, sbomTag).orElseThrow();
        verifier().verify(repository, sbomDigest, key[1]);  // the SBOM is signed too
        JsonNode signature = JSON.readTree(registry.get(name + "/manifests/" + verified.tag(), RegistryManifests.OCI_MANIFEST));
        assertEquals(Cosign.PAYLOAD_TYPE, signature.at("/layers/0/mediaType").asText());
        JsonNode payload = JSON.readTree(registry.blob(name, signature.at("/layers/0/digest").asText()));
        assertEquals(image.digest(), payload.at("/critical/image/docker-manifest-digest").asText());
        assertEquals("cosign container image signature", payload.at("/critical/type").asText());

        String signatureDigest = registry.anyDigest(name, verified.tag()).orElseThrow();
        RecordingLog again = new RecordingLog();
        publish(app, image, dependencies, key[0], again);
        assertTrue(again.text().contains("SBOM already attached"), again.text());
        assertTrue(again.text().contains("Already signed by this key: " + repository + "@" + image.digest()), again.text());
        assertEquals(signatureDigest, registry.anyDigest(name, verified.tag()).orElseThrow(), "re-run: nothing changed");

        for (String text : List.of(log.text(), again.text())) {
            assertFalse(text.contains(canary), "the signing key is in the log");
        }
        assertNotIn(app.dir.resolve("target"), canary, Instant.MIN);
        assertNotIn(Path.of(System.getProperty("java.io.tmpdir")), canary, start);
    }

    @Test
    void refusesUnsignedOtherKeyAndAnImageReplacedAfterSigning() throws Exception {
        String[] key = TestKeys.keyPair();
        String[] other = TestKeys.keyPair();
        String name = "supply/verify-" + UUID.randomUUID().toString().substring(0, 8);
        String repository = TestInfra.registry() + "/" + name;

        TestApp unsigned = new TestApp(tmp.resolve("unsigned")).source("unsigned").commit("unsigned");
        ImageResult plain = push(unsigned, repository, List.of(), new RecordingLog());
        publish(unsigned, plain, List.of(), null, new RecordingLog());
        DeployerException notSigned = assertThrows(DeployerException.class,
                () -> verifier().verify(repository, plain.digest(), key[1]));
        assertTrue(notSigned.problem().startsWith("Image " + repository + "@" + plain.digest() + " is not signed"),
                notSigned.getMessage());

        TestApp signedByOther = new TestApp(tmp.resolve("other")).source("other").commit("other");
        ImageResult byOther = push(signedByOther, repository, List.of(), new RecordingLog());
        publish(signedByOther, byOther, List.of(), other[0], new RecordingLog());
        verifier().verify(repository, byOther.digest(), other[1]);
        DeployerException otherKey = assertThrows(DeployerException.class,
                () -> verifier().verify(repository, byOther.digest(), key[1]));
        assertTrue(otherKey.problem().contains("is signed (1 signature under "), otherKey.getMessage());
        assertTrue(otherKey.problem().contains("but not by the key in deployer.verify.publicKey"), otherKey.getMessage());

        TestApp original = new TestApp(tmp.resolve("original")).source("original").commit("original");
        ImageResult signed = push(original, repository, List.of(), new RecordingLog());
        publish(original, signed, List.of(), key[0], new RecordingLog());
        verifier().verify(repository, signed.digest(), key[1]);
        // someone replaces the image and copies the signature along to the new digest's .sig tag
        TestApp replacement = new TestApp(tmp.resolve("replacement")).source("evil").commit("evil");
        ImageResult replaced = push(replacement, repository, List.of(), new RecordingLog());
        String signatureTag = signed.digest().replace(':', '-') + ".sig";
        byte[] copied = registry.get(name + "/manifests/" + signatureTag, RegistryManifests.OCI_MANIFEST)
                .getBytes(StandardCharsets.UTF_8);
        registry.putManifest(name, replaced.digest().replace(':', '-') + ".sig", RegistryManifests.OCI_MANIFEST, copied);
        DeployerException tampered = assertThrows(DeployerException.class,
                () -> verifier().verify(repository, replaced.digest(), key[1]));
        assertTrue(tampered.problem().contains("is not the image that was signed: the signature under "
                + replaced.digest().replace(':', '-') + ".sig is for " + signed.digest()), tampered.getMessage());
    }

    private static void assertNotIn(Path root, String canary, Instant since) throws IOException {
        List<Path> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                try {
                    FileTime modified = Files.getLastModifiedTime(file);
                    if (modified.toInstant().isBefore(since) || Files.size(file) > 20_000_000) {
                        return;
                    }
                    if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(canary)) {
                        leaks.add(file);
                    }
                } catch (IOException unreadable) {
                    // another process's file that went away or is not ours to read
                }
            });
        } catch (java.io.UncheckedIOException walkRace) {
            // a directory of another process vanished while walking
        }
        assertEquals(List.of(), leaks, "the signing key was written to disk");
    }
}
