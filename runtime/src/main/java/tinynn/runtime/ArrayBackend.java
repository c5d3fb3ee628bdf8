package tinynn.runtime;

import java.util.List;
import tinynn.graph.Shape;
import tinynn.ops.Binary;
import tinynn.ops.ConvGeometry;
import tinynn.ops.Unary;

/**
 * Plain-loop kernels on the tensors' arrays, correct for every shape and dtype. Backends extend it
 * and override what they do faster (matmul first of all).
 */
public abstract class ArrayBackend implements Backend {

    @Override public void binary(Binary.Kind kind, Tensor a, Tensor b, Tensor out) {
        if (a.size() == out.size() && b.size() == out.size() && a.isF32() && b.isF32() && out.isF32()) {
            float[] x = a.f32(), y = b.f32(), z = out.f32();
            switch (kind) {
                case ADD -> { for (int i = 0; i < z.length; i++) z[i] = x[i] + y[i]; }
                case SUB -> { for (int i = 0; i < z.length; i++) z[i] = x[i] - y[i]; }
                case MUL -> { for (int i = 0; i < z.length; i++) z[i] = x[i] * y[i]; }
                case DIV -> { for (int i = 0; i < z.length; i++) z[i] = x[i] / y[i]; }
            }
            return;
        }
        if (kind == Binary.Kind.ADD && a.size() == out.size() && isRow(b, out)) {
            biasAdd(a, b, false, out);
            return;
        }
        if (kind == Binary.Kind.ADD && a.size() == out.size() && isChannel(b, out)) {
            channelAdd(a, b, out);
            return;
        }
        Broadcast it = Broadcast.of(out.shape(), a.shape(), b.shape());
        int sa = it.step(0), sb = it.step(1);
        if (a.isF32() && b.isF32() && out.isF32()) {
            // Per-channel statistics and scales (batch norm, layer norm) broadcast here: a row at a time on the arrays.
            // Float arithmetic gives the bits the double-then-round loop below gives, for these four operations.
            float[] x = a.f32(), y = b.f32(), z = out.f32();
            for (int r = 0, p = 0; r < it.rows; r++, it.next(), p += it.inner) {
                broadcastRow(kind, x, it.offset(0), sa, y, it.offset(1), sb, z, p, it.inner);
            }
            return;
        }
        for (int r = 0, p = 0; r < it.rows; r++, it.next()) {
            int ia = it.offset(0), ib = it.offset(1);
            for (int j = 0; j < it.inner; j++, p++, ia += sa, ib += sb) out.set(p, kind.apply(a.get(ia), b.get(ib)));
        }
    }

    private static void broadcastRow(Binary.Kind kind, float[] x, int ia, int sa, float[] y, int ib, int sb, float[] z, int p, int n) {
        switch (kind) {
            case ADD -> { for (int j = 0; j < n; j++, ia += sa, ib += sb) z[p + j] = x[ia] + y[ib]; }
            case SUB -> { for (int j = 0; j < n; j++, ia += sa, ib += sb) z[p + j] = x[ia] - y[ib]; }
            case MUL -> { for (int j = 0; j < n; j++, ia += sa, ib += sb) z[p + j] = x[ia] * y[ib]; }
            case DIV -> { for (int j = 0; j < n; j++, ia += sa, ib += sb) z[p + j] = x[ia] / y[ib]; }
        }
    }

    /** True when b is one row ([n] or [1, n]) broadcast down the rows of a 2-D out. */
    protected static boolean isRow(Tensor b, Tensor out) {
        return out.shape().rank() == 2 && b.size() == out.shape().dim(1) && b.shape().rank() >= 1 && b.shape().dim(-1) == b.size();
    }

