package dev.deployer.audit;

import java.util.Locale;

/** Names of the actions a step uses. GitHub matches owner and repository without regard to case. */
final class Actions {

    private Actions() {
    }

    /** {@code Actions/Checkout@v4} → {@code actions/checkout}; null for null. */
    static String name(String uses) {
        if (uses == null) {
            return null;
        }
        int at = uses.indexOf('@');
        return (at < 0 ? uses : uses.substring(0, at)).trim().toLowerCase(Locale.ROOT);
    }

    /** Whether {@code uses} is {@code action} (e.g. {@code actions/checkout}) at any ref. */
    static boolean is(String uses, String action) {
        return action.equals(name(uses));
    }
}
