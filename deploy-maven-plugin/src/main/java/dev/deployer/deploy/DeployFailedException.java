package dev.deployer.deploy;

import dev.deployer.core.DeployerException;

/**
 * A deploy that failed after it started: the message says what happened, whether the previous version was
 * restored (and verified), and what runs now.
 */
public class DeployFailedException extends DeployerException {

    private final boolean rolledBack;

    public DeployFailedException(String problem, String location, String fix, boolean rolledBack, Throwable cause) {
        super(problem, location, fix, cause);
        this.rolledBack = rolledBack;
    }

    /** True when the previous version was restored and verified healthy. */
    public boolean rolledBack() {
        return rolledBack;
    }
}
