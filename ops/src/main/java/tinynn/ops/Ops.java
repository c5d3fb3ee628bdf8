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

    // ---- backward primitives, emitted by gradient rules ----

    /** g where y > 0, else 0: the ReLU's gradient given its output y. */
    public static Node reluGrad(Node g, Node y) { return add(new ReluGrad(), g, y); }

    /** (softmax(logits) − onehot) · g / batch, for a scalar upstream gradient g. */
    public static Node softmaxCrossEntropyGrad(Node logits, Node onehot, Node g) {
        return add(new SoftmaxCrossEntropyGrad(), logits, onehot, g);
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

    private static int[] allAxes(Shape s) {
        int[] a = new int[s.rank()];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }
}
