package tinynn.ops;

import java.util.List;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/** Softmax over the last axis, computed max-subtracted so large logits do not overflow. */
public record Softmax() implements Primitive {

    public String type() { return "softmax"; }

    public Shape shape(List<Node> in) {
        Shape s = in.getFirst().shape();
        if (s.rank() < 1) throw new GraphException("needs at least one axis, got a scalar");
        return s;
    }

    public List<Node> vjp(Node y, Node g) {
        // dx = y * (g - Σ g·y), the Jacobian of softmax applied without forming it.
        Node dot = Ops.sum(Ops.mul(g, y), true, -1);
        return List.of(Ops.mul(y, Ops.sub(g, dot)));
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) { return Reference.softmaxRows(in[0], out.dim(-1)); }
}
