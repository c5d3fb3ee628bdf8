package tinynn.ops.nn;

import java.util.Map;
import java.util.function.UnaryOperator;
import tinynn.graph.Node;
import tinynn.ops.Ops;

/** Parameter-free elementwise layers: the article's ReLU and its Sigmoid, Tanh, LeakyReLU, SoftPlus. */
public record Activation(String type, double slope) implements Layer {

    public static Activation relu() { return new Activation("relu", 0); }
    public static Activation sigmoid() { return new Activation("sigmoid", 0); }
    public static Activation tanh() { return new Activation("tanh", 0); }
    public static Activation softplus() { return new Activation("softplus", 0); }
    public static Activation leakyRelu(double slope) { return new Activation("leaky_relu", slope); }

    public Node build(Node x, String name) {
        UnaryOperator<Node> f = switch (type) {
            case "relu" -> Ops::relu;
            case "sigmoid" -> Ops::sigmoid;
            case "tanh" -> Ops::tanh;
            case "softplus" -> Ops::softplus;
            case "leaky_relu" -> n -> Ops.leakyRelu(n, slope);
            default -> throw new IllegalArgumentException("unknown activation '" + type + "'; use relu, sigmoid, tanh, softplus or leaky_relu");
        };
        return x.graph().scoped(name, () -> f.apply(x));
    }

    public Map<String, Object> attrs() { return type.equals("leaky_relu") ? Map.of("slope", slope) : Map.of(); }
}
