package dev.deployer.render;

import dev.deployer.core.ImageRef;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.velocity.exception.VelocityException;
import org.apache.velocity.runtime.directive.Scope;
import org.apache.velocity.util.introspection.Info;
import org.apache.velocity.util.introspection.SecureUberspector;
import org.apache.velocity.util.introspection.VelMethod;
import org.apache.velocity.util.introspection.VelPropertyGet;
import org.apache.velocity.util.introspection.VelPropertySet;

/**
 * The templates' sandbox: Velocity's {@link SecureUberspector} (no method of {@code java.lang.Class},
 * {@code ClassLoader}, {@code Runtime}, {@code System}, {@code Thread}, reflection … — see {@link TemplateRenderer}'s
 * restricted classes and packages) and, stricter, an allowlist of the objects a template may call anything on: the
 * context ({@code $image}, {@code $project}, {@code $vars}, {@code $secrets}), strings, numbers, booleans, the lists and
 * maps of Velocity literals, and {@code $foreach}. {@code getClass()} is refused on everything, so no template can
 * reach a class, a class loader, {@code Runtime.exec} or {@code System.getenv}; nothing can be set on an object.
 */
public final class SandboxUberspector extends SecureUberspector {

    private static final Set<Class<?>> ALLOWED = Set.of(ImageContext.class, ProjectContext.class, Variables.class,
            Secrets.class, Secrets.Placeholder.class, ImageRef.class,
            ReleaseImagesContext.class, ReleaseImagesContext.Image.class, String.class, Boolean.class, Character.class);

    static boolean allowed(Object target) {
        return target == null || ALLOWED.contains(target.getClass()) || target instanceof Number && target.getClass().getName().startsWith("java.lang.")
                || target instanceof Scope || (target instanceof Collection<?> || target instanceof Map<?, ?>)
                && target.getClass().getName().startsWith("java.util.");
    }

    @Override
    public VelMethod getMethod(Object target, String name, Object[] args, Info info) {
        check(target, name + "()", info);
        return super.getMethod(target, name, args, info);
    }

    @Override
    public VelPropertyGet getPropertyGet(Object target, String identifier, Info info) {
        check(target, identifier, info);
        return super.getPropertyGet(target, identifier, info);
    }

    @Override
    public VelPropertySet getPropertySet(Object target, String identifier, Object arg, Info info) {
        throw refused("set ." + identifier + " on " + describe(target), info);
    }

    @Override
    public Iterator getIterator(Object target, Info info) {
        if (!allowed(target)) {
            throw refused("iterate over " + describe(target), info);
        }
        return super.getIterator(target, info);
    }

    private static void check(Object target, String member, Info info) {
        if (member.equals("getClass()") || member.equals("class") || !allowed(target)) {
            throw refused("use ." + member + " of " + describe(target), info);
        }
    }

    private static String describe(Object target) {
        return target == null ? "null" : target.getClass().getName();
    }

    private static VelocityException refused(String what, Info info) {
        return new VelocityException("Templates run sandboxed and may not " + what + " at " + info.getTemplateName()
                + "[line " + info.getLine() + ", column " + info.getColumn() + "]");
    }
}
