package tinynn.runtime;

import java.util.List;
import tinynn.graph.Leaf;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Binary;
import tinynn.ops.Softmax;
import tinynn.ops.Unary;

/**
 * Recognises the few patterns worth one pass instead of several: bias + ReLU, the ReLU gradient
 * mask, and the softmax-cross-entropy gradient. A fused node reads the pattern's outer inputs;
 * the inner nodes it absorbs are never computed, so they must have no other consumer.
 */
final class Fusion {
    private Fusion() {}

    /** A fused computation replacing {@code node}: its real inputs and the nodes it absorbs. */
    record Match(Kind kind, List<Node> inputs, List<Node> absorbed) {}

    enum Kind { BIAS_RELU, RELU_BACKWARD, SOFTMAX_CE_BACKWARD }

    /** @param uses consumers of each node within the plan; @param pinned nodes that must stay computed */
    static Match match(Node n, int[] uses, boolean[] pinned) {
        if (n.op() instanceof Unary u && u.kind() == Unary.Kind.RELU) {
            Node add = n.input(0);
            if (add.op() instanceof Binary b && b.kind() == Binary.Kind.ADD && single(add, uses, pinned)
                    && isRowOf(add.input(1).shape(), add.shape()) && add.input(0).shape().equals(add.shape())) {
                return new Match(Kind.BIAS_RELU, List.of(add.input(0), add.input(1)), List.of(add));
            }
        }
        if (n.op() instanceof Binary b && b.kind() == Binary.Kind.MUL) {
            for (int i = 0; i < 2; i++) {
                Node step = n.input(i), g = n.input(1 - i);
                if (step.op() instanceof Unary u && u.kind() == Unary.Kind.STEP && single(step, uses, pinned)
                        && step.shape().equals(n.shape()) && g.shape().equals(n.shape())) {
                    return new Match(Kind.RELU_BACKWARD, List.of(g, step.input(0)), List.of(step));
                }
            }
            // mul(div(sub(softmax(x), y), N), g): the vjp SoftmaxCrossEntropy emits.
            Node div = n.input(0), g = n.input(1);
            if (g.shape().rank() == 0 && div.op() instanceof Binary d && d.kind() == Binary.Kind.DIV && single(div, uses, pinned)
                    && div.input(1).op() instanceof Leaf.Constant && div.input(1).shape().rank() == 0) {
                Node sub = div.input(0);
                if (sub.op() instanceof Binary s && s.kind() == Binary.Kind.SUB && single(sub, uses, pinned)
                        && sub.input(0).op() instanceof Softmax && single(sub.input(0), uses, pinned)
                        && sub.input(0).shape().equals(n.shape()) && sub.input(1).shape().equals(n.shape())) {
                    Node softmax = sub.input(0);
                    return new Match(Kind.SOFTMAX_CE_BACKWARD, List.of(softmax.input(0), sub.input(1), g, div.input(1)),
                            List.of(div, sub, softmax));
                }
            }
        }
        return null;
    }

    private static boolean single(Node n, int[] uses, boolean[] pinned) { return uses[n.id()] == 1 && !pinned[n.id()]; }

    private static boolean isRowOf(Shape bias, Shape x) {
        return x.rank() == 2 && bias.size() == x.dim(1) && bias.rank() >= 1 && bias.dim(-1) == x.dim(1);
    }
}
