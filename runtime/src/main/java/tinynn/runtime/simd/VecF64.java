package tinynn.runtime.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised element-wise and row-wise kernels on {@code double} arrays for the runtime (Vector API main loops, scalar
 * tails). All methods work on the index range {@code [0, n)} (or on row-major {@code rows x cols} matrices
 * starting at index 0); outputs may alias inputs of the same shape unless stated otherwise. Arguments are not
 * copied and nothing is allocated.
 *
 * <p>The float32 twin is generated from this file by {@code runtime/src/build/GenerateF32.java}; edit this one.
 */
public final class VecF64 {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int LN = S.length();

    private VecF64() {
    }

    // ------------------------------------------------------------------------------------------------
    // Element-wise binary

    /** {@code out[i] = a[i] + b[i]}. */
    public static void add(double[] a, double[] b, double[] out, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += LN) {
            DoubleVector.fromArray(S, a, i).add(DoubleVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < n; i++) out[i] = a[i] + b[i];
    }

    /** {@code out[i] = a[i] - b[i]}. */
    public static void sub(double[] a, double[] b, double[] out, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += LN) {
            DoubleVector.fromArray(S, a, i).sub(DoubleVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < n; i++) out[i] = a[i] - b[i];
    }

    /** {@code out[i] = a[i] * b[i]}. */
    public static void mul(double[] a, double[] b, double[] out, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += LN) {
            DoubleVector.fromArray(S, a, i).mul(DoubleVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < n; i++) out[i] = a[i] * b[i];
    }

    /** {@code out[i] = alpha * x[i]}. */
    public static void scale(double[] x, double alpha, double[] out, int n) {
        int i = 0;
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        for (int bound = S.loopBound(n); i < bound; i += LN) {
            DoubleVector.fromArray(S, x, i).mul(va).intoArray(out, i);
        }
        for (; i < n; i++) out[i] = alpha * x[i];
    }

    /** {@code y[i] += alpha * x[i]} (BLAS axpy; fused multiply-add in the vector loop). */
    public static void axpy(double alpha, double[] x, double[] y, int n) {
        int i = 0;
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        for (int bound = S.loopBound(n); i < bound; i += LN) {
            DoubleVector.fromArray(S, x, i).fma(va, DoubleVector.fromArray(S, y, i)).intoArray(y, i);
        }
        for (; i < n; i++) y[i] = Math.fma(alpha, x[i], y[i]);
    }

    // ------------------------------------------------------------------------------------------------
    // Reductions

