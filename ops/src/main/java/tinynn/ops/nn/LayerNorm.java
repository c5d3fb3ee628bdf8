package tinynn.ops.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Normalize;
import tinynn.ops.init.Initializers;

/**
 * Layer normalisation over the last {@code dims} dims of each example (PyTorch's LayerNorm with normalized_shape =
 * x.shape[-dims:]; {@code dims} 0, the default, means every non-batch dim): mean and biased variance per example (and
 * per leading position, e.g. per time step of [N, T, F] with dims 1), then γ·x̂ + β with "<name>.gamma" (ones) and
 * "<name>.beta" (zeros) of shape x.shape[-dims:]. The same computation in training and inference.
 */
public record LayerNorm(double eps, int dims) implements Layer {

    public static final double DEFAULT_EPS = 1e-5;

    public LayerNorm {
        if (!(eps > 0)) throw new IllegalArgumentException("layer_norm: eps must be > 0, got " + eps);
        if (dims < 0) throw new IllegalArgumentException("layer_norm: dims must be >= 0 (0: every dim but the batch), got " + dims);
    }

    public LayerNorm(double eps) { this(eps, 0); }

    public LayerNorm() { this(DEFAULT_EPS); }

    public String type() { return "layer_norm"; }

    public Node build(Node x, String name) {
        Shape s = x.shape();
        if (s.rank() < 2) throw new GraphException("layer '" + name + "': layer_norm needs [N, d1, ...] input, got " + s);
        int k = dims == 0 ? s.rank() - 1 : dims;
        if (k > s.rank() - 1) {
            throw new GraphException("layer '" + name + "': layer_norm over the last " + dims + " dims of " + s + " would include the batch;"
                    + " use dims 1 to " + (s.rank() - 1) + ", or 0 for all of them");
        }
        int[] d = s.dims();
        Shape inner = Shape.of(java.util.Arrays.copyOfRange(d, d.length - k, d.length));
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) axes[i] = d.length - k + i;
        Graph g = x.graph();
        Node gamma = g.parameter(name + ".gamma", x.dtype(), inner, Initializers.ones());
        Node beta = g.parameter(name + ".beta", x.dtype(), inner, Initializers.zeros());
        return g.scoped(name, () -> Normalize.overAxes(x, gamma, beta, eps, axes).y());
    }

    /** dims is written only when set, so that files keep the form readers before it know. */
    public Map<String, Object> attrs() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("eps", eps);
        if (dims != 0) a.put("dims", dims);
        return a;
    }
}
