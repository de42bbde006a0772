package dev.deployer.render;

import dev.deployer.core.DeployerException;
import java.util.Map;

/** {@code $vars} in templates: {@code $vars.NAME}, and {@code $vars.has("NAME")} for optional ones. */
public final class Variables {

    private final Map<String, String> values;

    Variables(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** {@code $vars.NAME}. Fails for a variable that is not defined. */
    public String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new DeployerException("Undefined variable $vars." + name, null,
                    "define it in the plugin's <variables><" + name + ">…</" + name + "></variables>,"
                            + " or pass -Ddeployer.var." + name + "=… (or a <deployer.var." + name
                            + "> property in a profile)");
        }
        return value;
    }

    /** {@code #if($vars.has("NAME"))}: whether the variable is defined. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    @Override
    public String toString() {
        return "$vars" + values.keySet();
    }
}
