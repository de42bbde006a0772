package dev.deployer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubActionsTest {

    @TempDir
    Path workspace;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    private GitHubActions github(Map<String, String> env) {
        return new GitHubActions(env::get, new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    @Test
    void templateErrorBecomesAnAnnotationOnTheFileRelativeToTheWorkspace() throws IOException {
        Path module = workspace.resolve("shop-service");
        Files.createDirectories(module.resolve("src/main/deploy"));
        Files.writeString(module.resolve("src/main/deploy/stack.yml.vm"), "image: $vars.nope\n");
        DeployerException failure = new DeployerException("Undefined variable $vars.nope", "src/main/deploy/stack.yml.vm:1:14",
                "add it to <variables>");

        github(Map.of("GITHUB_ACTIONS", "true", "GITHUB_WORKSPACE", workspace.toString())).error(failure, module);

        assertEquals("::error file=shop-service/src/main/deploy/stack.yml.vm,line=1::Undefined variable $vars.nope\n", printed());
    }

    @Test
    void parameterLocationsAndRunsOutsideGitHubGetNoAnnotation() throws IOException {
        Files.writeString(workspace.resolve("stack.yml.vm"), "x\n");
        github(Map.of("GITHUB_ACTIONS", "true")).error(new DeployerException("bad", "deployer.target", "fix"), workspace);
        github(Map.of()).error(new DeployerException("bad", "stack.yml.vm:1:1", "fix"), workspace);

        assertEquals("", printed());
    }

    @Test
    void multiLineSecretIsMaskedLineByLineWithRawWorkflowCommands() {
        github(Map.of("GITHUB_ACTIONS", "true")).mask(Secret.of("KEY", "line-one\nline-two"));

        assertEquals("::add-mask::line-one\n::add-mask::line-two\n", printed());
    }

    @Test
    void aSecretShorterThanTheMinimumIsNotMaskedEverywhere() {
        github(Map.of("GITHUB_ACTIONS", "true")).mask(Secret.of("ONE", "a"));
        github(Map.of("GITHUB_ACTIONS", "true")).mask(Secret.of("MIXED", "abcd\nx\nefgh"));

        assertEquals("::add-mask::abcd\n::add-mask::efgh\n", printed(), "'a' or 'x' would be masked in every later log line");
    }
}
