package tinynn.ops;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import tinynn.graph.AddN;
import tinynn.graph.Leaf;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * Computes a node of a graph from the primitives' reference forwards, in float64: all the runtime the
 * ops module's own tests need. The kernels are swappable so the gradient check can be shown a wrong one.
 */
final class ReferenceEval {
    private ReferenceEval() {}

    /** How a primitive is computed: by default its reference forward. */
    interface Kernels {
        double[] run(Primitive p, double[][] in, Shape[] shapes, Shape out);
    }

    static final Kernels REFERENCE = (p, in, shapes, out) -> p.reference(in, shapes, out);

    /** The value of {@code target}, its placeholders taken from {@code feeds}. */
    static double[] value(Node target, Map<Node, double[]> feeds, Kernels kernels) {
        Map<Node, double[]> values = new HashMap<>();
        return value(target, feeds, kernels, values);
    }

    private static double[] value(Node n, Map<Node, double[]> feeds, Kernels kernels, Map<Node, double[]> values) {
        double[] known = values.get(n);
        if (known != null) return known;
        double[][] in = new double[n.inputs().size()][];
        Shape[] shapes = new Shape[in.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = value(n.input(i), feeds, kernels, values);
            shapes[i] = n.input(i).shape();
        }
        double[] v = switch (n.op()) {
            case Leaf.Placeholder p -> {
                double[] fed = feeds.get(n);
                if (fed == null) throw new IllegalArgumentException("placeholder '" + n.name() + "' was not fed");
                yield fed;
            }
            case Leaf.Constant c -> {
                double[] filled = new double[c.shape().elements()];
                Arrays.fill(filled, c.value());
                if (c.values() != null) filled = c.values().clone();
                yield filled;
            }
            case AddN a -> {
                double[] sum = new double[n.shape().elements()];
                for (double[] x : in) for (int i = 0; i < sum.length; i++) sum[i] += x[i];
                yield sum;
            }
            case Primitive p -> kernels.run(p, in, shapes, n.shape());
            default -> throw new IllegalArgumentException("cannot evaluate op '" + n.op().type() + "' (node " + n.name() + ")");
        };
        values.put(n, v);
        return v;
    }
}
