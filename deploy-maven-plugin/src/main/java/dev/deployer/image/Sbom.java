package dev.deployer.image;

import dev.deployer.core.DeployerException;
import dev.deployer.core.ProjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The image's CycloneDX SBOM (JSON, spec 1.6, with cyclonedx-core-java): the service as the main component, every
 * runtime dependency (package URL, SHA-256 and SHA-1 of the jar in the image, licences as the artifact's own POM
 * declares them) with Maven's dependency graph, and the base image (reference and digest). Deterministic: the same
 * build gives the same bytes (timestamp = commit time, serial number derived from the image digest).
 */
public final class Sbom {

    private Sbom() {
    }

    /**
     * The SBOM as JSON.
     *
     * @param project      the service
     * @param dependencies its runtime dependencies
     * @param image        the image it describes ({@code repository}, digest), for the serial number and properties
     * @param baseImage    the base image as configured
     * @param baseDigest   the base image's digest when known
     * @param created      the timestamp (the commit time)
     */
    public static String json(ProjectInfo project, List<SbomDependency> dependencies, ImageResult image,
                              String baseImage, Optional<String> baseDigest, Instant created) {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(image.digest().getBytes(StandardCharsets.UTF_8)));
        Metadata metadata = new Metadata();
        metadata.setTimestamp(Date.from(created));
        Component service = new Component();
        service.setType(Component.Type.APPLICATION);
        service.setGroup(project.groupId());
        service.setName(project.artifactId());
        service.setVersion(project.version());
        String serviceRef = "pkg:maven/" + project.groupId() + "/" + project.artifactId() + "@" + project.version();
        service.setPurl(serviceRef);
        service.setBomRef(serviceRef);
        List<Property> properties = new ArrayList<>();
        properties.add(property("deployer:image", image.image()));
        properties.add(property("deployer:image.digest", image.digest()));
        image.platforms().forEach((platform, digest) -> properties.add(property("deployer:image.platform." + platform, digest)));
        service.setProperties(properties);
        metadata.setComponent(service);
        bom.setMetadata(metadata);

        Map<String, String> refs = new LinkedHashMap<>();
        refs.put(project.groupId() + ":" + project.artifactId(), serviceRef);
        List<Component> components = new ArrayList<>();
        for (SbomDependency dependency : dependencies) {
            Component component = new Component();
            component.setType(Component.Type.LIBRARY);
            component.setGroup(dependency.groupId());
            component.setName(dependency.artifactId());
            component.setVersion(dependency.version());
            component.setPurl(dependency.purl());
            component.setBomRef(dependency.purl());
            if (dependency.scope() != null) {
                component.setScope(Component.Scope.REQUIRED);
            }
            if (dependency.file() != null && Files.isRegularFile(dependency.file())) {
                component.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, hash("SHA-256", dependency.file())),
                        new Hash(Hash.Algorithm.SHA1, hash("SHA-1", dependency.file()))));
                licences(dependency.file()).ifPresent(component::setLicenses);
            }
            components.add(component);
            refs.put(dependency.id(), dependency.purl());
        }
        Component base = new Component();
        base.setType(Component.Type.CONTAINER);
        base.setName(baseImage);
        base.setBomRef("base-image:" + baseImage);
        baseDigest.ifPresent(digest -> {
            base.setVersion(digest);
            base.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, digest.substring("sha256:".length()))));
        });
        base.setProperties(List.of(property("deployer:role", "base-image")));
        components.add(base);
        bom.setComponents(components);

        Map<String, Dependency> graph = new LinkedHashMap<>();
        Dependency root = new Dependency(serviceRef);
        graph.put(serviceRef, root);
        root.addDependency(new Dependency(base.getBomRef()));
        graph.put(base.getBomRef(), new Dependency(base.getBomRef()));
        for (SbomDependency dependency : dependencies) {
            graph.putIfAbsent(dependency.purl(), new Dependency(dependency.purl()));
        }
        for (SbomDependency dependency : dependencies) {
            String parent = dependency.parentId() == null ? serviceRef
                    : refs.getOrDefault(dependency.parentId(), serviceRef);
            Dependency node = graph.get(parent);
            if (node.getDependencies() == null || node.getDependencies().stream()
                    .noneMatch(child -> child.getRef().equals(dependency.purl()))) {
                node.addDependency(new Dependency(dependency.purl()));
            }
        }
        bom.setDependencies(new ArrayList<>(graph.values()));
        try {
            return BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString();
        } catch (GeneratorException e) {
            throw DeployerException.of("Cannot write the CycloneDX SBOM: " + e.getMessage(),
                    "run with -X and report it");
        }
    }

    private static Property property(String name, String value) {
        Property property = new Property();
        property.setName(name);
        property.setValue(value);
        return property;
    }

    /** The licences the artifact's own POM (next to the jar in the local repository) declares, if any. */
    static Optional<LicenseChoice> licences(Path jar) {
        String name = jar.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path pom = jar.resolveSibling((dot < 0 ? name : name.substring(0, dot)) + ".pom");
        if (!Files.isRegularFile(pom)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(pom)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            Document document = factory.newDocumentBuilder().parse(in);
            NodeList licenses = document.getElementsByTagName("license");
            LicenseChoice choice = new LicenseChoice();
            for (int i = 0; i < licenses.getLength(); i++) {
                Element element = (Element) licenses.item(i);
                String licenceName = text(element, "name");
                String url = text(element, "url");
                if (licenceName == null && url == null) {
                    continue;
                }
                License license = new License();
                String spdx = spdx(licenceName, url);
                if (spdx != null) {
                    license.setId(spdx);
                } else {
                    license.setName(licenceName != null ? licenceName : url);
                }
                if (url != null) {
                    license.setUrl(url);
                }
                choice.addLicense(license);
            }
            return choice.getLicenses() == null || choice.getLicenses().isEmpty() ? Optional.empty() : Optional.of(choice);
        } catch (Exception e) {
            return Optional.empty();  // a POM we cannot read: the SBOM says nothing about its licence
        }
    }

    /** The SPDX id of the common licences, by name or URL; null when unsure. */
    static String spdx(String name, String url) {
        String text = ((name == null ? "" : name) + " " + (url == null ? "" : url)).toLowerCase(java.util.Locale.ROOT);
        if (text.contains("apache") && (text.contains("2.0") || text.contains("license-2.0") || text.contains("v2"))) {
            return "Apache-2.0";
        }
        if (text.contains("mit license") || text.strip().equals("mit") || text.contains("opensource.org/licenses/mit")) {
            return "MIT";
        }
        if (text.contains("eclipse public license") && text.contains("2.0") || text.contains("epl-2.0")) {
            return "EPL-2.0";
        }
        if (text.contains("bsd-3") || text.contains("bsd 3") || text.contains("new bsd")) {
            return "BSD-3-Clause";
        }
        return null;
    }

    private static String text(Element element, String tag) {
        NodeList nodes = element.getElementsByTagName(tag);
        if (nodes.getLength() == 0) {
            return null;
        }
        String value = nodes.item(0).getTextContent();
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String hash(String algorithm, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            byte[] buffer = new byte[65536];
            for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw DeployerException.of("Cannot hash " + file + " for the SBOM: " + e.getMessage(),
                    "rebuild with ./mvnw clean package");
        }
    }
}
