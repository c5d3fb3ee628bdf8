package tinynn.runtime;

import java.util.List;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Binary;
import tinynn.ops.Conv2d;
import tinynn.ops.MaxPool2dGrad;
import tinynn.ops.ReluGrad;
import tinynn.ops.Unary;

/**
 * Patterns worth one pass instead of two. Forward: bias + ReLU, after a dense layer (a bias row) or a conv layer (one
 * bias per channel); for a conv layer whose output only the bias add reads, the convolution too (the bias and ReLU
 * then run on each image's output while the kernel has it in cache). Backward: the ReLU's gradient of a max pool's
 * gradient, when the pool read that ReLU's output (conv → ReLU → max-pool, as in LeNet): the pooled gradient goes
 * only to window maxima that are positive, and the full-size image is written once instead of twice. Other backward
 * kernels are ops of their own (relu_grad, softmax_cross_entropy_grad) that the gradient rules emit. A fused node
 * reads the pattern's outer inputs; the inner nodes it absorbs are never computed, so they must have no other consumer.
 */
final class Fusion {
    private Fusion() {}

    /** A fused computation replacing {@code node}: its real inputs and the nodes it absorbs. */
    record Match(Kind kind, List<Node> inputs, List<Node> absorbed) {}

    enum Kind {
        BIAS_RELU, CHANNEL_BIAS_RELU, CONV_BIAS_RELU, MAX_POOL_GRAD_RELU;

        /** The name {@link Plan#kernelCounts()} reports. */
        String type() { return name().toLowerCase(); }
    }

    /** @param uses consumers of each node within the plan; @param pinned nodes that must stay computed */
    static Match match(Node n, int[] uses, boolean[] pinned) {
        if (n.op() instanceof Unary u && u.kind() == Unary.Kind.RELU) {
            Node add = n.input(0);
            if (add.op() instanceof Binary b && b.kind() == Binary.Kind.ADD && single(add, uses, pinned)
                    && add.input(0).shape().equals(add.shape())) {
                Shape bias = add.input(1).shape();
                Kind kind = isRowOf(bias, add.shape()) ? Kind.BIAS_RELU : isChannelOf(bias, add.shape()) ? Kind.CHANNEL_BIAS_RELU : null;
                Node conv = add.input(0);
                if (kind == Kind.CHANNEL_BIAS_RELU && conv.op() instanceof Conv2d && single(conv, uses, pinned)) {
                    return new Match(Kind.CONV_BIAS_RELU, List.of(conv.input(0), conv.input(1), add.input(1)), List.of(add, conv));
                }
                if (kind != null) return new Match(kind, List.of(add.input(0), add.input(1)), List.of(add));
            }
        }
        if (n.op() instanceof ReluGrad) {
            Node pool = n.input(0), reluOut = n.input(1);
            if (pool.op() instanceof MaxPool2dGrad && single(pool, uses, pinned) && pool.input(0) == reluOut) {
                return new Match(Kind.MAX_POOL_GRAD_RELU, List.of(reluOut, pool.input(1)), List.of(pool));
            }
        }
        return null;
    }

    private static boolean single(Node n, int[] uses, boolean[] pinned) { return uses[n.id()] == 1 && !pinned[n.id()]; }

    /** bias [1, C, 1, 1] or [C, 1, 1] (one value per channel, axis 1) on x [N, C, H, W] or another rank-3+ x. */
    private static boolean isChannelOf(Shape bias, Shape x) {
        int r = x.rank(), k = bias.rank();
        if (r < 3 || k < r - 1 || k > r) return false;   // the bias must reach back to axis 1
        for (int i = 0; i < k; i++) {
            int axis = r - k + i;
            if (bias.dim(i) != (axis == 1 ? x.dim(1) : 1)) return false;
        }
        return true;
    }

    private static boolean isRowOf(Shape bias, Shape x) {
        return x.rank() == 2 && bias.size() == x.dim(1) && bias.rank() >= 1 && bias.dim(-1) == x.dim(1);
    }
}