    /** True when b is one value per channel ([1, C, 1, 1] or [C, 1, 1]) broadcast over an NCHW out: a conv layer's bias. */
    protected static boolean isChannel(Tensor b, Tensor out) {
        Shape s = out.shape(), bs = b.shape();
        if (s.rank() != 4 || b.size() != s.dim(1) || bs.rank() < 3 || bs.rank() > 4) return false;
        return bs.dim(-3) == s.dim(1) && bs.dim(-2) == 1 && bs.dim(-1) == 1;
    }

    /** out[n, c, :, :] = x[n, c, :, :] + bias[c], one contiguous plane at a time. */
    protected void channelAdd(Tensor x, Tensor bias, Tensor out) {
        Shape s = out.shape();
        int channels = s.dim(1), plane = s.dim(2) * s.dim(3), planes = s.dim(0) * channels;
        if (x.isF32()) {
            float[] a = x.f32(), b = bias.f32(), z = out.f32();
            for (int q = 0, p = 0; q < planes; q++) {
                float v = b[q % channels];
                for (int j = 0; j < plane; j++, p++) z[p] = a[p] + v;
            }
            return;
        }
        double[] a = x.f64(), b = bias.f64(), z = out.f64();
        for (int q = 0, p = 0; q < planes; q++) {
            double v = b[q % channels];
            for (int j = 0; j < plane; j++, p++) z[p] = a[p] + v;
        }
    }

    /** out[c] = Σ over n, h, w of x[n, c, h, w]: a conv layer's bias gradient, accumulated in double. */
    protected void channelSums(Tensor x, Tensor out) {
        Shape s = x.shape();
        int channels = s.dim(1), plane = s.dim(2) * s.dim(3), planes = s.dim(0) * channels;
        for (int c = 0; c < channels; c++) {
            double acc = 0;
            if (x.isF32()) {
                float[] a = x.f32();
                for (int q = c; q < planes; q += channels) for (int j = 0, p = q * plane; j < plane; j++, p++) acc += a[p];
            } else {
                double[] a = x.f64();
                for (int q = c; q < planes; q += channels) for (int j = 0, p = q * plane; j < plane; j++, p++) acc += a[p];
            }
            out.set(c, acc);
        }
    }

    @Override public void biasAdd(Tensor x, Tensor bias, boolean relu, Tensor out) {
        int n = bias.size(), rows = out.size() / Math.max(1, n);
        if (x.isF32()) {
            float[] a = x.f32(), b = bias.f32(), z = out.f32();
            for (int r = 0, p = 0; r < rows; r++) {
                for (int j = 0; j < n; j++, p++) {
                    float v = a[p] + b[j];
                    z[p] = relu ? Math.max(v, 0f) : v;
                }
            }
            return;
        }
        for (int r = 0, p = 0; r < rows; r++) {
            for (int j = 0; j < n; j++, p++) {
                double v = x.get(p) + bias.get(j);
                out.set(p, relu ? Math.max(v, 0) : v);
            }
        }
    }

    @Override public void reluBackward(Tensor g, Tensor y, Tensor out) {
        if (g.isF32()) {
            float[] a = g.f32(), b = y.f32(), z = out.f32();
            for (int i = 0; i < z.length; i++) z[i] = b[i] > 0f ? a[i] : 0f;
            return;
        }
        for (int i = 0; i < out.size(); i++) out.set(i, y.get(i) > 0 ? g.get(i) : 0);
    }

    @Override public void softmaxCrossEntropyBackward(Tensor x, Tensor y, double scale, Tensor out) {
        softmax(x, out);
        for (int i = 0; i < out.size(); i++) out.set(i, (out.get(i) - y.get(i)) * scale);
    }

    @Override public void unary(Unary.Kind kind, Tensor x, Tensor out) {
        int n = out.size();
        if (x.isF32()) {
            float[] a = x.f32(), z = out.f32();
            switch (kind) {
                case RELU -> { for (int i = 0; i < n; i++) z[i] = Math.max(a[i], 0f); }
                case STEP -> { for (int i = 0; i < n; i++) z[i] = a[i] > 0f ? 1f : 0f; }
                case NEG, EXP, LOG, SIGN, ABS, SQRT, TANH, SIGMOID, ERF, EXPM1 -> { for (int i = 0; i < n; i++) z[i] = (float) kind.apply(a[i]); }
            }
            return;
        }
        for (int i = 0; i < n; i++) out.set(i, kind.apply(x.get(i)));
    }

