package tinynn.ops;

import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * The functional face of the ops: each call adds one node to its inputs' graph. Primitives map
 * to one op; composites (mean, log-softmax, ...) are built from primitives and need no gradient
 * rule of their own.
 */
public final class Ops {
    private Ops() {}

    private static Node add(tinynn.graph.Op op, Node... in) { return in[0].graph().add(op, in); }

    // ---- primitives ----

    public static Node matmul(Node a, Node b) { return matmul(a, b, false, false); }

    public static Node matmul(Node a, Node b, boolean transA, boolean transB) { return add(new MatMul(transA, transB), a, b); }

    public static Node add(Node a, Node b) { return add(new Binary(Binary.Kind.ADD), a, b); }

    public static Node sub(Node a, Node b) { return add(new Binary(Binary.Kind.SUB), a, b); }

    public static Node mul(Node a, Node b) { return add(new Binary(Binary.Kind.MUL), a, b); }

    public static Node div(Node a, Node b) { return add(new Binary(Binary.Kind.DIV), a, b); }

    public static Node neg(Node x) { return add(new Unary(Unary.Kind.NEG), x); }

    public static Node exp(Node x) { return add(new Unary(Unary.Kind.EXP), x); }

    public static Node log(Node x) { return add(new Unary(Unary.Kind.LOG), x); }

    public static Node relu(Node x) { return add(new Unary(Unary.Kind.RELU), x); }

    /** 1 where x > 0, else 0. */
    public static Node step(Node x) { return add(new Unary(Unary.Kind.STEP), x); }

    public static Node sign(Node x) { return add(new Unary(Unary.Kind.SIGN), x); }

    public static Node abs(Node x) { return add(new Unary(Unary.Kind.ABS), x); }

    public static Node sqrt(Node x) { return add(new Unary(Unary.Kind.SQRT), x); }

    public static Node tanh(Node x) { return add(new Unary(Unary.Kind.TANH), x); }

    public static Node sigmoid(Node x) { return add(new Unary(Unary.Kind.SIGMOID), x); }

    /** The Gauss error function, 2/√π ∫₀ˣ e^(−t²) dt. */
    public static Node erf(Node x) { return add(new Unary(Unary.Kind.ERF), x); }

    /** eˣ − 1, exact near 0 where exp(x) − 1 cancels. */
    public static Node expm1(Node x) { return add(new Unary(Unary.Kind.EXPM1), x); }

    /** Sum over the given axes (all axes when none are given). */
    public static Node sum(Node x, boolean keepDims, int... axes) {
        int[] ax = axes.length == 0 ? allAxes(x.shape()) : Sum.Axes.normalize(x.shape(), axes);
        return add(new Sum(ax, keepDims), x);
    }

    public static Node max(Node x, int axis, boolean keepDims) {
        int a = Sum.Axes.normalize(x.shape(), axis)[0];
        return add(new Max(a, keepDims), x);
    }

    public static Node broadcastTo(Node x, Shape shape) { return x.shape().equals(shape) ? x : add(new BroadcastTo(shape), x); }

    public static Node sumTo(Node x, Shape shape) { return x.shape().equals(shape) ? x : add(new SumTo(shape), x); }

    public static Node transpose(Node x) { return add(new Transpose(), x); }

    public static Node reshape(Node x, Shape shape) { return x.shape().equals(shape) ? x : add(new Reshape(shape), x); }

    public static Node where(Node cond, Node a, Node b) { return add(new Where(), cond, a, b); }

    public static Node equal(Node a, Node b) { return add(new Equal(), a, b); }

    public static Node softmax(Node x) { return add(new Softmax(), x); }

    public static Node softmaxCrossEntropy(Node logits, Node onehot) { return add(new SoftmaxCrossEntropy(), logits, onehot); }

