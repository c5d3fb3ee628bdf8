package tinynn.serialization.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import tinynn.serialization.onnx.OnnxTensors.Value;
import tinynn.serialization.onnx.proto.NodeProto;

/**
 * Names the activation an elementwise subgraph computes (x → … → y, scalar constants only), by evaluating it on a grid
 * and comparing with tinynn's activations: how the many spellings exporters use for gelu (tanh form, Pow or Mul for
 * x³, either operand order) import without one pattern per exporter.
 */
final class Elementwise {
    static final Set<String> OPS = Set.of("Mul", "Div", "Add", "Sub", "Pow", "Tanh", "Sigmoid", "Softplus", "Erf", "Sqrt", "Exp", "Log", "Neg", "Relu");

    private Elementwise() {}

    /** A layer type with attributes: "gelu" none/tanh, "silu", "mish"; or null if the region computes none of them. */
    static Map<String, Object> identify(List<NodeProto> region, String x, Map<String, Value> consts) {
        Map<String, DoubleUnaryOperator> candidates = new java.util.LinkedHashMap<>();
        candidates.put("gelu", t -> 0.5 * t * (1 + erf(t / Math.sqrt(2))));
        candidates.put("gelu_tanh", t -> 0.5 * t * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (t + 0.044715 * t * t * t))));
        candidates.put("silu", t -> t / (1 + Math.exp(-t)));
        candidates.put("mish", t -> t * Math.tanh(softplus(t)));
        String out = region.getLast().getOutput(0);
        for (Map.Entry<String, DoubleUnaryOperator> c : candidates.entrySet()) {
            boolean same = true;
            for (double t = -6; t <= 6 && same; t += 0.25) {
                double got = eval(region, x, out, t, consts), want = c.getValue().applyAsDouble(t);
                same = Math.abs(got - want) <= 1e-5 * Math.max(1, Math.abs(want));
            }
            if (same) {
                return switch (c.getKey()) {
                    case "gelu" -> Map.of("type", "gelu", "approximate", "none");
                    case "gelu_tanh" -> Map.of("type", "gelu", "approximate", "tanh");
                    default -> Map.of("type", c.getKey());
                };
            }
        }
        return null;
    }

    private static double eval(List<NodeProto> region, String x, String out, double t, Map<String, Value> consts) {
        Map<String, Double> v = new HashMap<>();
        v.put(x, t);
        for (NodeProto n : region) {
            double a = operand(n, 0, v, consts), b = n.getInputCount() > 1 ? operand(n, 1, v, consts) : Double.NaN;
            v.put(n.getOutput(0), switch (n.getOpType()) {
                case "Mul" -> a * b;
                case "Div" -> a / b;
                case "Add" -> a + b;
                case "Sub" -> a - b;
                case "Pow" -> Math.pow(a, b);
                case "Tanh" -> Math.tanh(a);
                case "Sigmoid" -> 1 / (1 + Math.exp(-a));
                case "Softplus" -> softplus(a);
                case "Erf" -> erf(a);
                case "Sqrt" -> Math.sqrt(a);
                case "Exp" -> Math.exp(a);
                case "Log" -> Math.log(a);
                case "Neg" -> -a;
                case "Relu" -> Math.max(a, 0);
                default -> Double.NaN;
            });
        }
        return v.getOrDefault(out, Double.NaN);
    }

    private static double operand(NodeProto n, int k, Map<String, Double> v, Map<String, Value> consts) {
        String name = n.getInput(k);
        Double d = v.get(name);
        if (d != null) return d;
        Value c = consts.get(name);
        if (c == null || c.size() != 1) return Double.NaN;
        return c.isInt() ? c.longs()[0] : c.floats()[0];
    }

    private static double softplus(double t) { return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t))); }

    /** erf with a fractional error below 1.2e-7 (Numerical Recipes' erfc approximation), plenty for telling activations apart. */
    static double erf(double z) {
        double t = 1 / (1 + 0.5 * Math.abs(z));
        double y = 1 - t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? y : -y;
    }
}
