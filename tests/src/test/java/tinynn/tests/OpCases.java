package tinynn.tests;

import static tinynn.tests.OpCases.Input.between;
import static tinynn.tests.OpCases.Input.of;

import java.util.List;
import java.util.function.Function;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.ConvGeometry;
import tinynn.ops.Ops;
import tinynn.ops.PoolWindow;
import tinynn.ops.Recurrence;
import tinynn.ops.nn.Recurrent;

/**
 * Every primitive and kind on each fast backend against the reference backend (values and gradients);
 * {@link PrimitiveContractTest} fails when a primitive or kind appears in no case, so a new op adds its
 * line here. Its gradient check lives beside it in the ops module.
 */
final class OpCases {
    private OpCases() {}

    /** An input: its shape and the range its values are drawn from. */
    record Input(String name, Shape shape, double low, double high) {
        static Input between(String name, double low, double high, int... dims) { return new Input(name, Shape.of(dims), low, high); }
        static Input of(String name, int... dims) { return between(name, -1, 1, dims); }
    }

    record Case(String name, Function<List<Node>, Node> f, Input... inputs) {
        @Override public String toString() { return name; }
    }

    private static Case c(String name, Function<List<Node>, Node> f, Input... inputs) { return new Case(name, f, inputs); }

    /** Shapes large enough to reach the vector loops and their tails. */
    static List<Case> backends() {
        return List.of(
                c("matmul", x -> Ops.matmul(x.get(0), x.get(1)), of("a", 37, 21), of("b", 21, 19)),
                c("matmul aᵀ", x -> Ops.matmul(x.get(0), x.get(1), true, false), of("a", 64, 33), of("b", 64, 70)),
                c("matmul bᵀ", x -> Ops.matmul(x.get(0), x.get(1), false, true), of("a", 50, 40), of("b", 35, 40)),
                c("bias+relu", x -> Ops.relu(Ops.add(x.get(0), x.get(1))), of("x", 13, 29), of("b", 1, 29)),
                c("add/sub/mul", x -> Ops.mul(Ops.sub(x.get(0), x.get(1)), Ops.add(x.get(0), x.get(1))), of("a", 7, 33), of("b", 7, 33)),
                c("div", x -> Ops.div(x.get(0), x.get(1)), of("a", 7, 33), between("b", 0.5, 2.0, 7, 33)),
                c("relu", x -> Ops.relu(x.get(0)), of("x", 9, 35)),
                c("neg·exp·log", x -> Ops.neg(Ops.mul(Ops.exp(x.get(0)), Ops.log(x.get(1)))), of("x", 5, 19), between("y", 0.2, 3.0, 5, 19)),
                c("sqrt·abs", x -> Ops.mul(Ops.sqrt(x.get(1)), Ops.abs(x.get(0))), of("x", 6, 21), between("y", 0.2, 3.0, 6, 21)),
                c("step·sign", x -> Ops.mul(Ops.step(x.get(0)), Ops.add(Ops.sign(x.get(0)), x.get(0))), of("x", 6, 21)),
                c("tanh·sigmoid", x -> Ops.mul(Ops.tanh(x.get(0)), Ops.sigmoid(x.get(0))), of("x", 5, 18)),
                c("erf·expm1", x -> Ops.mul(Ops.erf(x.get(0)), Ops.expm1(x.get(1))), between("x", -3.0, 3.0, 5, 19), of("y", 5, 19)),
                c("softmax", x -> Ops.softmax(x.get(0)), of("x", 9, 21)),
                c("softmax-CE", x -> Ops.softmaxCrossEntropy(x.get(0), Ops.softmax(x.get(1))), of("x", 17, 10), of("t", 17, 10)),
                c("sum rows", x -> Ops.sumTo(x.get(0), Shape.of(1, 45)), of("x", 31, 45)),
                c("sum axes", x -> Ops.sum(x.get(0), true, 0, 2), of("x", 4, 5, 6)),
                c("max", x -> Ops.max(x.get(0), 1, false), of("x", 4, 5, 6)),
                c("broadcast_to·reshape", x -> Ops.reshape(Ops.broadcastTo(x.get(0), Shape.of(3, 7, 5)), Shape.of(21, 5)), of("x", 7, 1)),
                c("transpose", x -> Ops.transpose(x.get(0)), of("x", 11, 7)),
                c("where·equal", x -> Ops.where(Ops.equal(x.get(0), Ops.broadcastTo(Ops.max(x.get(0), 1, true), Shape.of(6, 9))), x.get(0), x.get(1)),
                        of("x", 6, 9), of("y", 6, 9)),
                c("softmax_cross_entropy_grad", x -> Ops.softmaxCrossEntropyGrad(x.get(0), Ops.softmax(x.get(1)), Ops.sumAll(x.get(2))),
                        of("x", 17, 10), of("t", 17, 10), of("g", 3)),
                // The gradient brings in conv_transpose2d and conv2d_grad_weight; stride 1 and 2, groups, dilation, padding.
                c("conv2d", x -> Ops.conv2d(x.get(0), x.get(1), new ConvGeometry(1, 1, 2, 2, 2, 2, 1, 1, 1)), of("x", 3, 3, 11, 13), of("w", 5, 3, 5, 5)),
                c("conv2d strided groups", x -> Ops.conv2d(x.get(0), x.get(1), new ConvGeometry(2, 3, 1, 0, 2, 1, 2, 1, 2)),
                        of("x", 2, 4, 12, 10), of("w", 6, 2, 3, 4)),
                c("conv_transpose2d", x -> Ops.convTranspose2d(x.get(0), x.get(1), new ConvGeometry(2, 2, 1, 1, 0, 0, 1, 1, 1), 14, 12),
                        of("dy", 2, 3, 7, 6), of("w", 3, 4, 3, 3)),
                // LeNet's 2×2 stride-2 case (the SIMD fast path, with an odd width left over) and a general window.
                c("max_pool2d 2×2", x -> Ops.maxPool2d(x.get(0), PoolWindow.of(2)), of("x", 3, 5, 12, 11)),
                c("max_pool2d", x -> Ops.maxPool2d(x.get(0), POOL), of("x", 2, 3, 9, 8)),
                c("max_pool2d_gather", x -> Ops.maxPool2dGather(x.get(0), x.get(1), POOL), of("x", 2, 3, 9, 8), of("v", 2, 3, 9, 8)),
                c("avg_pool2d 2×2", x -> Ops.avgPool2d(x.get(0), PoolWindow.of(2), true), of("x", 3, 5, 12, 11)),
                c("avg_pool2d", x -> Ops.avgPool2d(x.get(0), POOL, false), of("x", 2, 3, 9, 8)),
                c("avg_pool2d (count pad)", x -> Ops.avgPool2d(x.get(0), POOL, true), of("x", 2, 3, 9, 8)),
                c("dropout", x -> Ops.dropout(x.get(0), x.get(0).graph().constant(new double[] {1, 99, 4}, tinynn.graph.DType.F64, Shape.of(3)), 0.4, 11),
                        of("x", 9, 37)),
                // Not a primitive of its own: the broadcasting arithmetic and reductions batch norm is made of, on NCHW.
                c("batch_norm (composite)", x -> tinynn.ops.Normalize.overAxes(x.get(0), Ops.reshape(x.get(1), Shape.of(1, 3, 1, 1)),
                        Ops.reshape(x.get(2), Shape.of(1, 3, 1, 1)), 1e-5, 0, 2, 3).y(), of("x", 4, 3, 5, 7), between("gamma", 0.5, 2.0, 3), of("beta", 3)),
                c("broadcast sub/div·sum", x -> Ops.sum(Ops.div(Ops.sub(x.get(0), x.get(2)), x.get(1)), true, 0, 3),
                        of("a", 4, 3, 5, 7), between("b", 0.5, 2.0, 3, 1, 1), of("c", 5, 1)),
                // Slices and pads on inner axes, the last axis and all axes at once; concat is their composite.
                c("slice", x -> Ops.slice(x.get(0), new int[] {1, 2, 3}, new int[] {4, 7, 20}), of("x", 5, 8, 21)),
                c("pad", x -> Ops.pad(x.get(0), new int[] {0, 3, 1}, new int[] {2, 0, 5}), of("x", 3, 4, 17)),
                c("concat", x -> Ops.concat(-1, x.get(0), x.get(1)), of("a", 4, 3, 9), of("b", 4, 3, 5)),
                // Each cell forward and backward (recurrence_grad, the dW_hh GEMM, dh0/dc0/db_hh), both directions.
                c("recurrence rnn_tanh", x -> Ops.recurrence(Recurrence.Kind.RNN_TANH, false, x.get(0), x.get(1), x.get(2), null),
                        of("xp", 5, 4, 9), between("w_hh", -0.5, 0.5, 9, 9), of("h0", 5, 9)),
                c("recurrence rnn_relu reverse", x -> Ops.recurrence(Recurrence.Kind.RNN_RELU, true, x.get(0), x.get(1), x.get(2), null),
                        of("xp", 5, 4, 9), between("w_hh", -0.5, 0.5, 9, 9), of("h0", 5, 9)),
                c("recurrence lstm", x -> Ops.recurrence(Recurrence.Kind.LSTM, false, x.get(0), x.get(1), x.get(2), x.get(3)),
                        of("xp", 3, 5, 4 * 7), between("w_hh", -0.5, 0.5, 7, 4 * 7), of("h0", 3, 7), of("c0", 3, 7)),
                c("recurrence lstm reverse", x -> Ops.recurrence(Recurrence.Kind.LSTM, true, x.get(0), x.get(1), x.get(2), x.get(3)),
                        of("xp", 3, 5, 4 * 7), between("w_hh", -0.5, 0.5, 7, 4 * 7), of("h0", 3, 7), of("c0", 3, 7)),
                c("recurrence gru", x -> Ops.recurrence(Recurrence.Kind.GRU, false, x.get(0), x.get(1), x.get(2), x.get(3)),
                        of("xp", 3, 5, 3 * 7), between("w_hh", -0.5, 0.5, 7, 3 * 7), of("h0", 3, 7), of("b_hh", 1, 3 * 7)),
                c("recurrence gru reverse", x -> Ops.recurrence(Recurrence.Kind.GRU, true, x.get(0), x.get(1), x.get(2), x.get(3)),
                        of("xp", 3, 5, 3 * 7), between("w_hh", -0.5, 0.5, 7, 3 * 7), of("h0", 3, 7), of("b_hh", 1, 3 * 7)),
                // A whole bidirectional lstm layer from zero state, its weights as inputs: input GEMM, slices, the concat.
                c("lstm layer bidirectional", x -> Recurrent.lstm(6, true, true).apply(x.get(0),
                                new Recurrent.Weights(x.get(1), x.get(2), x.get(3), null), new Recurrent.Weights(x.get(4), x.get(5), x.get(6), null), null, null).output(),
                        of("x", 4, 6, 5), of("w_ih", 5, 24), between("w_hh", -0.5, 0.5, 6, 24), of("b", 1, 24),
                        of("w_ih_r", 5, 24), between("w_hh_r", -0.5, 0.5, 6, 24), of("b_r", 1, 24)));
    }

    /** 3×2 windows, stride [2, 1], padding top 1 and right 1: overlapping, non-square, not tiling the image. */
    static final PoolWindow POOL = new PoolWindow(3, 2, 2, 1, 1, 0, 0, 1);
}
