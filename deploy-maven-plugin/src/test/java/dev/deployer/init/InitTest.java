package dev.deployer.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.core.Log;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class InitTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();

    private final Log log = new Log() {
        @Override public void debug(String message) { }
        @Override public void info(String message) { lines.add("INFO " + message); }
        @Override public void warn(String message) { lines.add("WARN " + message); }
        @Override public void error(String message) { lines.add("ERROR " + message); }
    };

    private InitRequest request(boolean parent, boolean spring, boolean redis, boolean apply) {
        return new InitRequest(dir, dir, "shop", parent, spring, redis, apply, "ghcr.io/acme/shop/shop",
                "eclipse-temurin:17-jre", 8080, spring ? "/actuator/health" : "/health", "17", "0.1.0",
                "deployer-org/deployer", SHA);
    }

    @Test
    void writesTheTemplatesAndTheWorkflowsAndPrintsTheSnippet() throws Exception {
        new Init(log).run(request(false, true, true, false));
        String compose = Files.readString(dir.resolve("src/main/deploy/docker-compose.yml.vm"));
        assertTrue(compose.contains("SPRING_DATA_REDIS_PASSWORD: \"$secrets.REDIS_PASSWORD\""), compose);
        assertTrue(compose.contains("\"http://127.0.0.1:8080/actuator/health\""), compose);
        assertTrue(compose.contains("  proxy:\n") && compose.contains("  redis:\n"), compose);
        assertFalse(compose.contains("#init") || compose.contains("@@") || compose.contains("      REDIS_HOST:"), compose);
        String stack = Files.readString(dir.resolve("src/main/deploy/stack.yml.vm"));
        assertTrue(stack.contains("  redis:\n") && stack.contains("  proxy:\n"), stack);
        assertTrue(stack.contains("order: start-first") && stack.contains("rollback_config:"), "the app updates and rolls back start-first");
        assertTrue(compose.contains("dev.deployer.proxy: proxy") && compose.contains("reverse_proxy app:8080"), "the app is blue/green-ready");
        String qa = Files.readString(dir.resolve(".github/workflows/deploy-qa.yml"));
        assertTrue(qa.contains("uses: deployer-org/deployer/.github/workflows/deployer.yml@" + SHA + " # v0.1.0\n"), qa);
        assertTrue(qa.contains("      REDIS_PASSWORD: ${{ secrets.REDIS_PASSWORD }}\n      QA_SSH_PRIVATE_KEY:"), qa);
        assertFalse(qa.contains("module:"), "a single-module repository needs no module input");
        assertTrue(lines.contains("INFO Wrote src/main/deploy/docker-compose.yml.vm"), lines.toString());
        assertTrue(lines.contains("INFO       <goal>build</goal>") || lines.stream().anyMatch(l -> l.contains("<goal>build</goal>")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("<deployer.environment>production</deployer.environment>")));
    }

    @Test
    void withoutRedisThereIsNoRedisAndAPlainServiceGetsPlainNames() throws Exception {
        new Init(log).run(request(true, false, false, false));
        String compose = Files.readString(dir.resolve("src/main/deploy/docker-compose.yml.vm"));
        assertFalse(compose.contains("redis") || compose.contains("backend"), compose);
        assertTrue(compose.contains("PORT: \"8080\"") && compose.contains("127.0.0.1:8080/health"), compose);
        assertFalse(Files.readString(dir.resolve(".github/workflows/deploy.yml")).contains("REDIS"));
        Map<String, String> snippet = Init.snippet(request(true, false, false, false));
        assertEquals(List.of("properties", "plugin"), List.copyOf(snippet.keySet()), "the parent brings the profiles");
        assertFalse(snippet.get("plugin").contains("<version>"), "the parent pins the version");
    }

    @Test
    void neverOverwritesAFile() throws Exception {
        Files.createDirectories(dir.resolve(".github/workflows"));
        Files.writeString(dir.resolve(".github/workflows/ci.yml"), "mine\n");
        new Init(log).run(request(false, false, false, false));
        assertEquals("mine\n", Files.readString(dir.resolve(".github/workflows/ci.yml")));
        assertTrue(lines.contains("WARN Skipped .github/workflows/ci.yml: it exists (deployer:init never overwrites a file)"), lines.toString());
    }

    @Test
    void aModuleOfARepositoryGetsTheModuleInput() throws Exception {
        Path module = dir.resolve("services/shop");
        Files.createDirectories(module);
        new Init(log).run(new InitRequest(module, dir, "shop", false, false, false, false, "ghcr.io/acme/x/shop",
                "eclipse-temurin:21-jre", 8080, "/health", "21", "0.1.0", "deployer-org/deployer", SHA));
        assertTrue(Files.readString(dir.resolve(".github/workflows/deploy.yml")).contains("      module: services/shop\n"));
        assertTrue(Files.readString(dir.resolve(".github/workflows/ci.yml")).contains("./mvnw -B -ntp -pl services/shop -am verify"));
        assertTrue(Files.exists(module.resolve("src/main/deploy/stack.yml.vm")));
    }

    @Test
    void applyInsertsTextAndKeepsEverythingElse() throws Exception {
        String pom = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- a comment with <build> in it -->
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                    <modelVersion>4.0.0</modelVersion>
                    <parent>
                        <groupId>org.springframework.boot</groupId>
                        <artifactId>spring-boot-starter-parent</artifactId>
                        <version>3.5.7</version>
                    </parent>
                    <artifactId>shop</artifactId>
                    <properties>
                        <java.version>17</java.version>   <!-- odd spacing stays -->
                        <deployer.baseImage>my-base:1</deployer.baseImage>
                    </properties>
                    <build>
                        <plugins>
                            <plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin>
                        </plugins>
                    </build>
                    <profiles>
                        <profile>
                            <id>qa</id>
                            <properties><other>x</other></properties>
                        </profile>
                    </profiles>
                </project>
                """;
        Files.writeString(dir.resolve("pom.xml"), pom);
        new Init(log).run(request(false, true, true, true));
        String after = Files.readString(dir.resolve("pom.xml"));
        int at = 0;
        for (String line : pom.replace("<properties><other>x</other></properties>", "<properties><other>x</other>").split("\n")) {
            int found = after.indexOf(line, at);
            assertTrue(found >= 0, "line kept, in order: " + line + "\n" + after);
            at = found + line.length();
        }
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(after.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, document.getElementsByTagName("deployer.image").getLength());
        assertEquals(1, document.getElementsByTagName("deployer.baseImage").getLength(), "the POM's own base image kept");
        assertEquals(2, document.getElementsByTagName("deployer.environment").getLength());
        assertEquals(2, document.getElementsByTagName("profile").getLength(), "qa got the property, production was added");
        assertTrue(after.contains("\n        <deployer.image>ghcr.io/acme/shop/shop</deployer.image>\n"), "four-space indentation: " + after);
        assertTrue(after.contains("<properties><other>x</other>\n"), after);
        assertTrue(after.indexOf("spring-boot-maven-plugin") < after.indexOf("deploy-maven-plugin"),
                "after Spring Boot's repackage, in the same phase");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO Inserted into pom.xml")), lines.toString());

        lines.clear();
        new Init(log).run(request(false, true, true, true));
        assertEquals(after, Files.readString(dir.resolve("pom.xml")), "a second run changes nothing");
        assertTrue(lines.contains("INFO pom.xml already has everything: unchanged") || lines.stream().anyMatch(l -> l.contains("Kept")), lines.toString());
    }

    @Test
    void applyOnAPomWithoutPropertiesBuildOrProfiles() throws Exception {
        String pom = "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <artifactId>shop</artifactId>\n"
                + "  <dependencies>\n  </dependencies>\n</project>\n";
        Files.writeString(dir.resolve("pom.xml"), pom);
        new Init(log).run(request(false, false, false, true));
        String after = Files.readString(dir.resolve("pom.xml"));
        assertTrue(after.indexOf("<properties>") < after.indexOf("<dependencies>"), after);
        assertTrue(after.indexOf("<build>") > after.indexOf("</dependencies>"), after);
        assertTrue(after.contains("  <profiles>\n    <!--"), after);
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(after.getBytes(StandardCharsets.UTF_8)));
    }

    /** The Spring Boot end-to-end ITs deploy exactly what init writes for a Spring Boot service with Redis. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sboot-deploy-compose", "sboot-deploy-swarm"})
    void theSpringBootDeployItsUseWhatInitWrites(String name) throws Exception {
        Path it = Path.of(System.getProperty("basedir", "."), "src/it/" + name);
        InitRequest spring = new InitRequest(it, it, name, false, true, true, false,
                "127.0.0.1:5443/sboot/springboot-app", "unused", 8080, "/actuator/health", "17", "@project.version@",
                "deployer-org/deployer", SHA);
        for (Init.Written file : new Init(log).files(spring)) {
            if (file.path().toString().contains("src/main/deploy")) {
                assertEquals(file.content() + "\n", Files.readString(file.path()), file.path() + " is not what init writes");
            }
        }
        String pom = Files.readString(it.resolve("pom.xml"));
        Map<String, String> snippet = Init.snippet(spring);
        for (String part : List.of("plugin", "profiles")) {
            int at = 0;
            for (String line : snippet.get(part).split("\n")) {
                int found = pom.indexOf(line.strip(), at);
                assertTrue(found >= 0, "the IT's pom.xml lacks, in order, the snippet's line " + line);
                at = found + line.strip().length();
            }
        }
    }

    @Test
    void theDefaultImageIsWhereTheReusableWorkflowPushes() {
        assertEquals("ghcr.io/acme/shop/shop", Init.defaultImage("git@github.com:Acme/Shop.git", "shop", "shop"));
        assertEquals("ghcr.io/acme/shop/svc", Init.defaultImage("https://github.com/acme/shop", "svc", "x"));
        assertEquals("registry.example.com/shop", Init.defaultImage(null, "shop", "shop"));
    }
}
