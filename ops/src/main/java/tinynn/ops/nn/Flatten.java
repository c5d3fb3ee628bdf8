package tinynn.ops.nn;

import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Ops;

/** [batch, d1, d2, ...] → [batch, d1·d2·...], e.g. images before a Dense layer. */
public record Flatten() implements Layer {

    public String type() { return "flatten"; }

    public Node build(Node x, String name) {
        Shape s = x.shape();
        return Ops.reshape(x, Shape.of(s.dim(0), (int) (s.size() / Math.max(1, s.dim(0)))));
    }
}
