package tinynn.runtime.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import tinynn.graph.Shape;
import tinynn.ops.Binary;

/**
 * Per-channel broadcasts on {@code double} arrays: a tensor viewed as {@code [outer, ch, inner]} combined with one value
 * per channel (a conv layer's bias [1, C, 1, 1] on [N, C, H, W], batch-norm scales), and the matching reduction, the
 * bias gradient {@code [N, C, H, W] → [1, C, 1, 1]}. Blocks of {@code inner} contiguous elements share one value, so the
 * loops are vector loops with a broadcast operand. Nothing is allocated.
 *
 * <p>The float32 twin is generated from this file by {@code runtime/src/build/GenerateF32.java}; edit this one.
 */
public final class ChannelF64 {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int LN = S.length();

    private static final ThreadLocal<double[]> LANES = ThreadLocal.withInitial(() -> new double[LN]);

    private ChannelF64() {
    }

    /**
     * {@code out[r, k, j] = a[r, k, j] OP b[k]} for blocks {@code [from, to)} of the flattened {@code (r, k)} index
     * ({@code swap}: {@code b[k] OP a[r, k, j]}).
     */
    public static void apply(Binary.Kind kind, double[] a, double[] b, double[] out, int ch, int inner, boolean swap,
                             int from, int to) {
        int bound = S.loopBound(inner);
        for (int blk = from; blk < to; blk++) {
            int o = blk * inner;
            double v = b[blk % ch];
            DoubleVector vb = DoubleVector.broadcast(S, v);
            int j = 0;
            switch (kind) {
                case ADD -> {
                    for (; j < bound; j += LN) DoubleVector.fromArray(S, a, o + j).add(vb).intoArray(out, o + j);
                    for (; j < inner; j++) out[o + j] = a[o + j] + v;
                }
                case MUL -> {
                    for (; j < bound; j += LN) DoubleVector.fromArray(S, a, o + j).mul(vb).intoArray(out, o + j);
                    for (; j < inner; j++) out[o + j] = a[o + j] * v;
                }
                case SUB -> {
                    if (swap) {
                        for (; j < bound; j += LN) vb.sub(DoubleVector.fromArray(S, a, o + j)).intoArray(out, o + j);
                        for (; j < inner; j++) out[o + j] = v - a[o + j];
                    } else {
                        for (; j < bound; j += LN) DoubleVector.fromArray(S, a, o + j).sub(vb).intoArray(out, o + j);
                        for (; j < inner; j++) out[o + j] = a[o + j] - v;
                    }
                }
                case DIV -> {
                    if (swap) {
                        for (; j < bound; j += LN) vb.div(DoubleVector.fromArray(S, a, o + j)).intoArray(out, o + j);
                        for (; j < inner; j++) out[o + j] = v / a[o + j];
                    } else {
                        for (; j < bound; j += LN) DoubleVector.fromArray(S, a, o + j).div(vb).intoArray(out, o + j);
                        for (; j < inner; j++) out[o + j] = a[o + j] / v;
                    }
                }
            }
        }
    }

    /** {@code out[r, k, j] = max(a[r, k, j] + b[k], 0)} for blocks {@code [from, to)}: a conv layer's bias and ReLU in one pass. */
    public static void addRelu(double[] a, double[] b, double[] out, int ch, int inner, int from, int to) {
        int bound = S.loopBound(inner);
        DoubleVector zero = DoubleVector.zero(S);
        for (int blk = from; blk < to; blk++) {
            int o = blk * inner;
            double v = b[blk % ch];
            DoubleVector vb = DoubleVector.broadcast(S, v);
            int j = 0;
            for (; j < bound; j += LN) DoubleVector.fromArray(S, a, o + j).add(vb).max(zero).intoArray(out, o + j);
            for (; j < inner; j++) out[o + j] = Math.max(a[o + j] + v, 0);
        }
    }

    /**
     * {@code out[k] = Σ_r Σ_j x[r, k, j]} for channels {@code [from, to)} of a {@code [outer, ch, inner]} array. Each
     * block of {@code inner} elements is summed in vector lanes, its lanes are added in order into a 64-bit sum, and
     * the blocks in order of r: the same bits on every thread and at every JIT tier (reduceLanes would not promise that).
     */
    public static void sums(double[] x, int outer, int ch, int inner, double[] out, int from, int to) {
        int bound = S.loopBound(inner);
        double[] lanes = LANES.get();   // lanes leave the vector by a store: lane(i) need not compile to SIMD everywhere
        for (int k = from; k < to; k++) {
            /*wide*/double total = 0;
            for (int r = 0; r < outer; r++) {
                int o = (r * ch + k) * inner;
                int j = 0;
                if (bound > 0) {
                    DoubleVector acc = DoubleVector.fromArray(S, x, o);
                    for (j = LN; j < bound; j += LN) acc = acc.add(DoubleVector.fromArray(S, x, o + j));
                    acc.intoArray(lanes, 0);
                    for (int l = 0; l < LN; l++) total += lanes[l];
                }
                for (; j < inner; j++) total += x[o + j];
            }
            out[k] = (double) total;
        }
    }

    /**
     * The {@code inner} size when {@code small} broadcasts against {@code big} as one value per channel: its dimensions
     * other than 1 form one contiguous run equal to {@code big}'s (right-aligned, numpy style), so that {@code big} is
     * {@code [outer, small.size, inner]}; -1 otherwise (and for a one-element {@code small}).
     */
    public static int channelInner(Shape small, Shape big) {
        int r = big.rank(), k = small.rank();
        if (k > r) return -1;
        int first = -1, last = -1;
        for (int i = 0; i < k; i++) {
            int d = small.dim(i);
            if (d == 1) continue;
            if (d != big.dim(r - k + i) || (first >= 0 && last != i - 1)) return -1;
            if (first < 0) first = i;
            last = i;
        }
        if (first < 0) return -1;
        int inner = 1;
        for (int i = r - k + last + 1; i < r; i++) inner *= big.dim(i);
        return inner;
    }
}