    /**
     * Inverted dropout of x with the mask of (rng, stream) (see {@link Dropout}); rng is a training graph's
     * {@link tinynn.graph.Graph#randomState}, stream tells layers apart.
     */
    public static Node dropout(Node x, Node rng, double rate, long stream) { return add(new Dropout(rate, stream), x, rng); }

    /** x[begin:end] on every axis; x itself when that is all of it. */
    public static Node slice(Node x, int[] begin, int[] end) {
        if (java.util.Arrays.equals(begin, new int[begin.length]) && java.util.Arrays.equals(end, x.shape().dims())) return x;
        return add(new Slice(begin, end), x);
    }

    /** x[..., from:to, ...] on one axis (negative axes count from the end). */
    public static Node slice(Node x, int axis, int from, int to) {
        Shape s = x.shape();
        int a = Sum.Axes.normalize(s, axis)[0];
        int[] begin = new int[s.rank()], end = s.dims();
        begin[a] = from;
        end[a] = to;
        return slice(x, begin, end);
    }

    /** x with before[i] zeros ahead of axis i and after[i] behind it; x itself when there are none. */
    public static Node pad(Node x, int[] before, int[] after) {
        int[] none = new int[before.length];
        if (java.util.Arrays.equals(before, none) && java.util.Arrays.equals(after, none)) return x;
        return add(new Pad(before, after), x);
    }

    /** x with zeros ahead of and behind one axis. */
    public static Node pad(Node x, int axis, int before, int after) {
        Shape s = x.shape();
        int a = Sum.Axes.normalize(s, axis)[0];
        int[] b = new int[s.rank()], e = new int[s.rank()];
        b[a] = before;
        e[a] = after;
        return pad(x, b, e);
    }

    /**
     * The inputs joined along one axis, built as tinygrad's cat: each padded with zeros to the full size and the
     * pads added. No primitive of its own: the gradient of each part is a slice.
     */
    public static Node concat(int axis, Node... xs) {
        if (xs.length == 0) throw new tinynn.graph.GraphException("concat: needs at least one input");
        Shape first = xs[0].shape();
        int a = Sum.Axes.normalize(first, axis)[0], total = 0;
        for (Node x : xs) {
            Shape s = x.shape();
            if (s.rank() != first.rank() || !s.with(a, 0).equals(first.with(a, 0))) {
                throw new tinynn.graph.GraphException("concat: " + s + " does not match " + first + " outside axis " + a + "; make the other axes equal");
            }
            total += s.dim(a);
        }
        Node sum = null;
        for (int i = 0, at = 0; i < xs.length; at += xs[i].shape().dim(a), i++) {
            Node part = pad(xs[i], a, at, total - at - xs[i].shape().dim(a));
            sum = sum == null ? part : add(sum, part);
        }
        return sum;
    }

    /**
     * The recurrence of a recurrent layer over xp [N, T, G·H] (the input projection with its bias) with recurrent
     * weights wHh [H, G·H] from state h0 [N, H]; {@code extra} is c0 [N, H] for LSTM, b_hh [1, G·H] for GRU, null
     * otherwise. Returns the workspace [N, T, S] (see {@link Recurrence}); its first H columns are the outputs.
     */
    public static Node recurrence(Recurrence.Kind kind, boolean reverse, Node xp, Node wHh, Node h0, Node extra) {
        Recurrence r = new Recurrence(kind, wHh.shape().dim(0), reverse);
        return extra == null ? add(r, xp, wHh, h0) : add(r, xp, wHh, h0, extra);
    }

    // ---- backward primitives, emitted by gradient rules ----

    /** g where y > 0, else 0: the ReLU's gradient given its output y. */
    public static Node reluGrad(Node g, Node y) { return add(new ReluGrad(), g, y); }

    /** (softmax(logits) − onehot) · g / batch, for a scalar upstream gradient g. */
    public static Node softmaxCrossEntropyGrad(Node logits, Node onehot, Node g) {
        return add(new SoftmaxCrossEntropyGrad(), logits, onehot, g);
    }