    @Override public void broadcastTo(Tensor x, Tensor out) {
        Broadcast it = Broadcast.of(out.shape(), x.shape());
        int s = it.step(0);
        for (int r = 0, p = 0; r < it.rows; r++, it.next()) {
            int i = it.offset(0);
            for (int j = 0; j < it.inner; j++, p++, i += s) out.set(p, x.get(i));
        }
    }

    @Override public void sumTo(Tensor x, Tensor out) {
        if (x.shape().rank() == 2 && isRow(out, x)) {
            columnSums(x, out);
            return;
        }
        if (isChannel(out, x)) {
            channelSums(x, out);
            return;
        }
        // Accumulate in double so F32 sums over large batches keep their precision.
        double[] acc = accumulator(out.size());
        Broadcast it = Broadcast.of(x.shape(), out.shape());
        int s = it.step(0);
        if (x.isF32() && s == 0) {
            // A reduced last axis (batch norm's statistics over H, W): each row into one sum, in the same order as below.
            float[] xs = x.f32();
            for (int r = 0, p = 0; r < it.rows; r++, it.next()) {
                int o = it.offset(0);
                double t = acc[o];
                for (int end = p + it.inner; p < end; p++) t += xs[p];
                acc[o] = t;
            }
        } else {
            for (int r = 0, p = 0; r < it.rows; r++, it.next()) {
                int o = it.offset(0);
                for (int j = 0; j < it.inner; j++, p++, o += s) acc[o] += x.get(p);
            }
        }
        for (int i = 0; i < out.size(); i++) out.set(i, acc[i]);
    }

    private static final ThreadLocal<double[][]> ACCUMULATOR = ThreadLocal.withInitial(() -> new double[][] {new double[0]});

    /** This thread's zeroed float64 accumulator of at least n elements, reused so a reduction allocates nothing. */
    private static double[] accumulator(int n) {
        double[][] holder = ACCUMULATOR.get();
        if (holder[0].length < n) holder[0] = new double[n];
        java.util.Arrays.fill(holder[0], 0, n, 0);
        return holder[0];
    }

    /** Sums of each column of a [rows, n] matrix: the bias gradient. */
    protected void columnSums(Tensor x, Tensor out) {
        int n = out.size(), rows = x.size() / Math.max(1, n);
        if (x.isF32()) {
            float[] a = x.f32(), z = out.f32();
            java.util.Arrays.fill(z, 0f);
            for (int r = 0, p = 0; r < rows; r++) for (int j = 0; j < n; j++, p++) z[j] += a[p];
            return;
        }
        for (int j = 0; j < n; j++) out.set(j, 0);
        for (int r = 0, p = 0; r < rows; r++) for (int j = 0; j < n; j++, p++) out.set(j, out.get(j) + x.get(p));
    }

