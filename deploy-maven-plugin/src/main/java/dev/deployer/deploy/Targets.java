package dev.deployer.deploy;

import dev.deployer.core.DeployerException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link Target} named by {@code deployer.target}. */
public final class Targets {

    private Targets() {
    }

    /** The target called {@code name}; an unknown name fails with the list of known ones. */
    public static Target create(String name, TargetContext context) {
        return create(name, context, false);
    }

    /** The same; {@code planningOnly} for a dry run, whose target contacts no engine (see {@link TargetFactory#createForPlanning}). */
    public static Target create(String name, TargetContext context, boolean planningOnly) {
        List<String> known = new ArrayList<>();
        for (TargetFactory factory : ServiceLoader.load(TargetFactory.class, Targets.class.getClassLoader())) {
            if (factory.name().equals(name)) {
                return planningOnly ? factory.createForPlanning(context) : factory.create(context);
            }
            known.add(factory.name());
        }
        throw new DeployerException("Unknown deploy target '" + name + "'", "deployer.target",
                "use one of " + known.stream().sorted().toList() + ", e.g. -Ddeployer.target=compose");
    }
}
