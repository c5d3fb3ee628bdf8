package tinynn.ops;

import static tinynn.ops.GradCheck.Input.between;
import static tinynn.ops.GradCheck.Input.distinct;
import static tinynn.ops.GradCheck.Input.of;

import java.util.List;
import java.util.function.Function;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.GradCheck.Input;

/**
 * One fixed-shape gradient check for every primitive and every kind; {@link GradientContractTest} fails
 * when a primitive or kind has none, so a new op adds its line here.
 */
final class OpCases {
    private OpCases() {}

    record Case(String name, Function<List<Node>, Node> f, Input... inputs) {
        @Override public String toString() { return name; }
    }

    /** Stride [2, 1], padding [top 1, left 0, bottom 0, right 1], dilation [1, 2], groups 2. */
    static final ConvGeometry CONV = new ConvGeometry(2, 1, 1, 0, 0, 1, 1, 2, 2);

    private static Case c(String name, Function<List<Node>, Node> f, Input... inputs) { return new Case(name, f, inputs); }

    /** Small shapes, values kept away from kinks where a derivative does not exist. */
    static List<Case> gradients() {
        return List.of(
                c("matmul", x -> Ops.matmul(x.get(0), x.get(1), false, true), of("a", 3, 4), of("b", 2, 4)),
                c("add", x -> Ops.add(x.get(0), x.get(1)), of("a", 3, 4), of("b", 4)),
                c("sub", x -> Ops.sub(x.get(0), x.get(1)), of("a", 3, 4), of("b", 3, 1)),
                c("mul", x -> Ops.mul(x.get(0), x.get(1)), of("a", 3, 4), of("b", 1, 4)),
                c("div", x -> Ops.div(x.get(0), x.get(1)), of("a", 3, 4), between("b", 0.5, 2.0, 3, 4)),
                c("neg", x -> Ops.neg(x.get(0)), of("x", 3, 4)),
                c("exp", x -> Ops.exp(x.get(0)), of("x", 3, 4)),
                c("log", x -> Ops.log(x.get(0)), between("x", 0.2, 3.0, 3, 4)),
                c("relu", x -> Ops.relu(x.get(0)), between("x", 0.1, 2.0, 3, 4)),
                c("step", x -> Ops.mul(Ops.step(x.get(0)), x.get(1)), between("x", 0.1, 2.0, 3, 4), of("y", 3, 4)),
                c("sign", x -> Ops.mul(Ops.sign(x.get(0)), x.get(1)), between("x", -2.0, -0.1, 3, 4), of("y", 3, 4)),
                c("abs", x -> Ops.abs(x.get(0)), between("x", -2.0, -0.1, 3, 4)),
                c("sqrt", x -> Ops.sqrt(x.get(0)), between("x", 0.2, 3.0, 3, 4)),
                c("tanh", x -> Ops.tanh(x.get(0)), of("x", 3, 4)),
                c("sigmoid", x -> Ops.sigmoid(x.get(0)), of("x", 3, 4)),
                c("erf", x -> Ops.erf(x.get(0)), between("x", -3.0, 3.0, 3, 4)),
                c("expm1", x -> Ops.expm1(x.get(0)), of("x", 3, 4)),
                c("sum", x -> Ops.sum(x.get(0), false, 0, 2), of("x", 2, 3, 4)),
                c("max", x -> Ops.max(x.get(0), 1, true), distinct("x", 2, 3, 4)),
                c("broadcast_to", x -> Ops.broadcastTo(x.get(0), Shape.of(2, 3, 4)), of("x", 3, 1)),
                c("sum_to", x -> Ops.sumTo(x.get(0), Shape.of(1, 4)), of("x", 2, 3, 4)),
                c("transpose", x -> Ops.transpose(x.get(0)), of("x", 3, 4)),
                c("reshape", x -> Ops.reshape(x.get(0), Shape.of(4, 3)), of("x", 3, 4)),
                c("where", x -> Ops.where(Ops.step(x.get(0)), x.get(1), x.get(2)), of("c", 3, 4), of("a", 3, 4), of("b", 3, 4)),
                c("equal", x -> Ops.mul(Ops.equal(x.get(0), Ops.reshape(Ops.max(x.get(0), 1, false), Shape.of(3, 1))), x.get(0)), distinct("x", 3, 4)),
                c("softmax", x -> Ops.softmax(x.get(0)), between("x", -4.0, 4.0, 3, 4)),
                c("softmax_cross_entropy", x -> Ops.softmaxCrossEntropy(x.get(0), Ops.softmax(x.get(1))), between("x", -4.0, 4.0, 3, 4), of("t", 3, 4)),
                c("relu_grad", x -> Ops.reluGrad(x.get(0), x.get(1)), of("g", 3, 4), between("y", 0.1, 2.0, 3, 4)),
                c("relu_grad (masked)", x -> Ops.reluGrad(x.get(0), x.get(1)), of("g", 3, 4), between("y", -2.0, -0.1, 3, 4)),
                c("softmax_cross_entropy_grad", x -> Ops.softmaxCrossEntropyGrad(x.get(0), Ops.softmax(x.get(1)), Ops.sumAll(x.get(2))),
                        between("x", -4.0, 4.0, 3, 4), of("t", 3, 4), of("g", 2)),
                // Stride, asymmetric padding, dilation and two groups at once; each convolution primitive on its own.
                c("conv2d", x -> Ops.conv2d(x.get(0), x.get(1), CONV), of("x", 2, 4, 6, 5), of("w", 4, 2, 3, 2)),
                c("conv_transpose2d", x -> Ops.convTranspose2d(x.get(0), x.get(1), CONV, 6, 5), of("dy", 2, 4, 3, 4), of("w", 4, 2, 3, 2)),
                c("conv2d_grad_weight", x -> Ops.conv2dGradWeight(x.get(0), x.get(1), CONV, 3, 2), of("x", 2, 4, 6, 5), of("dy", 2, 4, 3, 4)),
                c("max_pool2d", x -> Ops.maxPool2d(x.get(0), POOL), distinct("x", 2, 2, 5, 4)),
                c("max_pool2d_grad", x -> Ops.maxPool2dGrad(x.get(0), x.get(1), POOL), distinct("x", 2, 2, 5, 4), of("g", 2, 2, 2, 4)),
                c("max_pool2d_gather", x -> Ops.maxPool2dGather(x.get(0), x.get(1), POOL), distinct("x", 2, 2, 5, 4), of("v", 2, 2, 5, 4)),
                c("avg_pool2d", x -> Ops.avgPool2d(x.get(0), POOL, true), of("x", 2, 2, 5, 4)),
                c("avg_pool2d_grad", x -> Ops.avgPool2dGrad(x.get(0), POOL, false, 5, 4), of("g", 2, 2, 2, 4)),
                // A fixed random state: the mask is a constant of the function, so finite differences see it too.
                c("dropout", x -> Ops.dropout(x.get(0), randomState(x.get(0), 3), 0.3, 7), of("x", 4, 5)),
                // Repeated ids (1 three times) must add their gradients into one row; id 2 is never read.
                c("gather", x -> Ops.gather(x.get(0), ids(x.get(0))), of("table", 5, 3)),
                c("scatter_add", x -> Ops.scatterAdd(ids(x.get(0)), x.get(0), 5), of("g", 2, 3, 3)),
                c("slice", x -> Ops.slice(x.get(0), new int[] {1, 0, 2}, new int[] {3, 2, 4}), of("x", 3, 2, 5)),
                c("pad", x -> Ops.pad(x.get(0), new int[] {1, 0, 2}, new int[] {0, 2, 1}), of("x", 2, 3, 2)),
                c("concat", x -> Ops.concat(1, x.get(0), x.get(1), x.get(0)), of("a", 2, 3, 2), of("b", 2, 1, 2)),
                // The whole workspace is the output, so the check weights every column (h, c, gates, hn) of dws.
                c("recurrence rnn_tanh", x -> Ops.recurrence(Recurrence.Kind.RNN_TANH, false, x.get(0), x.get(1), x.get(2), null),
                        of("xp", 2, 3, 3), between("w_hh", -0.7, 0.7, 3, 3), of("h0", 2, 3)),
                c("recurrence rnn_relu (reverse)", x -> Ops.recurrence(Recurrence.Kind.RNN_RELU, true, x.get(0), x.get(1), x.get(2), null),
                        between("xp", 0.1, 1.0, 2, 3, 3), between("w_hh", 0.1, 0.7, 3, 3), between("h0", 0.1, 1.0, 2, 3)),
                c("recurrence lstm", x -> Ops.recurrence(Recurrence.Kind.LSTM, false, x.get(0), x.get(1), x.get(2), x.get(3)),
                        of("xp", 2, 3, 8), of("w_hh", 2, 8), of("h0", 2, 2), of("c0", 2, 2)),
                c("recurrence gru (reverse)", x -> Ops.recurrence(Recurrence.Kind.GRU, true, x.get(0), x.get(1), x.get(2), x.get(3)),
                        of("xp", 2, 3, 6), of("w_hh", 2, 6), of("h0", 2, 2), of("b_hh", 1, 6)),
                // recurrence_grad has no gradient of its own (second derivatives are refused); the recurrence cases above
                // check it. Here it runs on constant inputs, so the check sees its reference forward only.
                firstOrderOnly(Recurrence.Kind.RNN_TANH), firstOrderOnly(Recurrence.Kind.RNN_RELU),
                firstOrderOnly(Recurrence.Kind.LSTM), firstOrderOnly(Recurrence.Kind.GRU));
    }

