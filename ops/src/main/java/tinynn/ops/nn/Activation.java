package tinynn.ops.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Ops;
import tinynn.ops.init.Initializers;

/**
 * Elementwise layers, one per activation function, with their attributes (leaky_relu's alpha, gelu's
 * approximate, ...). {@link #names} is the one registry of activation names: layers, model files and the
 * CLI's --activation all look names up here, so a new activation is one {@code add} below. Every attribute
 * has a default and {@link #attrs} lists them all, so a saved layer says exactly what it computes.
 */
public record Activation(String type, Map<String, Object> attrs) implements Layer {

    /** The nodes an activation emits for x; {@code name} is the layer's, for a parameter such as prelu's slope. */
    @FunctionalInterface
    private interface Body {
        Node build(Node x, String name, Map<String, Object> attrs);
    }

    private record Entry(Body body, Map<String, Object> defaults) {}

    private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

    static {
        add("relu", (x, n, a) -> Ops.relu(x));
        add("leaky_relu", (x, n, a) -> Ops.leakyRelu(x, num(a, "alpha")), "alpha", 0.01);
        add("prelu", (x, n, a) -> prelu(x, n, num(a, "init")), "init", 0.25);
        add("elu", (x, n, a) -> Ops.elu(x, num(a, "alpha")), "alpha", 1.0);
        add("selu", (x, n, a) -> Ops.selu(x));
        add("gelu", (x, n, a) -> a.get("approximate").equals("tanh") ? Ops.geluTanh(x) : Ops.gelu(x), "approximate", "none");
        add("silu", (x, n, a) -> Ops.silu(x));
        add("mish", (x, n, a) -> Ops.mish(x));
        add("softplus", (x, n, a) -> Ops.softplus(x, num(a, "beta")), "beta", 1.0);
        add("sigmoid", (x, n, a) -> Ops.sigmoid(x));
        add("hard_sigmoid", (x, n, a) -> Ops.hardSigmoid(x));
        add("tanh", (x, n, a) -> Ops.tanh(x));
        add("softmax", (x, n, a) -> Ops.softmax(x));
        add("log_softmax", (x, n, a) -> Ops.logSoftmax(x));
    }

    private static void add(String name, Body body, Object... keyValues) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) defaults.put((String) keyValues[i], keyValues[i + 1]);
        BY_NAME.put(name, new Entry(body, Collections.unmodifiableMap(defaults)));
    }

    /** Checks the attributes against the type's and fills in the defaults; leaky_relu's "slope" is its old name for alpha. */
    public Activation {
        Entry e = BY_NAME.get(type);
        if (e == null) {
            throw new IllegalArgumentException("unknown activation '" + type + "'; use " + String.join(", ", BY_NAME.keySet()));
        }
        Map<String, Object> given = new LinkedHashMap<>(attrs);
        if (type.equals("leaky_relu") && given.containsKey("slope")) {
            Object slope = given.remove("slope");
            given.putIfAbsent("alpha", slope);
        }
        Map<String, Object> all = new LinkedHashMap<>();
        for (Map.Entry<String, Object> d : e.defaults().entrySet()) {
            Object v = given.containsKey(d.getKey()) ? given.remove(d.getKey()) : d.getValue();
            all.put(d.getKey(), checked(type, d.getKey(), v, d.getValue()));
        }
        if (!given.isEmpty()) {
            throw new IllegalArgumentException(type + " has no attribute '" + given.keySet().iterator().next() + "'"
                    + (e.defaults().isEmpty() ? " (it takes none)" : "; it takes " + String.join(", ", e.defaults().keySet())));
        }
        attrs = Collections.unmodifiableMap(all);
    }

    public static Activation relu() { return of("relu"); }
    public static Activation sigmoid() { return of("sigmoid"); }
    public static Activation tanh() { return of("tanh"); }
    public static Activation softplus() { return of("softplus"); }
    public static Activation leakyRelu(double alpha) { return new Activation("leaky_relu", Map.of("alpha", alpha)); }

    /** The activation called {@code type} with its default attributes. */
    public static Activation of(String type) { return new Activation(type, Map.of()); }

    /** Every registered activation name, in registration order. */
    public static Set<String> names() { return Collections.unmodifiableSet(BY_NAME.keySet()); }

    public Node build(Node x, String name) {
        Body body = BY_NAME.get(type).body();
        if (type.equals("prelu")) return body.build(x, name, attrs); // scopes its nodes itself, after its parameter, as Dense does
        return x.graph().scoped(name, () -> body.build(x, name, attrs));
    }

    /** PReLU with its learnable slope "{name}.slope": one per channel (axis 1, as PyTorch), shaped to broadcast against x. */
    private static Node prelu(Node x, String name, double init) {
        Shape s = x.shape();
        if (s.rank() < 2) throw new GraphException("layer '" + name + "': prelu needs [batch, channels, ...] input, got " + s);
        int[] dims = new int[s.rank()];
        java.util.Arrays.fill(dims, 1);
        dims[1] = s.dim(1);
        Node slope = x.graph().parameter(name + ".slope", x.dtype(), Shape.of(dims), Initializers.constant(init));
        return x.graph().scoped(name, () -> Ops.prelu(x, slope));
    }

    private static double num(Map<String, Object> attrs, String key) { return (Double) attrs.get(key); }

    /** A numeric attribute as a finite double, a string one as one of its allowed values. */
    private static Object checked(String type, String key, Object v, Object dflt) {
        if (dflt instanceof Double) {
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new IllegalArgumentException(type + " attribute '" + key + "' must be a finite number, got " + v);
            }
            double d = n.doubleValue();
            if (key.equals("beta") && d <= 0) throw new IllegalArgumentException(type + " attribute 'beta' must be positive, got " + d);
            return d;
        }
        if (!(v instanceof String s) || !(s.equals("none") || s.equals("tanh"))) {
            throw new IllegalArgumentException(type + " attribute '" + key + "' must be \"none\" or \"tanh\", got " + v);
        }
        return s;
    }
}
