package dev.deployer.platform;

import dev.deployer.deploy.Target;
import dev.deployer.deploy.TargetContext;
import dev.deployer.deploy.TargetFactory;
import java.util.function.BiFunction;

/**
 * The factory of a platform target: {@link #create} lets the target connect ahead (in the background),
 * {@link #createForPlanning} (a dry run) makes one that contacts nothing until used. Each target's {@code Factory}
 * names itself and its constructor; the class is listed in {@code META-INF/services/dev.deployer.deploy.TargetFactory}.
 */
public abstract class PlatformTargetFactory implements TargetFactory {

    private final String name;
    private final BiFunction<TargetContext, Boolean, Target> target;

    /** @param target makes the target: the context, and whether it may start connecting ahead */
    protected PlatformTargetFactory(String name, BiFunction<TargetContext, Boolean, Target> target) {
        this.name = name;
        this.target = target;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Target create(TargetContext context) {
        return target.apply(context, true);
    }

    /** For a dry run: nothing is started ahead, so the engine or endpoint is never contacted. */
    @Override
    public final Target createForPlanning(TargetContext context) {
        return target.apply(context, false);
    }
}