    /** Sum of {@code x[0..n)} (vector partial sums, then a lane reduction); 0 for n == 0. */
    public static double sum(double[] x, int n) {
        int i = 0;
        DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S);
        for (int bound = n - 2 * LN; i <= bound; i += 2 * LN) {
            s0 = s0.add(DoubleVector.fromArray(S, x, i));
            s1 = s1.add(DoubleVector.fromArray(S, x, i + LN));
        }
        for (int bound = S.loopBound(n); i < bound; i += LN) s0 = s0.add(DoubleVector.fromArray(S, x, i));
        double s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += x[i];
        return s;
    }

    /** Maximum of {@code x[0..n)} ({@code Math.max} semantics: NaN if any element is NaN); requires n >= 1. */
    public static double max(double[] x, int n) {
        if (n < 1) throw new IllegalArgumentException("max of an empty range");
        int i = 0;
        double m = Double.NEGATIVE_INFINITY;
        int bound = S.loopBound(n);
        if (bound > 0) {
            DoubleVector vm = DoubleVector.fromArray(S, x, 0);
            for (i = LN; i < bound; i += LN) vm = vm.max(DoubleVector.fromArray(S, x, i));
            m = vm.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, x[i]);
        return m;
    }

    /** Dot product of {@code x[0..n)} and {@code y[0..n)}. */
    public static double dot(double[] x, double[] y, int n) {
        int i = 0;
        DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S);
        for (int bound = n - 2 * LN; i <= bound; i += 2 * LN) {
            s0 = DoubleVector.fromArray(S, x, i).fma(DoubleVector.fromArray(S, y, i), s0);
            s1 = DoubleVector.fromArray(S, x, i + LN).fma(DoubleVector.fromArray(S, y, i + LN), s1);
        }
        for (int bound = S.loopBound(n); i < bound; i += LN) {
            s0 = DoubleVector.fromArray(S, x, i).fma(DoubleVector.fromArray(S, y, i), s0);
        }
        double s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += x[i] * y[i];
        return s;
    }

    /**
     * Column sums of a row-major {@code rows x cols} matrix (the bias gradient): {@code out[j] = sum_i x[i, j]},
     * or {@code out[j] += ...} when {@code accumulate}. {@code out} must not alias {@code x}.
     */
    public static void colSums(double[] x, int rows, int cols, double[] out, boolean accumulate) {
        if (!accumulate) java.util.Arrays.fill(out, 0, cols, 0);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int j = 0;
            for (int bound = S.loopBound(cols); j < bound; j += LN) {
                DoubleVector.fromArray(S, out, j).add(DoubleVector.fromArray(S, x, o + j)).intoArray(out, j);
            }
            for (; j < cols; j++) out[j] += x[o + j];
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Bias and activations

    /** Row broadcast: {@code out[i, j] = x[i, j] + bias[j]} for a row-major {@code rows x cols} matrix. */
    public static void addBias(double[] x, double[] bias, double[] out, int rows, int cols) {
        addBias(x, 0, bias, out, rows, cols);
    }

    /** As above on rows starting at element {@code off} of x and out. */
    public static void addBias(double[] x, int off, double[] bias, double[] out, int rows, int cols) {
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = off + r * cols;
            int j = 0;
            for (; j < bound; j += LN) {
                DoubleVector.fromArray(S, x, o + j).add(DoubleVector.fromArray(S, bias, j)).intoArray(out, o + j);
            }
            for (; j < cols; j++) out[o + j] = x[o + j] + bias[j];
        }
    }

    /** Fused bias and ReLU: {@code out[i, j] = max(x[i, j] + bias[j], 0)}. */
    public static void addBiasRelu(double[] x, double[] bias, double[] out, int rows, int cols) {
        addBiasRelu(x, 0, bias, out, rows, cols);
    }

    /** As above on rows starting at element {@code off} of x and out. */
    public static void addBiasRelu(double[] x, int off, double[] bias, double[] out, int rows, int cols) {
        int bound = S.loopBound(cols);
        DoubleVector zero = DoubleVector.zero(S);
        for (int r = 0; r < rows; r++) {
            int o = off + r * cols;
            int j = 0;
            for (; j < bound; j += LN) {
                DoubleVector.fromArray(S, x, o + j).add(DoubleVector.fromArray(S, bias, j)).max(zero).intoArray(out, o + j);
            }
            for (; j < cols; j++) out[o + j] = Math.max(x[o + j] + bias[j], 0);
        }
    }

    /** {@code out[i] = max(x[i], 0)} ({@code Math.max} semantics: NaN stays NaN, like PyTorch). */
    public static void relu(double[] x, double[] out, int n) {
        int i = 0;
        DoubleVector zero = DoubleVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += LN) {
            DoubleVector.fromArray(S, x, i).max(zero).intoArray(out, i);
        }
        for (; i < n; i++) out[i] = Math.max(x[i], 0);
    }

    /**
     * ReLU backward: {@code dx[i] = x[i] > 0 ? dy[i] : 0}, where {@code x} is the ReLU input (or, equivalently,
     * its output). {@code dx} may alias {@code dy}.
     */
    public static void reluBackward(double[] x, double[] dy, double[] dx, int n) {
        int i = 0;
        DoubleVector zero = DoubleVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += LN) {
            VectorMask<Double> pos = DoubleVector.fromArray(S, x, i).compare(VectorOperators.GT, 0);
            zero.blend(DoubleVector.fromArray(S, dy, i), pos).intoArray(dx, i);
        }
        for (; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
    }

    // ------------------------------------------------------------------------------------------------
    // Optimiser

    /** Adam moments smaller than this in magnitude count as zero; see adam(). */
    static final double ADAM_TINY = 1e-290 /*F32: 1e-30f*/;

    /**
     * One fused Adam step over {@code n} parameters, matching {@code torch.optim.Adam} (non-amsgrad, L2 weight
     * decay added to the gradient):
     * <pre>
     *   g  = grad + weightDecay * p
     *   m  = m + (1 - beta1) * (g - m)              (= beta1*m + (1-beta1)*g)
     *   v  = beta2 * v + (1 - beta2) * g * g
     *   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
     * </pre>
     * {@code p}, {@code m} and {@code v} are updated in place; {@code g} is not modified. {@code t} is the
     * 1-based step number.
     *
     * <p>Moments below {@link #ADAM_TINY} are stored as zero, as a CPU in flush-to-zero mode would (TensorFlow's
     * default). Java cannot switch that mode on, and the moments of rarely active weights (MNIST's border pixels)
     * decay geometrically into the subnormal range, where every vector operation on them takes a microcode
     * assist: that made the Adam update of the article's MLP several times slower than its memory traffic.
     * Dropping them changes a parameter by less than lr·TINY/eps, far below its rounding error.
     */
    public static void adam(double[] p, double[] g, double[] m, double[] v, int n,
                            double lr, double beta1, double beta2, double eps, double weightDecay, int t) {
        adam(p, g, m, v, 0, n, lr, beta1, beta2, eps, weightDecay, t);
    }

    /**
     * {@link #adam(double[], double[], double[], double[], int, double, double, double, double, double, int)} on the
     * index range {@code [from, to)} only, so that disjoint slices can be updated on different threads.
     */
    public static void adam(double[] p, double[] g, double[] m, double[] v, int from, int to,
                            double lr, double beta1, double beta2, double eps, double weightDecay, int t) {
        if (t < 1) throw new IllegalArgumentException("Adam step t must be >= 1: " + t);
        /*wide*/double bc1 = 1 - Math.pow(beta1, t);
        /*wide*/double bc2 = 1 - Math.pow(beta2, t);
        double stepSize = (double) (lr / bc1);
        double invBc2Sqrt = (double) (1 / Math.sqrt(bc2));
        double omb1 = 1 - beta1, omb2 = 1 - beta2;
        DoubleVector vWd = DoubleVector.broadcast(S, weightDecay);
        DoubleVector vOmb1 = DoubleVector.broadcast(S, omb1);
        DoubleVector vB2 = DoubleVector.broadcast(S, beta2);
        DoubleVector vOmb2 = DoubleVector.broadcast(S, omb2);
        DoubleVector vInv = DoubleVector.broadcast(S, invBc2Sqrt);
        DoubleVector vEps = DoubleVector.broadcast(S, eps);
        DoubleVector vStep = DoubleVector.broadcast(S, stepSize);
        DoubleVector vTiny = DoubleVector.broadcast(S, ADAM_TINY);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += LN) {
            DoubleVector pv = DoubleVector.fromArray(S, p, i);
            DoubleVector gv = DoubleVector.fromArray(S, g, i);
            if (weightDecay != 0) gv = pv.fma(vWd, gv);
            DoubleVector mv = DoubleVector.fromArray(S, m, i);
            mv = gv.sub(mv).fma(vOmb1, mv);
            DoubleVector vv = DoubleVector.fromArray(S, v, i).mul(vB2).add(gv.mul(gv).mul(vOmb2));
            mv = mv.blend(0, mv.abs().lt(vTiny));
            vv = vv.blend(0, vv.lt(vTiny));
            DoubleVector denom = vv.sqrt().fma(vInv, vEps);
            pv = pv.sub(vStep.mul(mv).div(denom));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            pv.intoArray(p, i);
        }
        for (; i < to; i++) {
            double gi = g[i];
            if (weightDecay != 0) gi = Math.fma(p[i], weightDecay, gi);
            double mi = Math.fma(gi - m[i], omb1, m[i]);
            double vi = v[i] * beta2 + gi * gi * omb2;
            if (Math.abs(mi) < ADAM_TINY) mi = 0;
            if (vi < ADAM_TINY) vi = 0;
            double denom = Math.fma((double) Math.sqrt(vi), invBc2Sqrt, eps);
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] - stepSize * mi / denom;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Softmax / cross-entropy

    /**
     * Fused, numerically stable (max-subtracted) softmax cross-entropy over the rows of {@code logits}
     * ({@code rows x cols}, row-major) against {@code targets} of the same shape (one-hot, or probability rows
     * that sum to 1). Returns the mean loss {@code -(1/rows) * sum_i sum_j t[i,j] * log softmax(z_i)_j}; when
     * {@code grad} is non-null also writes {@code grad = (softmax(logits) - targets) / rows} ({@code grad} may
     * alias {@code logits}). The loss is accumulated in 64-bit precision. {@code vectorExp}: see
     * {@link SimdConfig#vectorExp()}.
     */
    public static double softmaxCrossEntropy(double[] logits, double[] targets, int rows, int cols, double[] grad,
                                             boolean vectorExp) {
        /*wide*/double total = 0;
        double invRows = (double) (1.0 / rows);
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double mx = rowMax(logits, o, cols, bound);
            // t.z and t first: grad may alias logits, and expRow overwrites it.
            DoubleVector stz = DoubleVector.zero(S), st = DoubleVector.zero(S);
            int j = 0;
            for (; j < bound; j += LN) {
                DoubleVector t = DoubleVector.fromArray(S, targets, o + j);
                stz = t.fma(DoubleVector.fromArray(S, logits, o + j), stz);
                st = st.add(t);
            }
            /*wide*/double sumTz = stz.reduceLanes(VectorOperators.ADD);
            /*wide*/double sumT = st.reduceLanes(VectorOperators.ADD);
            for (; j < cols; j++) {
                sumTz += (/*wide*/double) targets[o + j] * logits[o + j];
                sumT += targets[o + j];
            }
            /*wide*/double sumExp = expRow(logits, o, cols, mx, grad, vectorExp);
            /*wide*/double lse = mx + Math.log(sumExp);
            total += lse * sumT - sumTz;
            if (grad != null) {
                double inv = (double) (1.0 / sumExp);
                DoubleVector vInv = DoubleVector.broadcast(S, inv);
                DoubleVector vInvRows = DoubleVector.broadcast(S, invRows);
                j = 0;
                for (; j < bound; j += LN) {
                    DoubleVector.fromArray(S, grad, o + j).mul(vInv).sub(DoubleVector.fromArray(S, targets, o + j))
                            .mul(vInvRows).intoArray(grad, o + j);
                }
                for (; j < cols; j++) grad[o + j] = (grad[o + j] * inv - targets[o + j]) * invRows;
            }
        }
        return (double) (total / rows);
    }

    /**
     * Row-wise numerically stable softmax: {@code out[i, :] = softmax(x[i, :])} ({@code out} may alias x).
     * {@code vectorExp}: see {@link SimdConfig#vectorExp()}.
     */
    public static void softmax(double[] x, double[] out, int rows, int cols, boolean vectorExp) {
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            /*wide*/double sumExp = expRow(x, o, cols, rowMax(x, o, cols, bound), out, vectorExp);
            double inv = (double) (1.0 / sumExp);
            DoubleVector vInv = DoubleVector.broadcast(S, inv);
            int j = 0;
            for (; j < bound; j += LN) DoubleVector.fromArray(S, out, o + j).mul(vInv).intoArray(out, o + j);
            for (; j < cols; j++) out[o + j] *= inv;
        }
    }

    /** Index of the first maximum of each row of a {@code rows x cols} matrix, into {@code out[0..rows)}. */
    public static void argmaxRows(double[] x, int rows, int cols, int[] out) {
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double mx = rowMax(x, o, cols, bound);
            int best = 0;
            for (int j = 0; j < cols; j++) {
                if (x[o + j] == mx) {
                    best = j;
                    break;
                }
            }
            out[r] = best;
        }
    }

    /**
     * {@code out[o + j] = exp(x[o + j] - mx)} for j below cols (unless out is null); returns their sum. The vector
     * EXP sits in a method of its own, away from the loops a native image must compile to SIMD (see the package doc).
     */
    private static /*wide*/double expRow(double[] x, int o, int cols, double mx, double[] out, boolean vectorExp) {
        return vectorExp ? expRowVector(x, o, cols, mx, out) : expRowScalar(x, o, 0, cols, mx, out);
    }

    private static /*wide*/double expRowVector(double[] x, int o, int cols, double mx, double[] out) {
        int bound = S.loopBound(cols);
        DoubleVector vmax = DoubleVector.broadcast(S, mx);
        DoubleVector se = DoubleVector.zero(S);
        int j = 0;
        for (; j < bound; j += LN) {
            DoubleVector e = DoubleVector.fromArray(S, x, o + j).sub(vmax).lanewise(VectorOperators.EXP);
            se = se.add(e);
            if (out != null) e.intoArray(out, o + j);
        }
        return se.reduceLanes(VectorOperators.ADD) + expRowScalar(x, o, j, cols, mx, out);
    }

    private static /*wide*/double expRowScalar(double[] x, int o, int from, int cols, double mx, double[] out) {
        /*wide*/double sum = 0;
        for (int j = from; j < cols; j++) {
            double e = (double) Math.exp(x[o + j] - mx);
            sum += e;
            if (out != null) out[o + j] = e;
        }
        return sum;
    }

    private static double rowMax(double[] x, int o, int cols, int bound) {
        double mx = Double.NEGATIVE_INFINITY;
        int j = 0;
        if (bound > 0) {
            DoubleVector vm = DoubleVector.fromArray(S, x, o);
            for (j = LN; j < bound; j += LN) vm = vm.max(DoubleVector.fromArray(S, x, o + j));
            mx = vm.reduceLanes(VectorOperators.MAX);
        }
        for (; j < cols; j++) mx = Math.max(mx, x[o + j]);
        return mx;
    }
}
