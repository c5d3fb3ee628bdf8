package tinynn.runtime.reference;

import java.util.List;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.Binary;
import tinynn.ops.BroadcastTo;
import tinynn.ops.Conv2d;
import tinynn.ops.Conv2dGradWeight;
import tinynn.ops.ConvGeometry;
import tinynn.ops.ConvTranspose2d;
import tinynn.ops.Equal;
import tinynn.ops.MatMul;
import tinynn.ops.Max;
import tinynn.ops.Primitive;
import tinynn.ops.ReluGrad;
import tinynn.ops.Softmax;
import tinynn.ops.SoftmaxCrossEntropy;
import tinynn.ops.SoftmaxCrossEntropyGrad;
import tinynn.ops.SumTo;
import tinynn.ops.Transpose;
import tinynn.ops.Unary;
import tinynn.ops.Where;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;

/**
 * Runs every kernel from the primitives' own reference forwards ({@link Primitive#reference}): float64
 * loops, rounded once to float32 when the output is F32. Slow and obviously right; gradient checks run
 * on it and the fast backends are compared against it.
 */
public final class ReferenceBackend implements Backend {

    public String name() { return "reference"; }

    public String describe() { return "reference (float64 loops from each op's definition)"; }

    /** Nothing to release; present so the backend closes like the others. */
    public void close() { }

    /** out = op(in...) by the op's reference forward. */
    private static void run(Primitive op, Tensor out, Tensor... in) {
        double[][] values = new double[in.length][];
        Shape[] shapes = new Shape[in.length];
        for (int i = 0; i < in.length; i++) {
            values[i] = in[i].toDoubles();
            shapes[i] = in[i].shape();
        }
        double[] r = op.reference(values, shapes, out.shape());
        for (int i = 0; i < r.length; i++) out.set(i, r[i]);
    }

