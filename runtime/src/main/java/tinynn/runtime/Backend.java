package tinynn.runtime;

import java.util.List;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.Binary;
import tinynn.ops.ConvGeometry;
import tinynn.ops.PoolWindow;
import tinynn.ops.Unary;

/**
 * The kernels a plan calls. Output tensors are allocated by the plan and passed in; kernels never
 * allocate in steady state. Shapes have been checked when the graph was built.
 */
public interface Backend extends AutoCloseable {

    /** Releases the backend's threads, if it has any of its own; kernels called afterwards run on the caller only. */
    @Override default void close() {}

    /** "ojalgo" or "simd". */
    String name();

    /** One line for `tinynn version`: threads, vector width, fallbacks. */
    String describe();

    default Tensor allocate(DType dtype, Shape shape) { return Tensor.zeros(dtype, shape); }

    /** c = op(a)·op(b) for row-major matrices. */
    void matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c);

    /** Elementwise with numpy broadcasting of a and b to out's shape. */
    void binary(Binary.Kind kind, Tensor a, Tensor b, Tensor out);

    void unary(Unary.Kind kind, Tensor x, Tensor out);

    /** out = x repeated to out's (broadcast-compatible) shape. */
    void broadcastTo(Tensor x, Tensor out);

    /** out = x summed over the axes where out is 1 or missing; covers sum reductions too. */
    void sumTo(Tensor x, Tensor out);

    /** Max over one axis; out has x's rank with that axis of size 1 (or removed). */
    void max(Tensor x, int axis, Tensor out);

    void transpose(Tensor x, Tensor out);

    void copy(Tensor x, Tensor out);

    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    void equal(Tensor a, Tensor b, Tensor out);

    /** Softmax over the last axis. */
    void softmax(Tensor x, Tensor out);

    /** Scalar mean over rows of −Σ y·log softmax(x). */
    void softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor out);

    /** The relu_grad op: out = y > 0 ? g : 0, the ReLU gradient given the ReLU's output y. */
    void reluBackward(Tensor g, Tensor y, Tensor out);

    /** The softmax_cross_entropy_grad op: out = (softmax(logits) − targets) · scale, with scale = g / N. */
    void softmaxCrossEntropyBackward(Tensor logits, Tensor targets, double scale, Tensor out);

    void fill(Tensor out, double value);

    // ---- convolution (see tinynn.ops.Conv2d): NCHW images, OIHW weights [O, C/groups, KH, KW] ----

    /** out [N, O, OH, OW] = x [N, C, H, W] cross-correlated with w; no bias (the layer adds it). */
    void conv2d(Tensor x, Tensor w, ConvGeometry g, Tensor out);

    /** dx [N, C, H, W] = d(conv2d)/dx applied to dy [N, O, OH, OW]; also conv_transpose2d's forward. */
    void conv2dGradInput(Tensor dy, Tensor w, ConvGeometry g, Tensor dx);

    /** dw [O, C/groups, KH, KW] = d(conv2d)/dw applied to dy, given the input x. */
    void conv2dGradWeight(Tensor x, Tensor dy, ConvGeometry g, Tensor dw);

    // ---- fused kernels: one pass where the primitives would take several (see Fusion) ----

    /** out = x + bias (bias [n] or [1, n] added to each row of x [m, n]), then max(·, 0) when relu. */
    void biasAdd(Tensor x, Tensor bias, boolean relu, Tensor out);

    /**
     * out = x + bias with one bias value per channel (bias [1, C, 1, 1] or [C, 1, 1] on x [N, C, H, W]: a conv layer's),
     * then max(·, 0) when relu. By default the two primitives; SimdBackend makes it one pass.
     */
    default void channelBiasAdd(Tensor x, Tensor bias, boolean relu, Tensor out) {
        binary(Binary.Kind.ADD, x, bias, out);
        if (relu) unary(Unary.Kind.RELU, out, out);
    }

    /**
     * out = relu(conv2d(x, w) + bias), bias one value per output channel: a conv layer with its bias and ReLU. By
     * default the convolution, then {@link #channelBiasAdd}; SimdBackend adds the bias and ReLU per image inside the
     * convolution.
     */
    default void conv2dBiasRelu(Tensor x, Tensor w, Tensor bias, ConvGeometry g, Tensor out) {
        conv2d(x, w, g, out);
        channelBiasAdd(out, bias, true, out);
    }

    void addN(List<Tensor> xs, Tensor out);

    /** In-place Adam step on one parameter (see {@link tinynn.runtime.optim.Adam} for the formula). */
    void adam(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2, double eps,
              double weightDecay, long t);

    /** In-place SGD with optional momentum buffer (null when momentum is 0). */
    void sgd(Tensor param, Tensor grad, Tensor velocity, double lr, double momentum, double weightDecay);

    // ---- pooling (see tinynn.ops.MaxPool2d and AvgPool2d): NCHW images, windows placed by a PoolWindow ----

    /** out [N, C, OH, OW] = the largest element of each window of x [N, C, H, W] (first on ties; NaN propagates). */
    void maxPool2d(Tensor x, PoolWindow w, Tensor out);

    /** The max_pool2d_grad op: dx shaped like x = each g added at the element its window of x takes, zero elsewhere. */
    void maxPool2dGrad(Tensor x, Tensor g, PoolWindow w, Tensor dx);

    /**
     * relu_grad(max_pool2d_grad(x, g), x) for x a ReLU's output: each g added at the element its window of x takes
     * when that element is positive. By default the two ops; SimdBackend makes it one pass.
     */
    default void maxPool2dGradRelu(Tensor x, Tensor g, PoolWindow w, Tensor dx) {
        maxPool2dGrad(x, g, w, dx);
        reluBackward(dx, x, dx);
    }

    /** The max_pool2d_gather op: out [N, C, OH, OW] = v (shaped like x) at the element each window of x takes. */
    void maxPool2dGather(Tensor x, Tensor v, PoolWindow w, Tensor out);

    /** out = the mean of each window of x, dividing by kernelH·kernelW when countIncludePad, else by the inputs covered. */
    void avgPool2d(Tensor x, PoolWindow w, boolean countIncludePad, Tensor out);

    /** The avg_pool2d_grad op: dx [N, C, H, W] = each g spread evenly over its window's inputs, zero where none reaches. */
    void avgPool2dGrad(Tensor g, PoolWindow w, boolean countIncludePad, Tensor dx);
    /** Inverted dropout of x with the counter-based mask of (rng = [seed high, seed low, step], stream); see tinynn.ops.Dropout. */
    void dropout(Tensor x, Tensor rng, double rate, long stream, Tensor out);

    // ---- embedding lookups (see tinynn.ops.Gather); ids are floats holding integers in [0, rows), checked by Gather.row ----

    /** out [..., D] = the rows of table [V, D] at ids [...]. */
    void gather(Tensor table, Tensor ids, Tensor out);

    /** The scatter_add op: out [V, D] = zeros, then row ids[p] += row p of g [..., D] for every position p. */
    void scatterAdd(Tensor ids, Tensor g, Tensor out);

    // ---- sequences (see tinynn.ops.Slice, Pad) ----

    /** out = x[begin : begin + out's dims] on every axis. */
    void slice(Tensor x, int[] begin, Tensor out);

    /** out = zeros with x placed at offset before (per axis). */
    void pad(Tensor x, int[] before, Tensor out);

    /**
     * dst[at : at + block] = src[from : from + block] on every axis; the rest of dst is left as it is. A concat
     * (a sum of pads that tile their output, see {@code Fusion}) is one such copy per part.
     */
    void copyBlock(Tensor src, int[] from, Tensor dst, int[] at, Shape block);

    // ---- recurrences (see tinynn.ops.Recurrence and RecurrenceGrad; equations in docs/rnn.md) ----

    /** ws [N, T, S] = the recurrence of kind over xp [N, T, G·H] with wHh [H, G·H] from h0 [N, H] (c0: LSTM, bHh: GRU; else null). */
    void recurrence(tinynn.ops.Recurrence.Kind kind, boolean reverse, Tensor xp, Tensor wHh, Tensor h0, Tensor c0OrNull, Tensor bHhOrNull, Tensor ws);

    /** out [N, T+1, P] = backpropagation through time from the workspace ws and its gradient dws (c0: LSTM, else null). */
    void recurrenceGrad(tinynn.ops.Recurrence.Kind kind, boolean reverse, Tensor ws, Tensor dws, Tensor wHh, Tensor h0, Tensor c0OrNull, Tensor out);
}
