package dev.deployer.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a deploy reads from the environment for a stack file's placeholders. */
class StackPlaceholdersTest {

    @Test
    void anEscapedDollarIsNoPlaceholderAndDefaultsAreNotRequired() {
        String stack = "x: $${LITERAL} ${REQUIRED} ${WITH_DEFAULT:-x} ${ALT:+y} ${MUST:?set it} $PLAIN\n";
        assertEquals(List.of("REQUIRED", "WITH_DEFAULT", "ALT", "MUST", "PLAIN"), StackFiles.placeholders(stack));
        assertEquals(List.of("REQUIRED", "MUST", "PLAIN"), StackFiles.requiredPlaceholders(stack));
    }
}
