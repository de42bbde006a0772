package dev.deployer.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deployer.core.DeployerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** Every exception of the core reaches the user as problem, location and fix, parameters spelled for Maven. */
class ErrorTranslatorTest {

    @Test
    void aParameterKeyIsSpelledAsThePomElementAndTheProperty() {
        assertEquals("<tag> (-Ddeployer.tag): Registry r has no tag x\n  Fix: deploy a pushed tag",
                ErrorTranslator.translate(new DeployerException("Registry r has no tag x", "deployer.tag", "deploy a pushed tag")).getMessage());
        assertEquals("<quantumStackFile> (-Ddeployer.quantum.stackFile): bad", ErrorTranslator.message(
                new DeployerException("bad", "deployer.quantum.stackFile", null)));
        assertEquals("<variables><DOMAIN> (-Ddeployer.var.DOMAIN): bad", ErrorTranslator.message(
                new DeployerException("bad", "deployer.var.DOMAIN", null)));
    }

    @Test
    void filesAndEnvironmentVariablesStayAsTheyAre() {
        assertEquals("src/main/deploy/stack.yml.vm:4:18: bad", ErrorTranslator.message(
                new DeployerException("bad", "src/main/deploy/stack.yml.vm:4:18", null)));
        assertEquals("DOCKER_HOST: bad", ErrorTranslator.message(new DeployerException("bad", "DOCKER_HOST", null)));
    }

    @Test
    void aRecordsCheckAndAnIoErrorGetALocationAndAFix() {
        assertEquals("the plugin configuration: Invalid configuration: stack name 'A' must be lower-case letters, digits, '-' or '_'"
                        + "\n  Fix: correct the value the message names (in the POM's <configuration> or its -Ddeployer.* property)",
                ErrorTranslator.translate(new IllegalArgumentException("stack name 'A' must be lower-case letters, digits, '-' or '_'")).getMessage());
        String io = ErrorTranslator.translate(new UncheckedIOException("Cannot write target/deployer/x", new IOException("No space left on device"))).getMessage();
        assertEquals("Cannot write target/deployer/x: Cannot read or write a file: No space left on device"
                + "\n  Fix: check that the file or directory exists and that the build may write to target/", io);
    }
}
