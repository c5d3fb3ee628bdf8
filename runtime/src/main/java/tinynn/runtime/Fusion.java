package tinynn.runtime;

import java.util.ArrayList;
import java.util.List;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Binary;
import tinynn.ops.Conv2d;
import tinynn.ops.MaxPool2dGrad;
import tinynn.ops.Pad;
import tinynn.ops.ReluGrad;
import tinynn.ops.Slice;
import tinynn.ops.Unary;

/**
 * Patterns worth one pass instead of two. Forward: bias + ReLU, after a dense layer (a bias row) or a conv layer (one
 * bias per channel); for a conv layer whose output only the bias add reads, the convolution too (the bias and ReLU
 * then run on each image's output while the kernel has it in cache). Backward: the ReLU's gradient of a max pool's
 * gradient, when the pool read that ReLU's output (conv → ReLU → max-pool, as in LeNet): the pooled gradient goes
 * only to window maxima that are positive, and the full-size image is written once instead of twice. Other backward
 * kernels are ops of their own (relu_grad, softmax_cross_entropy_grad) that the gradient rules emit. Anywhere: a
 * concat, which the graph spells as a sum of pads (Ops.concat), becomes one copy per part into the output, reading
 * each part straight from the tensor it was sliced from (a recurrence's backward builds h_prev that way: five passes
 * over [N, T, H] become one). A fused node reads the pattern's outer inputs; the inner nodes it absorbs are never
 * computed, so they must have no other consumer.
 */
final class Fusion {
    private Fusion() {}

    /**
     * A fused computation replacing {@code node}: its real inputs and the nodes it absorbs; for a concat, where each
     * input goes (one part per input, in the same order).
     */
    record Match(Kind kind, List<Node> inputs, List<Node> absorbed, List<Part> parts) {
        Match(Kind kind, List<Node> inputs, List<Node> absorbed) { this(kind, inputs, absorbed, List.of()); }
    }

    /** A concat's part: the block of its input starting at {@code from}, copied to {@code at} in the output. */
    record Part(int[] from, int[] at, Shape block) {}

    enum Kind {
        BIAS_RELU, CHANNEL_BIAS_RELU, CONV_BIAS_RELU, MAX_POOL_GRAD_RELU, CONCAT;

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
        if (n.op() instanceof Binary b && b.kind() == Binary.Kind.ADD) {
            Match concat = concat(n, uses, pinned);
            if (concat != null) return concat;
        }
        if (n.op() instanceof ReluGrad) {
            Node pool = n.input(0), reluOut = n.input(1);
            if (pool.op() instanceof MaxPool2dGrad && single(pool, uses, pinned) && pool.input(0) == reluOut) {
                return new Match(Kind.MAX_POOL_GRAD_RELU, List.of(reluOut, pool.input(1)), List.of(pool));
            }
        }
        return null;
    }

    /**
     * A sum of pads whose placed blocks are disjoint and together cover the output (Ops.concat's form), each pad
     * and inner add read by nothing else; a pad's input that is a slice read only by it is read in place.
     */
    private static Match concat(Node sum, int[] uses, boolean[] pinned) {
        List<Node> pads = new ArrayList<>(), absorbed = new ArrayList<>();
        if (!collectPads(sum, sum.shape(), uses, pinned, pads, absorbed, true)) return null;
        Shape out = sum.shape();
        List<Node> inputs = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        long covered = 0;
        for (Node pad : pads) {
            Node src = pad.input(0);
            int[] at = ((Pad) pad.op()).lead(), from = new int[out.rank()];
            Shape block = src.shape();
            while (src.op() instanceof Slice sl && single(src, uses, pinned)) {
                int[] f = sl.from();
                for (int i = 0; i < from.length; i++) from[i] += f[i];
                absorbed.add(src);
                src = src.input(0);
            }
            for (Part p : parts) if (overlaps(p, at, block)) return null;
            covered += block.size();
            inputs.add(src);
            parts.add(new Part(from, at, block));
        }
        if (covered != out.size()) return null;
        return new Match(Kind.CONCAT, inputs, absorbed, parts);
    }

    /** The pads of an add tree (root included only as an add), in order; false if any leaf is not a single-use pad. */
    private static boolean collectPads(Node n, Shape out, int[] uses, boolean[] pinned, List<Node> pads, List<Node> absorbed, boolean root) {
        if (!n.shape().equals(out) || !root && !single(n, uses, pinned)) return false;
        if (n.op() instanceof Pad) {
            pads.add(n);
            absorbed.add(n);
            return true;
        }
        if (!(n.op() instanceof Binary b) || b.kind() != Binary.Kind.ADD) return false;
        if (!root) absorbed.add(n);
        return collectPads(n.input(0), out, uses, pinned, pads, absorbed, false)
                && collectPads(n.input(1), out, uses, pinned, pads, absorbed, false);
    }

    private static boolean overlaps(Part p, int[] at, Shape block) {
        for (int i = 0; i < at.length; i++) {
            if (at[i] >= p.at()[i] + p.block().dim(i) || p.at()[i] >= at[i] + block.dim(i)) return false;
        }
        return true;
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
