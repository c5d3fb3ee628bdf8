package tinynn.ops.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import tinynn.graph.Node;
import tinynn.ops.Ops;

/**
 * Parameter-free elementwise layers: the article's ReLU and its Sigmoid, Tanh, LeakyReLU, SoftPlus.
 * {@link #named} is the one registry of activation names: layers, model files and the CLI's
 * --activation all look names up here, so a new activation is one line below.
 */
public record Activation(String type, double slope) implements Layer {

    /** Name → the nodes it emits for x and a slope (read only by the activations that take one). */
    private static final Map<String, BiFunction<Node, Double, Node>> BY_NAME = new LinkedHashMap<>();
    /** The activations whose layer attributes include "slope". */
    private static final Set<String> SLOPED = Set.of("leaky_relu");

    static {
        BY_NAME.put("relu", (x, slope) -> Ops.relu(x));
        BY_NAME.put("sigmoid", (x, slope) -> Ops.sigmoid(x));
        BY_NAME.put("tanh", (x, slope) -> Ops.tanh(x));
        BY_NAME.put("softplus", (x, slope) -> Ops.softplus(x));
        BY_NAME.put("leaky_relu", Ops::leakyRelu);
    }

    public Activation {
        if (!BY_NAME.containsKey(type)) {
            throw new IllegalArgumentException("unknown activation '" + type + "'; use " + String.join(", ", BY_NAME.keySet()));
        }
    }

    public static Activation relu() { return new Activation("relu", 0); }
    public static Activation sigmoid() { return new Activation("sigmoid", 0); }
    public static Activation tanh() { return new Activation("tanh", 0); }
    public static Activation softplus() { return new Activation("softplus", 0); }
    public static Activation leakyRelu(double slope) { return new Activation("leaky_relu", slope); }

    /** The activation called {@code type}; {@code slope} is kept only by those that take one. */
    public static Activation named(String type, double slope) { return new Activation(type, takesSlope(type) ? slope : 0); }

    /** Every registered activation name, in registration order. */
    public static Set<String> names() { return java.util.Collections.unmodifiableSet(BY_NAME.keySet()); }

    public static boolean takesSlope(String type) { return SLOPED.contains(type); }

    public Node build(Node x, String name) {
        return x.graph().scoped(name, () -> BY_NAME.get(type).apply(x, slope));
    }

    public Map<String, Object> attrs() { return takesSlope(type) ? Map.of("slope", slope) : Map.of(); }
}
