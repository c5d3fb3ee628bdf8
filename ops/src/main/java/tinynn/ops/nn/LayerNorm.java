package tinynn.ops.nn;

import java.util.Map;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Normalize;
import tinynn.ops.init.Initializers;

/**
 * Layer normalisation over every non-batch dim of each example (PyTorch's LayerNorm with normalized_shape =
 * x.shape[1:]): mean and biased variance per example, then γ·x̂ + β with "<name>.gamma" (ones) and "<name>.beta"
 * (zeros) of shape x.shape[1:]. The same computation in training and inference.
 */
public record LayerNorm(double eps) implements Layer {

    public static final double DEFAULT_EPS = 1e-5;

    public LayerNorm {
        if (!(eps > 0)) throw new IllegalArgumentException("layer_norm: eps must be > 0, got " + eps);
    }

    public LayerNorm() { this(DEFAULT_EPS); }

    public String type() { return "layer_norm"; }

    public Node build(Node x, String name) {
        Shape s = x.shape();
        if (s.rank() < 2) throw new GraphException("layer '" + name + "': layer_norm needs [N, d1, ...] input, got " + s);
        int[] dims = s.dims();
        Shape inner = Shape.of(java.util.Arrays.copyOfRange(dims, 1, dims.length));
        int[] axes = new int[dims.length - 1];
        for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
        Graph g = x.graph();
        Node gamma = g.parameter(name + ".gamma", x.dtype(), inner, Initializers.ones());
        Node beta = g.parameter(name + ".beta", x.dtype(), inner, Initializers.zeros());
        return g.scoped(name, () -> Normalize.overAxes(x, gamma, beta, eps, axes).y());
    }

    public Map<String, Object> attrs() { return Map.of("eps", eps); }
}
