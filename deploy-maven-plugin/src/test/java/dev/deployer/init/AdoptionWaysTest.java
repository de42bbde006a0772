package dev.deployer.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The two ways to adopt cannot drift: the parent POM's profiles only choose the environment (its defaults live in
 * the plugin, {@link dev.deployer.core.Environments}), the parent binds the goals the plugin-alone snippet binds, and
 * docs/adopt.md shows the snippet deployer:init writes.
 */
class AdoptionWaysTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

    private static final InitRequest ALONE = new InitRequest(ROOT, ROOT, "shop", false, false, false, false,
            "ghcr.io/acme/shop/shop", "eclipse-temurin:17-jre", 8080, "/health", "17", "0.1.0", "deployer-org/deployer", null);

    private static Document parent() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("deploy-parent-pom/pom.xml").toFile());
    }

    @Test
    void theParentsProfilesOnlyChooseTheEnvironment() throws Exception {
        NodeList profiles = parent().getElementsByTagName("profile");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            String id = profile.getElementsByTagName("id").item(0).getTextContent();
            ids.add(id);
            Element properties = (Element) profile.getElementsByTagName("properties").item(0);
            List<String> set = new ArrayList<>();
            for (int j = 0; j < properties.getChildNodes().getLength(); j++) {
                if (properties.getChildNodes().item(j) instanceof Element property) {
                    set.add(property.getTagName() + "=" + property.getTextContent());
                }
            }
            assertEquals(List.of("deployer.environment=" + id), set, "profile " + id + " sets more than the environment");
            assertEquals(1, profile.getChildNodes().getLength() > 0 ? countElements(profile) - 1 : 0,
                    "profile " + id + " has only an id and properties");
        }
        assertEquals(List.of("qa", "production"), ids);
        Element properties = (Element) parent().getDocumentElement().getElementsByTagName("properties").item(0);
        List<String> defaults = new ArrayList<>();
        for (int i = 0; i < properties.getChildNodes().getLength(); i++) {
            if (properties.getChildNodes().item(i) instanceof Element property && property.getTagName()
                    .matches("deployer\\.(qa|production|local)\\..*|deployer\\.(push|target|stack|healthUrl|allowedRefs)")) {
                defaults.add(property.getTagName());
            }
        }
        assertEquals(List.of(), defaults, "environment defaults belong to the plugin (Environments), not the parent");
    }

    @Test
    void theParentBindsTheGoalsOfTheSnippet() throws Exception {
        NodeList goals = parent().getElementsByTagName("goal");
        List<String> bound = new ArrayList<>();
        for (int i = 0; i < goals.getLength(); i++) {
            Element goal = (Element) goals.item(i);
            Element plugin = (Element) goal.getParentNode().getParentNode().getParentNode().getParentNode();
            if ("deploy-maven-plugin".equals(plugin.getElementsByTagName("artifactId").item(0).getTextContent())) {
                bound.add(goal.getTextContent());
            }
        }
        String plugin = Init.snippet(ALONE).get("plugin");
        List<String> snippet = plugin.lines().map(String::strip).filter(line -> line.startsWith("<goal>"))
                .map(line -> line.replaceAll("</?goal>", "")).toList();
        assertEquals(bound, snippet);
    }

    /** Like the parents Java developers know (spring-boot-starter-parent): java.version, overridable plugin versions, -parameters. */
    @Test
    void theParentBehavesLikeFamiliarParents() throws Exception {
        Element properties = (Element) parent().getDocumentElement().getElementsByTagName("properties").item(0);
        assertEquals("17", properties.getElementsByTagName("java.version").item(0).getTextContent());
        assertEquals("${java.version}", properties.getElementsByTagName("maven.compiler.release").item(0).getTextContent());
        assertEquals("true", properties.getElementsByTagName("maven.compiler.parameters").item(0).getTextContent());
        Element management = (Element) parent().getElementsByTagName("pluginManagement").item(0);
        NodeList plugins = management.getElementsByTagName("plugin");
        List<String> pinnedInline = new ArrayList<>();
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            String artifactId = plugin.getElementsByTagName("artifactId").item(0).getTextContent();
            String version = plugin.getElementsByTagName("version").item(0).getTextContent();
            String property = artifactId.equals("deploy-maven-plugin") ? "deployer.plugin.version" : artifactId + ".version";
            if (!version.equals("${" + property + "}") || properties.getElementsByTagName(property).getLength() != 1) {
                pinnedInline.add(artifactId + " " + version);
            }
        }
        assertEquals(List.of(), pinnedInline, "plugin versions that a service cannot override with a property");
        assertTrue(Files.readString(ROOT.resolve("deploy-parent-pom/pom.xml")).contains("<version>[${java.version},)</version>"),
                "the enforcer asks for the JDK of java.version");
    }

    @Test
    void theGuideShowsTheSnippetInitWrites() throws Exception {
        String guide = Files.readString(ROOT.resolve("docs/adopt.md"));
        int section = guide.indexOf("## 3b. ");
        assertTrue(section > 0, "docs/adopt.md has a section 3b for the plugin alone");
        Map<String, String> snippet = Init.snippet(ALONE);
        int at = section;
        List<String> lines = new ArrayList<>();
        snippet.get("properties").lines().filter(line -> line.contains("maven.deploy.skip")).forEach(lines::add);
        snippet.get("plugin").lines().takeWhile(line -> !line.contains("<configuration>")).forEach(lines::add);
        snippet.get("profiles").lines().skip(1).forEach(lines::add);
        for (String line : lines) {
            int found = guide.indexOf(line.strip(), at);
            assertTrue(found >= 0, "docs/adopt.md section 3b lacks, in order, the snippet's line: " + line.strip());
            at = found + line.strip().length();
        }
    }

    private static int countElements(Element parent) {
        int count = 0;
        for (int i = 0; i < parent.getChildNodes().getLength(); i++) {
            if (parent.getChildNodes().item(i) instanceof Element) {
                count++;
            }
        }
        return count;
    }
}
