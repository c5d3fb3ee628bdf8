package tinynn.graph;

import java.util.List;
import java.util.Map;

/**
 * An operation: its shape rule and its gradient rule. Ops are immutable values; the node
 * holding an op supplies the inputs.
 */
public interface Op {

    /** Stable, language-neutral name such as "matmul"; it is what model files store. */
    String type();

    /** Output shape for these inputs; throws GraphException naming the shapes when they do not fit. */
    Shape shape(List<Node> inputs);

    /** Output element type; by default the inputs' common type. */
    default DType dtype(List<Node> inputs) {
        DType t = inputs.getFirst().dtype();
        for (Node n : inputs) {
            if (n.dtype() != t) throw new GraphException(type() + ": mixed dtypes " + t + " and " + n.dtype() + "; cast one input");
        }
        return t;
    }

    /**
     * Vector-Jacobian product as new graph nodes: given the gradient of the loss with respect to
     * {@code self}, return one gradient per input (null where the input gets none).
     */
    List<Node> vjp(Node self, Node grad);

    /** Attributes other than inputs (axes, flags, values), for printing and for model files. */
    default Map<String, Object> attrs() { return Map.of(); }
}
