package dev.deployer.maven;

import dev.deployer.core.Log;

/** The core's {@link Log} on top of Maven's logger. */
final class MavenLog implements Log {

    private final org.apache.maven.plugin.logging.Log maven;

    MavenLog(org.apache.maven.plugin.logging.Log maven) {
        this.maven = maven;
    }

    @Override
    public void debug(String message) {
        maven.debug(message);
    }

    @Override
    public void info(String message) {
        maven.info(message);
    }

    @Override
    public void warn(String message) {
        maven.warn(message);
    }

    @Override
    public void error(String message) {
        maven.error(message);
    }
}
