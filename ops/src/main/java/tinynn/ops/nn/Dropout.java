package tinynn.ops.nn;

import java.util.Map;
import tinynn.graph.Node;
import tinynn.ops.Ops;

/**
 * Inverted dropout: in training, each element is zeroed with probability {@code rate} and the others scaled by
 * 1/(1 − rate); at inference the layer is the identity and emits no node. The masks come from the training
 * graph's random state (seed and step) and the layer's name (see {@link tinynn.ops.Dropout}), so a run resumed
 * from a file draws the masks it would have drawn.
 */
public record Dropout(double rate) implements Layer {

    /** PyTorch's default. */
    public static final double DEFAULT_RATE = 0.5;

    public Dropout {
        if (!(rate >= 0 && rate < 1)) throw new IllegalArgumentException("dropout: rate must be in [0, 1) (the probability of dropping), got " + rate);
    }

    public String type() { return "dropout"; }

    public Node build(Node x, String name) {
        var g = x.graph();
        if (!g.training() || rate == 0) return x;
        return g.scoped(name, () -> Ops.dropout(x, g.randomState(), rate, name.hashCode()));
    }

    public Map<String, Object> attrs() { return Map.of("rate", rate); }
}