    /** The recurrence's backward pass given its workspace ws and the workspace's gradient dws (see {@link RecurrenceGrad}). */
    public static Node recurrenceGrad(Recurrence.Kind kind, boolean reverse, Node ws, Node dws, Node wHh, Node h0, Node c0) {
        RecurrenceGrad r = new RecurrenceGrad(kind, wHh.shape().dim(0), reverse);
        return c0 == null ? add(r, ws, dws, wHh, h0) : add(r, ws, dws, wHh, h0, c0);
    }

    // ---- convolution (NCHW images, OIHW weights; see Conv2d) ----

    /** x [N, C, H, W] cross-correlated with w [O, C/groups, KH, KW]; no bias. */
    public static Node conv2d(Node x, Node w, ConvGeometry g) { return add(new Conv2d(g), x, w); }

    /** conv2d's input gradient for an image of [outH, outW]: dy [N, O, OH, OW] and w give [N, C, outH, outW]. */
    public static Node convTranspose2d(Node dy, Node w, ConvGeometry g, int outH, int outW) {
        return add(new ConvTranspose2d(g, outH, outW), dy, w);
    }

    /** conv2d's weight gradient: x and dy give dw [O, C/groups, kh, kw]. */
    public static Node conv2dGradWeight(Node x, Node dy, ConvGeometry g, int kh, int kw) {
        return add(new Conv2dGradWeight(g, kh, kw), x, dy);
    }

    // ---- constants ----

    /** A scalar constant in x's graph and dtype; broadcasting does the rest. */
    public static Node scalar(Node x, double value) { return x.graph().constant(value, x.dtype(), Shape.SCALAR); }

    public static Node zerosLike(Node x) { return x.graph().constant(0, x.dtype(), x.shape()); }

    public static Node constant(Graph g, Node like, double value) { return g.constant(value, like.dtype(), like.shape()); }

    // ---- composites ----

    public static Node sumAll(Node x) { return sum(x, false); }

    public static Node mean(Node x, boolean keepDims, int... axes) {
        Node s = sum(x, keepDims, axes);
        return div(s, scalar(x, (double) x.shape().size() / Math.max(1, s.shape().size())));
    }

    public static Node meanAll(Node x) { return mean(x, false); }

    public static Node square(Node x) { return mul(x, x); }

    /** x − max − log Σ exp(x − max), over the last axis. */
    public static Node logSoftmax(Node x) {
        Node m = broadcastTo(max(x, -1, true), x.shape());
        Node shifted = sub(x, m);
        Node lse = log(sum(exp(shifted), true, -1));
        return sub(shifted, lse);
    }

    public static Node leakyRelu(Node x, double slope) {
        return where(step(x), x, mul(x, scalar(x, slope)));
    }

    /** log(1 + eˣ), written as relu(x) + log(1 + e^−|x|) so it never overflows. */
    public static Node softplus(Node x) {
        return add(relu(x), log(add(scalar(x, 1), exp(neg(abs(x))))));
    }

    /** softplus(βx)/β; β = 1 is {@link #softplus(Node)} itself, so the graphs of existing model files stay the same. */
    public static Node softplus(Node x, double beta) {
        return beta == 1 ? softplus(x) : div(softplus(mul(x, scalar(x, beta))), scalar(x, beta));
    }

    /** x where x > 0, else slope·x, with a learnable slope that broadcasts against x (one per channel, say). */
    public static Node prelu(Node x, Node slope) {
        return where(step(x), x, mul(x, slope));
    }

    /**
     * x where x > 0, else α(eˣ − 1). The negative branch takes e^min(x, 0), written x − relu(x), so that a large
     * positive x cannot overflow it (the masked gradient would be 0 · ∞ = NaN), and so that the derivative at
     * 0 is α, PyTorch's choice (1 when α = 1, where ELU is smooth).
     */
    public static Node elu(Node x, double alpha) {
        Node negative = expm1(sub(x, relu(x)));
        return where(step(x), x, alpha == 1 ? negative : mul(negative, scalar(x, alpha)));
    }

