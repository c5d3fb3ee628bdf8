package tinynn.ops.nn;

import java.util.List;
import java.util.Map;

/**
 * Reads layer attributes the way the model spec writes them: a scalar-or-pair attribute is one integer
 * ({@code i}, both dims) or a list of two ({@code ints} [h, w]). Errors name the attribute and what to write.
 */
public final class Attrs {
    private Attrs() {}

    /** [h, w] from an integer (both dims) or a list of two; {@code dflt} when absent. */
    public static int[] pair(Map<String, Object> attrs, String key, int[] dflt) {
        Object v = listed(attrs.get(key));
        if (v == null) return dflt == null ? null : dflt.clone();
        if (v instanceof Number n) return new int[] {exactInt(key, n), exactInt(key, n)};
        if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a && l.get(1) instanceof Number b) {
            return new int[] {exactInt(key, a), exactInt(key, b)};
        }
        throw new IllegalArgumentException("attribute '" + key + "' must be an integer (i) or two integers (ints [h, w]), got " + v);
    }

    /** A list of integers; a single integer counts as a list of one. */
    public static int[] ints(Map<String, Object> attrs, String key, int[] dflt) {
        Object v = listed(attrs.get(key));
        if (v == null) return dflt == null ? null : dflt.clone();
        if (v instanceof Number n) return new int[] {exactInt(key, n)};
        if (v instanceof List<?> l) {
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number n)) throw new IllegalArgumentException("attribute '" + key + "' must list integers, got " + v);
                out[i] = exactInt(key, n);
            }
            return out;
        }
        throw new IllegalArgumentException("attribute '" + key + "' must be integers (ints), got " + v);
    }

    public static int integer(Map<String, Object> attrs, String key, int dflt) {
        Object v = attrs.get(key);
        if (v == null) return dflt;
        if (v instanceof Number n) return exactInt(key, n);
        throw new IllegalArgumentException("attribute '" + key + "' must be an integer (i), got " + v);
    }

    public static double real(Map<String, Object> attrs, String key, double dflt) {
        Object v = attrs.get(key);
        if (v == null) return dflt;
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("attribute '" + key + "' must be a number (f), got " + v);
    }

    public static boolean bool(Map<String, Object> attrs, String key, boolean dflt) {
        Object v = attrs.get(key);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        throw new IllegalArgumentException("attribute '" + key + "' must be true or false (b), got " + v);
    }

    public static String string(Map<String, Object> attrs, String key, String dflt) {
        Object v = attrs.get(key);
        if (v == null) return dflt;
        if (v instanceof String s) return s;
        throw new IllegalArgumentException("attribute '" + key + "' must be a string (s), got " + v);
    }

    /** A model file's ints come back as long[] (an attrs() map may hold int[]); the spec's as a List. */
    private static Object listed(Object v) {
        if (v instanceof long[] a) return java.util.Arrays.stream(a).boxed().toList();
        if (v instanceof int[] a) return java.util.Arrays.stream(a).boxed().toList();
        return v;
    }

    /** Rejects an attribute the layer does not take (a typo would otherwise fall back to the default silently). */
    public static Map<String, Object> only(String layer, Map<String, Object> attrs, String... keys) {
        for (String k : attrs.keySet()) {
            if (!List.of(keys).contains(k)) {
                throw new IllegalArgumentException(layer + " has no attribute '" + k + "'"
                        + (keys.length == 0 ? " (it takes none)" : "; it takes " + String.join(", ", keys)));
            }
        }
        return attrs;
    }

    private static int exactInt(String key, Number n) {
        double d = n.doubleValue();
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("attribute '" + key + "' must be an integer, got " + n);
        }
        return (int) d;
    }
}