    @Override public void max(Tensor x, int axis, Tensor out) {
        Shape s = x.shape();
        int n = s.dim(axis), inner = 1, outer = 1;
        for (int i = axis + 1; i < s.rank(); i++) inner *= s.dim(i);
        for (int i = 0; i < axis; i++) outer *= s.dim(i);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) m = Math.max(m, x.get((o * n + k) * inner + in));
                out.set(o * inner + in, m);
            }
        }
    }

    @Override public void transpose(Tensor x, Tensor out) {
        int rows = x.shape().dim(0), cols = x.shape().dim(1);
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) out.set(c * rows + r, x.get(r * cols + c));
    }

    @Override public void copy(Tensor x, Tensor out) { out.copyFrom(x); }

    @Override public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        for (int i = 0; i < out.size(); i++) out.set(i, cond.get(i) != 0 ? a.get(i) : b.get(i));
    }

    @Override public void equal(Tensor a, Tensor b, Tensor out) {
        int c = out.shape().rank() == 0 ? 1 : out.shape().dim(-1);
        if (a.isF32() && b.isF32() && out.isF32() && a.shape().rank() > 0 && a.shape().dim(-1) == 1 && b.size() == c
                && b.shape().dim(-1) == c && (long) a.size() * c == out.size()) {
            // Class ids [..., 1] against the row 0..C−1: the one-hot a classification loss builds from ids every step.
            float[] x = a.f32(), y = b.f32(), z = out.f32();
            for (int r = 0, p = 0; r < x.length; r++) {
                float v = x[r];
                for (int j = 0; j < c; j++, p++) z[p] = v == y[j] ? 1f : 0f;
            }
            return;
        }
        Broadcast it = Broadcast.of(out.shape(), a.shape(), b.shape());
        int sa = it.step(0), sb = it.step(1);
        for (int r = 0, p = 0; r < it.rows; r++, it.next()) {
            int ia = it.offset(0), ib = it.offset(1);
            for (int j = 0; j < it.inner; j++, p++, ia += sa, ib += sb) out.set(p, a.get(ia) == b.get(ib) ? 1 : 0);
        }
    }

    @Override public void softmax(Tensor x, Tensor out) {
        int cols = x.shape().dim(-1), rows = x.size() / Math.max(1, cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) m = Math.max(m, x.get(o + c));
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += Math.exp(x.get(o + c) - m);
            for (int c = 0; c < cols; c++) out.set(o + c, Math.exp(x.get(o + c) - m) / sum);
        }
    }

    @Override public void softmaxCrossEntropy(Tensor x, Tensor y, Tensor out) {
        int cols = x.shape().dim(-1), rows = x.shape().dim(0);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) m = Math.max(m, x.get(o + c));
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += Math.exp(x.get(o + c) - m);
            double lse = m + Math.log(sum);
            for (int c = 0; c < cols; c++) {
                double t = y.get(o + c);
                if (t != 0) total -= t * (x.get(o + c) - lse);
            }
        }
        out.set(0, total / rows);
    }

    @Override public void fill(Tensor out, double value) {
        for (int i = 0; i < out.size(); i++) out.set(i, value);
    }

    @Override public void addN(List<Tensor> xs, Tensor out) {
        // Indexed, not for-each: an iterator per element was a training step's only allocation (batch norm's fan-outs).
        int k = xs.size();
        if (k == 2 && out.isF32() && xs.get(0).isF32() && xs.get(1).isF32()) {
            // Two float addends: the float sum is the double sum rounded, bit for bit.
            float[] x = xs.get(0).f32(), y = xs.get(1).f32(), z = out.f32();
            for (int i = 0; i < z.length; i++) z[i] = x[i] + y[i];
            return;
        }
        for (int i = 0; i < out.size(); i++) {
            double s = 0;
            for (int j = 0; j < k; j++) s += xs.get(j).get(i);
            out.set(i, s);
        }
    }

    @Override public void adam(Tensor p, Tensor g, Tensor m, Tensor v, double lr, double b1, double b2, double eps,
                               double weightDecay, long t) {
        double c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
        if (p.isF32()) {
            float[] pa = p.f32(), ga = g.f32(), ma = m.f32(), va = v.f32();
            float fb1 = (float) b1, fb2 = (float) b2, step = (float) (lr / c1), ic2 = (float) (1 / c2), fe = (float) eps, wd = (float) weightDecay;
            for (int i = 0; i < pa.length; i++) {
                float gi = ga[i];
                float mi = ma[i] = fb1 * ma[i] + (1 - fb1) * gi;
                float vi = va[i] = fb2 * va[i] + (1 - fb2) * gi * gi;
                pa[i] -= step * mi / ((float) Math.sqrt(vi * ic2) + fe) + wd * pa[i];
            }
            return;
        }
        for (int i = 0; i < p.size(); i++) {
            double gi = g.get(i);
            double mi = b1 * m.get(i) + (1 - b1) * gi;
            double vi = b2 * v.get(i) + (1 - b2) * gi * gi;
            m.set(i, mi);
            v.set(i, vi);
            double pi = p.get(i);
            p.set(i, pi - lr * (mi / c1) / (Math.sqrt(vi / c2) + eps) - weightDecay * pi);
        }
    }

    @Override public void sgd(Tensor p, Tensor g, Tensor vel, double lr, double momentum, double weightDecay) {
        for (int i = 0; i < p.size(); i++) {
            double pi = p.get(i);
            double d = g.get(i) + weightDecay * pi;
            if (vel != null) {
                d = momentum * vel.get(i) + d;
                vel.set(i, d);
            }
            p.set(i, pi - lr * d);
        }
    }

    /** Reference matmul in double accumulation; subclasses replace it. */
    protected static void loopMatmul(Tensor a, boolean ta, Tensor b, boolean tb, Tensor c) {
        int m = c.shape().dim(0), n = c.shape().dim(1);
        int k = ta ? a.shape().dim(0) : a.shape().dim(1);
        int lda = a.shape().dim(1), ldb = b.shape().dim(1);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a.get(p * lda + i) : a.get(i * lda + p);
                    double y = tb ? b.get(j * ldb + p) : b.get(p * ldb + j);
                    s += x * y;
                }
                c.set(i * n + j, s);
            }
        }
    }

    // ---- convolution: direct loop nests (ConvLoopsF64, and ConvLoopsF32 generated from it) ----

    @Override public void conv2d(Tensor x, Tensor w, ConvGeometry g, Tensor out) {
        if (out.isF32()) ConvLoopsF32.forward(x.f32(), w.f32(), out.f32(), x.shape(), w.shape(), out.shape(), g);
        else ConvLoopsF64.forward(x.f64(), w.f64(), out.f64(), x.shape(), w.shape(), out.shape(), g);
    }

    @Override public void conv2dGradInput(Tensor dy, Tensor w, ConvGeometry g, Tensor dx) {
        if (dx.isF32()) ConvLoopsF32.gradInput(dy.f32(), w.f32(), dx.f32(), dx.shape(), w.shape(), dy.shape(), g);
        else ConvLoopsF64.gradInput(dy.f64(), w.f64(), dx.f64(), dx.shape(), w.shape(), dy.shape(), g);
    }

    @Override public void conv2dGradWeight(Tensor x, Tensor dy, ConvGeometry g, Tensor dw) {
        if (dw.isF32()) ConvLoopsF32.gradWeight(x.f32(), dy.f32(), dw.f32(), x.shape(), dw.shape(), dy.shape(), g);
        else ConvLoopsF64.gradWeight(x.f64(), dy.f64(), dw.f64(), x.shape(), dw.shape(), dy.shape(), g);
    }

    // ---- pooling: plain loops over each window (the SIMD backend specialises the common 2×2 stride-2 case) ----

    @Override public void maxPool2d(Tensor x, tinynn.ops.PoolWindow w, Tensor out) { maxPool2dGather(x, x, w, out); }

    @Override public void maxPool2dGather(Tensor x, Tensor v, tinynn.ops.PoolWindow w, Tensor out) {
        Shape s = x.shape();
        int planes = s.dim(0) * s.dim(1), h = s.dim(2), wd = s.dim(3), oh = out.shape().dim(2), ow = out.shape().dim(3);
        for (int p = 0, o = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++, o++) out.set(o, v.get(argmax(x, w, p * h * wd, h, wd, i, j)));
        }
    }

    @Override public void maxPool2dGrad(Tensor x, Tensor g, tinynn.ops.PoolWindow w, Tensor dx) {
        Shape s = x.shape();
        int planes = s.dim(0) * s.dim(1), h = s.dim(2), wd = s.dim(3), oh = g.shape().dim(2), ow = g.shape().dim(3);
        fill(dx, 0);
        for (int p = 0, o = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) {
                    int k = argmax(x, w, p * h * wd, h, wd, i, j);
                    dx.set(k, dx.get(k) + g.get(o));
                }
            }
        }
    }

    /** The flat index of the element window (i, j) of the plane at {@code base} takes: the first maximum, or a NaN. */
    protected static int argmax(Tensor x, tinynn.ops.PoolWindow w, int base, int h, int wd, int i, int j) {
        int h0 = i * w.strideH() - w.padTop(), w0 = j * w.strideW() - w.padLeft();
        int hs = Math.max(h0, 0), he = Math.min(h0 + w.kernelH(), h), ws = Math.max(w0, 0), we = Math.min(w0 + w.kernelW(), wd);
        int best = base + hs * wd + ws;
        double max = Double.NEGATIVE_INFINITY;
        for (int y = hs; y < he; y++) {
            for (int c = ws; c < we; c++) {
                double v = x.get(base + y * wd + c);
                if (v > max || Double.isNaN(v)) {
                    max = v;
                    best = base + y * wd + c;
                }
            }
        }
        return best;
    }

    @Override public void avgPool2d(Tensor x, tinynn.ops.PoolWindow w, boolean countIncludePad, Tensor out) {
        Shape s = x.shape();
        int planes = s.dim(0) * s.dim(1), h = s.dim(2), wd = s.dim(3), oh = out.shape().dim(2), ow = out.shape().dim(3);
        for (int p = 0, o = 0; p < planes; p++) {
            int base = p * h * wd;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) {
                    int h0 = i * w.strideH() - w.padTop(), w0 = j * w.strideW() - w.padLeft();
                    int hs = Math.max(h0, 0), he = Math.min(h0 + w.kernelH(), h), ws = Math.max(w0, 0), we = Math.min(w0 + w.kernelW(), wd);
                    double sum = 0;
                    for (int y = hs; y < he; y++) for (int c = ws; c < we; c++) sum += x.get(base + y * wd + c);
                    out.set(o, sum / (countIncludePad ? w.kernelH() * w.kernelW() : (he - hs) * (we - ws)));
                }
            }
        }
    }

    @Override public void avgPool2dGrad(Tensor g, tinynn.ops.PoolWindow w, boolean countIncludePad, Tensor dx) {
        Shape s = dx.shape();
        int planes = s.dim(0) * s.dim(1), h = s.dim(2), wd = s.dim(3), oh = g.shape().dim(2), ow = g.shape().dim(3);
        fill(dx, 0);
        for (int p = 0, o = 0; p < planes; p++) {
            int base = p * h * wd;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) {
                    int h0 = i * w.strideH() - w.padTop(), w0 = j * w.strideW() - w.padLeft();
                    int hs = Math.max(h0, 0), he = Math.min(h0 + w.kernelH(), h), ws = Math.max(w0, 0), we = Math.min(w0 + w.kernelW(), wd);
                    double share = g.get(o) / (countIncludePad ? w.kernelH() * w.kernelW() : (he - hs) * (we - ws));
                    for (int y = hs; y < he; y++) for (int c = ws; c < we; c++) dx.set(base + y * wd + c, dx.get(base + y * wd + c) + share);
                }
            }
        }
    }

    /** One hash per element: the mask is never stored, and the backward pass draws it again (tinynn.ops.Dropout). */
    @Override public void dropout(Tensor x, Tensor rng, double rate, long stream, Tensor out) {
        long base = tinynn.ops.Dropout.base(rng.get(0), rng.get(1), rng.get(2), stream);
        double scale = 1 / (1 - rate);
        int n = out.size();
        if (out.isF32()) {
            float[] xs = x.f32(), o = out.f32();
            float s = (float) scale;
            for (int i = 0; i < n; i++) o[i] = tinynn.ops.Dropout.keep(base, i, rate) ? xs[i] * s : 0f;
        } else {
            double[] xs = x.f64(), o = out.f64();
            for (int i = 0; i < n; i++) o[i] = tinynn.ops.Dropout.keep(base, i, rate) ? xs[i] * scale : 0;
        }
    }

    // ---- embedding lookups: one row copy (gather) or row sum (scatter_add) per position ----

    @Override public void gather(Tensor table, Tensor ids, Tensor out) {
        int rows = table.shape().dim(0), d = table.shape().dim(1), n = ids.size();
        if (out.isF32() && table.isF32()) {
            float[] t = table.f32(), o = out.f32();
            for (int p = 0; p < n; p++) System.arraycopy(t, tinynn.ops.Gather.row(ids.get(p), rows) * d, o, p * d, d);
        } else if (!out.isF32() && !table.isF32()) {
            double[] t = table.f64(), o = out.f64();
            for (int p = 0; p < n; p++) System.arraycopy(t, tinynn.ops.Gather.row(ids.get(p), rows) * d, o, p * d, d);
        } else {
            for (int p = 0; p < n; p++) {
                int r = tinynn.ops.Gather.row(ids.get(p), rows) * d;
                for (int j = 0; j < d; j++) out.set(p * d + j, table.get(r + j));
            }
        }
    }

    @Override public void scatterAdd(Tensor ids, Tensor g, Tensor out) {
        int rows = out.shape().dim(0), d = out.shape().dim(1), n = ids.size();
        // Check every id before writing, so a bad one leaves out as it was (zeros, or the previous step's gradient).
        for (int p = 0; p < n; p++) tinynn.ops.Gather.row(ids.get(p), rows);
        fill(out, 0);
        if (out.isF32() && g.isF32()) {
            float[] v = g.f32(), o = out.f32();
            for (int p = 0; p < n; p++) {
                int r = (int) ids.get(p) * d;
                for (int j = 0, q = p * d; j < d; j++, q++) o[r + j] += v[q];
            }
        } else if (!out.isF32() && !g.isF32()) {
            double[] v = g.f64(), o = out.f64();
            for (int p = 0; p < n; p++) {
                int r = (int) ids.get(p) * d;
                for (int j = 0, q = p * d; j < d; j++, q++) o[r + j] += v[q];
            }
        } else {
            for (int p = 0; p < n; p++) {
                int r = (int) ids.get(p) * d;
                for (int j = 0; j < d; j++) out.set(r + j, out.get(r + j) + g.get(p * d + j));
            }
        }
    }

    // ---- slice, pad and copyBlock: one contiguous run of the last axis at a time ----

    @Override public void slice(Tensor x, int[] begin, Tensor out) {
        copyBlock(x, begin, out, origin(out.shape().rank()), out.shape());
    }

    @Override public void pad(Tensor x, int[] before, Tensor out) {
        if (out.isF32()) java.util.Arrays.fill(out.f32(), 0f);
        else java.util.Arrays.fill(out.f64(), 0);
        copyBlock(x, origin(x.shape().rank()), out, before, x.shape());
    }

    /** Shared, never written zero offsets per rank: a step allocates nothing, and a native image has no escape analysis. */
    private static final int[][] ORIGINS = {new int[0], new int[1], new int[2], new int[3], new int[4], new int[5], new int[6]};

    private static int[] origin(int rank) {
        return rank < ORIGINS.length ? ORIGINS[rank] : new int[rank];
    }

    @Override public void copyBlock(Tensor src, int[] from, Tensor dst, int[] at, Shape block) {
        copyRows(src, from, dst, at, block, 0, blockRows(block));
    }

    /** The runs of a block's last axis, which {@link #copyRows} copies. */
    protected static int blockRows(Shape block) {
        int inner = block.rank() == 0 ? 1 : block.dim(-1);
        return inner == 0 ? 0 : block.elements() / inner;
    }

    /** Rows [r0, r1) of {@link #copyBlock}, each one arraycopy. */
    protected static void copyRows(Tensor src, int[] from, Tensor dst, int[] at, Shape block, int r0, int r1) {
        int inner = block.rank() == 0 ? 1 : block.dim(-1);
        Shape ss = src.shape(), ds = dst.shape();
        for (int r = r0; r < r1; r++) {
            int s = offset(r, block, ss, from), d = offset(r, block, ds, at);
            if (dst.isF32()) System.arraycopy(src.f32(), s, dst.f32(), d, inner);
            else System.arraycopy(src.f64(), s, dst.f64(), d, inner);
        }
    }

    /**
     * The flat index in a tensor of shape {@code big} of the start of row r (all axes but the last) of a tensor of
     * shape {@code small} placed at {@code at}: divisions instead of a position array, so nothing is allocated.
     */
    private static int offset(int r, Shape small, Shape big, int[] at) {
        int rank = small.rank(), k = 0, stride = 1;
        if (rank > 0) {
            k = at[rank - 1];
            stride = big.dim(rank - 1);
        }
        for (int i = rank - 2; i >= 0; i--) {
            int d = small.dim(i);
            k += (r % d + at[i]) * stride;
            r /= d;
            stride *= big.dim(i);
        }
        return k;
    }

    // ---- recurrences: RecurrenceLoopsF64 (and its generated F32 twin), one GEMM per time step ----

    /** The per-step GEMM of the recurrence kernels: plain loops here, a backend's own GEMM in subclasses. */
    protected RecurrenceLoopsF64.Gemm recurrenceGemmF64() { return RecurrenceLoopsF64.LOOPS; }

    protected RecurrenceLoopsF32.Gemm recurrenceGemmF32() { return RecurrenceLoopsF32.LOOPS; }

    @Override public void recurrence(tinynn.ops.Recurrence.Kind kind, boolean reverse, Tensor xp, Tensor wHh, Tensor h0, Tensor c0, Tensor bHh, Tensor ws) {
        int n = xp.shape().dim(0), t = xp.shape().dim(1), h = wHh.shape().dim(0);
        if (ws.isF32()) {
            RecurrenceLoopsF32.forward(kind, reverse, n, t, h, xp.f32(), wHh.f32(), h0.f32(), c0 == null ? null : c0.f32(),
                    bHh == null ? null : bHh.f32(), ws.f32(), recurrenceGemmF32());
        } else {
            RecurrenceLoopsF64.forward(kind, reverse, n, t, h, xp.f64(), wHh.f64(), h0.f64(), c0 == null ? null : c0.f64(),
                    bHh == null ? null : bHh.f64(), ws.f64(), recurrenceGemmF64());
        }
    }

    @Override public void recurrenceGrad(tinynn.ops.Recurrence.Kind kind, boolean reverse, Tensor ws, Tensor dws, Tensor wHh, Tensor h0, Tensor c0, Tensor out) {
        int n = ws.shape().dim(0), t = ws.shape().dim(1), h = wHh.shape().dim(0);
        boolean state = out.shape().dim(1) > t;
        if (out.isF32()) {
            RecurrenceLoopsF32.backward(kind, reverse, n, t, h, ws.f32(), dws.f32(), wHh.f32(), h0.f32(), c0 == null ? null : c0.f32(), state, out.f32(), recurrenceGemmF32());
        } else {
            RecurrenceLoopsF64.backward(kind, reverse, n, t, h, ws.f64(), dws.f64(), wHh.f64(), h0.f64(), c0 == null ? null : c0.f64(), state, out.f64(), recurrenceGemmF64());
        }
    }
}