    /** x ⊙ Σ recurrence_grad(constants): the op is in the graph, but off the path autodiff differentiates. */
    private static Case firstOrderOnly(Recurrence.Kind kind) {
        return c("recurrence_grad " + kind.label() + " (constant inputs)", x -> {
            var g = x.get(0).graph();
            int n = 2, t = 3, h = 2;
            Node ws = constant(g, n, t, kind.width() * h), dws = constant(g, n, t, kind.width() * h);
            Node c0 = kind == Recurrence.Kind.LSTM ? constant(g, n, h) : null;
            Node grad = Ops.recurrenceGrad(kind, false, ws, dws, constant(g, h, kind.gates() * h), constant(g, n, h), c0);
            return Ops.mul(x.get(0), Ops.sumAll(grad));
        }, of("x", 2));
    }

    private static Node constant(tinynn.graph.Graph g, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.elements()];
        for (int i = 0; i < v.length; i++) v[i] = 0.9 * Math.sin(1.7 * i + dims.length);
        return g.constant(v, tinynn.graph.DType.F64, s);
    }

    /** Token ids [2, 3] for a 5-row table, with a repeat: 1 appears three times, 2 never. */
    static Node ids(Node like) {
        return like.graph().constant(new double[] {1, 3, 1, 0, 4, 1}, like.dtype(), Shape.of(2, 3));
    }

    /** A fixed [seed high, seed low, step] input for dropout. */
    static Node randomState(Node like, long step) {
        return like.graph().constant(new double[] {0, 12345, step}, tinynn.graph.DType.F64, Shape.of(3));
    }

    /**
     * 3×2 windows, stride [2, 1], padding top 1 and right 1: overlapping, non-square, and leaving the last row of
     * a 5×4 image uncovered; the pooled shape is [2, 2, 2, 4].
     */
    static final PoolWindow POOL = new PoolWindow(3, 2, 2, 1, 1, 0, 0, 1);
}