    public void matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c) { run(new MatMul(transA, transB), c, a, b); }

    public void binary(Binary.Kind kind, Tensor a, Tensor b, Tensor out) { run(new Binary(kind), out, a, b); }

    public void unary(Unary.Kind kind, Tensor x, Tensor out) { run(new Unary(kind), out, x); }

    public void broadcastTo(Tensor x, Tensor out) { run(new BroadcastTo(out.shape()), out, x); }

    public void sumTo(Tensor x, Tensor out) { run(new SumTo(out.shape()), out, x); }

    public void max(Tensor x, int axis, Tensor out) { run(new Max(axis, out.shape().rank() == x.shape().rank()), out, x); }

    public void transpose(Tensor x, Tensor out) { run(new Transpose(), out, x); }

    public void copy(Tensor x, Tensor out) { out.copyFrom(x); }

    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) { run(new Where(), out, cond, a, b); }

    public void equal(Tensor a, Tensor b, Tensor out) { run(new Equal(), out, a, b); }

    public void softmax(Tensor x, Tensor out) { run(new Softmax(), out, x); }

    public void softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor out) { run(new SoftmaxCrossEntropy(), out, logits, targets); }

    public void reluBackward(Tensor g, Tensor y, Tensor out) { run(new ReluGrad(), out, g, y); }

    public void softmaxCrossEntropyBackward(Tensor logits, Tensor targets, double scale, Tensor out) {
        Tensor g = Tensor.of(DType.F64, Shape.SCALAR, scale * logits.shape().dim(0));
        run(new SoftmaxCrossEntropyGrad(), out, logits, targets, g);
    }

    public void fill(Tensor out, double value) {
        for (int i = 0; i < out.size(); i++) out.set(i, value);
    }

    /** The forward fusion, unfused: the add, then the ReLU. */
    public void biasAdd(Tensor x, Tensor bias, boolean relu, Tensor out) {
        run(new Binary(Binary.Kind.ADD), out, x, bias);
        if (relu) run(new Unary(Unary.Kind.RELU), out, out);
    }

    public void addN(List<Tensor> xs, Tensor out) {
        for (int i = 0; i < out.size(); i++) {
            double s = 0;
            for (Tensor t : xs) s += t.get(i);
            out.set(i, s);
        }
    }

    public void adam(Tensor p, Tensor g, Tensor m, Tensor v, double lr, double beta1, double beta2, double eps,
                     double weightDecay, long t) {
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < p.size(); i++) {
            double gi = g.get(i), pi = p.get(i);
            double mi = beta1 * m.get(i) + (1 - beta1) * gi;
            double vi = beta2 * v.get(i) + (1 - beta2) * gi * gi;
            m.set(i, mi);
            v.set(i, vi);
            p.set(i, pi - lr * (mi / c1) / (Math.sqrt(vi / c2) + eps) - weightDecay * pi);
        }
    }

    public void sgd(Tensor p, Tensor g, Tensor velocity, double lr, double momentum, double weightDecay) {
        for (int i = 0; i < p.size(); i++) {
            double pi = p.get(i), d = g.get(i) + weightDecay * pi;
            if (velocity != null) {
                d = momentum * velocity.get(i) + d;
                velocity.set(i, d);
            }
            p.set(i, pi - lr * d);
        }
    }

    public void conv2d(Tensor x, Tensor w, ConvGeometry g, Tensor out) { run(new Conv2d(g), out, x, w); }

    public void conv2dGradInput(Tensor dy, Tensor w, ConvGeometry g, Tensor dx) {
        run(new ConvTranspose2d(g, dx.shape().dim(2), dx.shape().dim(3)), dx, dy, w);
    }

    public void conv2dGradWeight(Tensor x, Tensor dy, ConvGeometry g, Tensor dw) {
        run(new Conv2dGradWeight(g, dw.shape().dim(2), dw.shape().dim(3)), dw, x, dy);
    }

    @Override public void maxPool2d(Tensor x, tinynn.ops.PoolWindow w, Tensor out) { run(new tinynn.ops.MaxPool2d(w), out, x); }

    @Override public void maxPool2dGrad(Tensor x, Tensor g, tinynn.ops.PoolWindow w, Tensor dx) { run(new tinynn.ops.MaxPool2dGrad(w), dx, x, g); }

    @Override public void maxPool2dGather(Tensor x, Tensor v, tinynn.ops.PoolWindow w, Tensor out) { run(new tinynn.ops.MaxPool2dGather(w), out, x, v); }

    @Override public void avgPool2d(Tensor x, tinynn.ops.PoolWindow w, boolean countIncludePad, Tensor out) {
        run(new tinynn.ops.AvgPool2d(w, countIncludePad), out, x);
    }

    @Override public void avgPool2dGrad(Tensor g, tinynn.ops.PoolWindow w, boolean countIncludePad, Tensor dx) {
        run(new tinynn.ops.AvgPool2dGrad(w, countIncludePad, dx.shape().dim(2), dx.shape().dim(3)), dx, g);
    }

    public void dropout(Tensor x, Tensor rng, double rate, long stream, Tensor out) { run(new tinynn.ops.Dropout(rate, stream), out, x, rng); }

    public void gather(Tensor table, Tensor ids, Tensor out) { run(new tinynn.ops.Gather(), out, table, ids); }

    public void scatterAdd(Tensor ids, Tensor g, Tensor out) { run(new tinynn.ops.ScatterAdd(out.shape().dim(0)), out, ids, g); }

    public void slice(Tensor x, int[] begin, Tensor out) {
        int[] end = out.shape().dims();
        for (int i = 0; i < end.length; i++) end[i] += begin[i];
        run(new tinynn.ops.Slice(begin, end), out, x);
    }

    public void pad(Tensor x, int[] before, Tensor out) {
        int[] after = out.shape().dims();
        for (int i = 0; i < after.length; i++) after[i] -= before[i] + x.shape().dim(i);
        run(new tinynn.ops.Pad(before, after), out, x);
    }

    /** Element by element: the index of each block element in src and in dst from its position, axis by axis. */
    public void copyBlock(Tensor src, int[] from, Tensor dst, int[] at, tinynn.graph.Shape block) {
        int rank = block.rank();
        for (int e = 0; e < block.elements(); e++) {
            int s = 0, d = 0;
            for (int i = 0, rest = e, stride = block.elements(); i < rank; i++) {
                stride /= block.dim(i);
                int pos = rest / stride;
                rest %= stride;
                s = s * src.shape().dim(i) + from[i] + pos;
                d = d * dst.shape().dim(i) + at[i] + pos;
            }
            dst.set(d, src.get(s));
        }
    }

    public void recurrence(tinynn.ops.Recurrence.Kind kind, boolean reverse, Tensor xp, Tensor wHh, Tensor h0, Tensor c0, Tensor bHh, Tensor ws) {
        tinynn.ops.Recurrence op = new tinynn.ops.Recurrence(kind, wHh.shape().dim(0), reverse);
        if (c0 != null) run(op, ws, xp, wHh, h0, c0);
        else if (bHh != null) run(op, ws, xp, wHh, h0, bHh);
        else run(op, ws, xp, wHh, h0);
    }

    public void recurrenceGrad(tinynn.ops.Recurrence.Kind kind, boolean reverse, Tensor ws, Tensor dws, Tensor wHh, Tensor h0, Tensor c0, Tensor out) {
        tinynn.ops.RecurrenceGrad op = new tinynn.ops.RecurrenceGrad(kind, wHh.shape().dim(0), reverse, out.shape().dim(1) > ws.shape().dim(1));
        if (c0 != null) run(op, out, ws, dws, wHh, h0, c0);
        else run(op, out, ws, dws, wHh, h0);
    }
}