    /** SELU's constants (Klambauer et al. 2017), as PyTorch has them. */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /** scale · elu(x, α) with the self-normalising constants above. */
    public static Node selu(Node x) { return mul(elu(x, SELU_ALPHA), scalar(x, SELU_SCALE)); }

    /** x·Φ(x) = x/2 · (1 + erf(x/√2)), the exact GELU. */
    public static Node gelu(Node x) {
        Node phi = add(scalar(x, 1), erf(div(x, scalar(x, Math.sqrt(2)))));
        return mul(mul(x, phi), scalar(x, 0.5));
    }

    /** GELU's tanh approximation: x/2 · (1 + tanh(√(2/π) · (x + 0.044715x³))). */
    public static Node geluTanh(Node x) {
        Node inner = mul(add(x, mul(scalar(x, 0.044715), mul(x, mul(x, x)))), scalar(x, Math.sqrt(2 / Math.PI)));
        return mul(mul(x, add(scalar(x, 1), tanh(inner))), scalar(x, 0.5));
    }

    /** x · sigmoid(x), also called swish. */
    public static Node silu(Node x) { return mul(x, sigmoid(x)); }

    /** x · tanh(softplus(x)) (Misra 2019). */
    public static Node mish(Node x) { return mul(x, tanh(softplus(x))); }

    /** PyTorch's hardsigmoid, relu6(x + 3)/6, with relu6(x + 3) written exactly as relu(x + 3) − relu(x − 3). */
    public static Node hardSigmoid(Node x) {
        return div(sub(relu(add(x, scalar(x, 3))), relu(sub(x, scalar(x, 3)))), scalar(x, 6));
    }

    // ---- pooling over NCHW images (see PoolWindow for the geometry) ----

    /** The largest element of each window; padding counts as −∞, ties go to the first maximum (PyTorch's max_pool2d). */
    public static Node maxPool2d(Node x, PoolWindow window) { return add(new MaxPool2d(window), x); }

    /** The mean of each window; padding counts as zeros in the divisor when countIncludePad (PyTorch's default). */
    public static Node avgPool2d(Node x, PoolWindow window, boolean countIncludePad) { return add(new AvgPool2d(window, countIncludePad), x); }

    /** Max pooling's gradient: g routed to the element each window of x takes. */
    public static Node maxPool2dGrad(Node x, Node g, PoolWindow window) { return add(new MaxPool2dGrad(window), x, g); }

    /** The elements of v where the windows of x take their maxima: max_pool2d_grad's transpose. */
    public static Node maxPool2dGather(Node x, Node v, PoolWindow window) { return add(new MaxPool2dGather(window), x, v); }

    /** Average pooling's gradient onto an image of the given height and width. */
    public static Node avgPool2dGrad(Node g, PoolWindow window, boolean countIncludePad, int height, int width) {
        return add(new AvgPool2dGrad(window, countIncludePad, height, width), g);
    }

    /**
     * [N, C, H, W] → [N, C], the mean of each channel's plane: Keras' GlobalAveragePooling2D. Built as one H×W
     * average-pooling window and a reshape (a view): as a mean over axes 2 and 3 it took twice as long per training
     * step and allocated on every step (the general sum and broadcast kernels).
     */
    public static Node globalAvgPool2d(Node x) {
        Shape s = x.shape();
        if (s.rank() != 4) throw new tinynn.graph.GraphException("global_avg_pool2d needs NCHW input [batch, channels, height, width], got " + s);
        Node pooled = avgPool2d(x, new PoolWindow(s.dim(2), s.dim(3), s.dim(2), s.dim(3), 0, 0, 0, 0), true);
        return reshape(pooled, Shape.of(s.dim(0), s.dim(1)));
    }

    private static int[] allAxes(Shape s) {
        int[] a = new int[s.rank()];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }
}
