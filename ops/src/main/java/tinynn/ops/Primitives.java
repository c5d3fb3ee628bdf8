package tinynn.ops;

import java.lang.reflect.RecordComponent;
import java.util.Set;
import java.util.TreeSet;

/**
 * The catalogue of what backends must compute: every permitted {@link Primitive}, split by the constants
 * of its {@code kind} where it has one ("MatMul", "Unary.RELU", ...). Contract tests walk it, so a new
 * primitive or kind without a gradient check or a backend comparison fails the build.
 */
public final class Primitives {
    private Primitives() {}

    public static Set<String> all() {
        Set<String> names = new TreeSet<>();
        for (Class<?> c : Primitive.class.getPermittedSubclasses()) {
            RecordComponent kind = kind(c);
            if (kind == null) names.add(c.getSimpleName());
            else for (Object k : kind.getType().getEnumConstants()) names.add(c.getSimpleName() + "." + k);
        }
        return names;
    }

    /** The catalogue entry a primitive instance belongs to. */
    public static String name(Primitive p) {
        RecordComponent kind = kind(p.getClass());
        if (kind == null) return p.getClass().getSimpleName();
        try {
            return p.getClass().getSimpleName() + "." + kind.getAccessor().invoke(p);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the kind of " + p, e);
        }
    }

    private static RecordComponent kind(Class<?> primitive) {
        RecordComponent[] components = primitive.getRecordComponents();
        if (components == null) return null;
        for (RecordComponent rc : components) if (rc.getName().equals("kind") && rc.getType().isEnum()) return rc;
        return null;
    }
}
