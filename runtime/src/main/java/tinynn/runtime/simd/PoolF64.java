package tinynn.runtime.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import tinynn.ops.PoolWindow;

/**
 * Pooling kernels on {@code double} NCHW planes: each method handles the planes {@code [from, to)} (image n,
 * channel c is plane n·C + c), so the backend splits a batch over its threads by planes. The 2×2 stride-2 window
 * of LeNet-style nets has straight-line loops of its own; every other window runs the general loops. Semantics
 * are those of the ops' reference forwards: max takes the first maximum of a window (a NaN wins), windows that do
 * not tile the input drop the leftover rows and columns, gradients are zero where no window reaches.
 *
 * <p>The 2×2 max-pool kernels work on a row pair at a time in vector lanes, in the image's own interleaved layout: the
 * lanewise maximum of the two rows, then of each lane and its pair neighbour (lane i ^ 1), holds each window's
 * maximum in both of its columns, so no gather is needed; the forward pass then keeps the even lanes. Rows take whole
 * vectors without masks, which both compilers keep in vector code: the last vector of a row overlaps the one before,
 * and a row shorter than a vector (LeNet's second pool: 10 columns, 16 float lanes) reads and writes past its end,
 * into rows the same call writes afterwards; only where that would leave the caller's planes (their last rows) do
 * the scalar loops take over, or in the forward pass on C2 masked vectors (a native image would run masked operations
 * boxed; see the package doc). C2 takes masked vectors for all short rows of the forward pass, where they measured
 * faster.
 * On LeNet's pools the vector paths are 2–4× (forward) and 3–8× (gradient) faster than the scalar loops; average
 * pooling, whose scalar loops have no branches, measured no faster in vector lanes and stays scalar.
 *
 * <p>The float32 twin is generated from this file by {@code runtime/src/build/GenerateF32.java}; edit this one.
 */
public final class PoolF64 {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int LN = S.length();
    /** Lane i takes lane i ^ 1: each lane meets its neighbour in the same 2-wide window. */
    private static final VectorShuffle<Double> SWAP = VectorShuffle.fromOp(S, i -> i ^ 1);
    /** Lanes 0..LN/2−1 take the even lanes: one value per window, in output order. */
    private static final VectorShuffle<Double> EVENS = VectorShuffle.fromOp(S, i -> 2 * i % LN);
    /** Lane i takes lane i / 2: one value per window spread over both of its columns. */
    private static final VectorShuffle<Double> SPREAD = VectorShuffle.fromOp(S, i -> i / 2);
    /** Lane i takes the left (i & ~1) or right (i | 1) lane of its pair: a window's two columns in each lane. */
    private static final VectorShuffle<Double> LEFT_OF_PAIR = VectorShuffle.fromOp(S, i -> i & ~1);
    private static final VectorShuffle<Double> RIGHT_OF_PAIR = VectorShuffle.fromOp(S, i -> i | 1);
    /** Each lane's position in its window, row-major (a = 0, b = 1, c = 2, d = 3), in the top and the bottom row. */
    // Arrays, loaded where used: a vector held in a static field runs as the boxed Java fallback in a native image,
    // and takes the method's other vector operations with it (LeNet-5 13× slower an epoch).
    private static final double[] TOP_POSITION = positions(0);
    private static final double[] BOTTOM_POSITION = positions(2);
    private static final double QUARTER = 0.25 /*F32: 0.25f*/;
    /** Rows of at least LN columns: whole vectors only, which both compilers keep in vector code. */
    private static final boolean VECTOR = LN >= 2;
    /** Forward rows shorter than a vector in masked vectors: C2 only (a native image would run them boxed). */
    private static final boolean MASKED = !SimdConfig.NATIVE_IMAGE && LN >= 2;

    private PoolF64() {
    }

    private static double[] positions(int first) {
        double[] p = new double[LN];
        for (int i = 0; i < LN; i++) p[i] = first + (i & 1);
        return p;
    }

    // ------------------------------------------------------------------------------------------------
    // Max pooling

    /** out = the first maximum of each window. */
    public static void max(double[] x, double[] out, int h, int w, PoolWindow win, int from, int to) {
        int oh = win.outH(h), ow = win.outW(w);
        if (win.isTwoByTwo()) {
            max2x2(x, out, h, w, from, to, MASKED);
            return;
        }
        for (int p = from; p < to; p++) {
            int base = p * h * w;
            for (int i = 0, o = p * oh * ow; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) out[o] = x[argmax(x, base, h, w, win, i, j)];
            }
        }
    }

    /**
     * Planes [from, to) of 2×2 stride-2 max pooling: the largest of a, b (top row) and c, d (bottom row), a NaN if
     * any. Rows shorter than a vector take masked vectors when {@code masked} (faster in C2), else whole vectors that
     * write past the row (see maxRowWhole2x2).
     */
    static void max2x2(double[] x, double[] out, int h, int w, int from, int to, boolean masked) {
        int oh = h / 2, ow = w / 2, cols = 2 * ow, last = Math.max(0, cols - LN), end = to * oh * ow;
        for (int o = from * oh * ow, p = from; p < to; p++) {
            for (int i = 0, in = p * h * w; i < oh; i++, o += ow) {
                int top = in + 2 * i * w;
                if (VECTOR && (cols >= LN || !masked) && o + last / 2 + LN <= end && top + w + Math.max(cols, LN) <= x.length) {
                    maxRowWhole2x2(x, top, top + w, out, o, cols);
                } else if (masked) {
                    maxRow2x2(x, top, top + w, out, o, cols);
                } else {
                    for (int j = 0; j < ow; j++) {
                        int t = top + 2 * j, b = t + w;
                        // Math.max is branch-free and propagates NaN, as the first-NaN-wins rule does for the value.
                        out[o + j] = Math.max(Math.max(x[t], x[t + 1]), Math.max(x[b], x[b + 1]));
                    }
                }
            }
        }
    }

    /**
     * The windows of one row pair of {@code cols} (even) columns in whole vectors, with no masks: the last one
     * overlaps the one before, or reads past the row when the row is shorter than a vector. Each store writes LN
     * outputs, of which the first LN / 2 (or cols / 2) are this step's; the rest are overwritten by the next step,
     * and the last step's by the rows that follow, so the caller runs this only when the last store,
     * [o + max(0, cols − LN) / 2, + LN), ends within its own outputs.
     */
    private static void maxRowWhole2x2(double[] x, int top, int bottom, double[] out, int o, int cols) {
        for (int c = 0; ; c += LN) {
            c = Math.max(0, Math.min(c, cols - LN));
            DoubleVector v = DoubleVector.fromArray(S, x, top + c).max(DoubleVector.fromArray(S, x, bottom + c));
            v.max(v.rearrange(SWAP)).rearrange(EVENS).intoArray(out, o + c / 2);
            if (c + LN >= cols) return;
        }
    }

    /** Rows shorter than a vector, for C2: masked loads and stores. */
    private static void maxRow2x2(double[] x, int top, int bottom, double[] out, int o, int cols) {
        int c = 0;
        for (; c <= cols - LN; c += LN) {
            DoubleVector v = DoubleVector.fromArray(S, x, top + c).max(DoubleVector.fromArray(S, x, bottom + c));
            v.max(v.rearrange(SWAP)).rearrange(EVENS).intoArray(out, o + c / 2, S.indexInRange(0, LN / 2));
        }
        if (c < cols) maxTail2x2(x, top, bottom, out, o, c, cols);
    }

    private static void maxTail2x2(double[] x, int top, int bottom, double[] out, int o, int c, int cols) {
        VectorMask<Double> m = S.indexInRange(c, cols);
        DoubleVector v = DoubleVector.fromArray(S, x, top + c, m).max(DoubleVector.fromArray(S, x, bottom + c, m));
        v.max(v.rearrange(SWAP)).rearrange(EVENS).intoArray(out, o + c / 2, S.indexInRange(0, (cols - c) / 2));
    }

    /**
     * dx = each g added at the element its window of x takes (with {@code relu}, only where that element is positive:
     * the ReLU's gradient too, x being its output); the planes [from, to) of dx are overwritten, so no separate zero
     * fill is needed when the 2×2 windows tile the plane.
     */
    public static void maxGrad(double[] x, double[] g, double[] dx, int h, int w, PoolWindow win, boolean relu, int from, int to) {
        int oh = win.outH(h), ow = win.outW(w);
        if (win.isTwoByTwo()) {
            for (int p = from; p < to; p++) maxGrad2x2(x, g, p * oh * ow, dx, p * h * w, h, w, oh, ow, relu, to * h * w);
            return;
        }
        java.util.Arrays.fill(dx, from * h * w, to * h * w, 0);
        for (int p = from; p < to; p++) {
            int base = p * h * w;
            for (int i = 0, o = p * oh * ow; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) {
                    int k = argmax(x, base, h, w, win, i, j);
                    if (!relu || x[k] > 0) dx[k] += g[o];
                }
            }
        }
    }

    /** {@code end}: the end of the caller's planes of dx, which the whole-vector rows may write up to. */
    private static void maxGrad2x2(double[] x, double[] g, int o, double[] dx, int in, int h, int w, int oh, int ow, boolean relu,
                                   int end) {
        boolean tiled = 2 * oh == h && 2 * ow == w;
        if (!tiled) java.util.Arrays.fill(dx, in, in + h * w, 0); // leftover row or column
        int cols = 2 * ow;
        // Rows shorter than a vector write past their end, which only rows written after them may take.
        boolean whole = VECTOR && (cols >= LN || tiled);
        for (int i = 0; i < oh; i++, o += ow) {
            int top = in + 2 * i * w, bottom = top + w;
            if (whole && bottom + Math.max(cols, LN) <= end && o + Math.max(0, cols - LN) / 2 + LN <= g.length
                    && maxGradRowWhole2x2(x, g, o, dx, top, bottom, cols, relu)) continue;
            for (int j = 0; j < ow; j++) {
                int ta = top + 2 * j, tb = ta + 1, bc = bottom + 2 * j, bd = bc + 1;
                double a = x[ta], b = x[tb], c = x[bc], d = x[bd];
                dx[ta] = 0;
                dx[tb] = 0;
                dx[bc] = 0;
                dx[bd] = 0;
                // Which of the four takes g: the first maximum (0 = a, 1 = b, 2 = c, 3 = d), or the last NaN when
                // there is one. Worked out in bits, not branches: the winner is data-dependent, so branches
                // mispredict about every other window, and this loop takes every row the vector path cannot.
                int nans = (a != a ? 1 : 0) | (b != b ? 2 : 0) | (c != c ? 4 : 0) | (d != d ? 8 : 0);
                int k;
                if (nans == 0) {
                    double m = Math.max(Math.max(a, b), Math.max(c, d));
                    k = Integer.numberOfTrailingZeros((a == m ? 1 : 0) | (b == m ? 2 : 0) | (c == m ? 4 : 0) | 8);
                } else {
                    k = 31 - Integer.numberOfLeadingZeros(nans);
                }
                int at = ta + (k & 1) + (k >> 1) * w;
                dx[at] = relu && !(x[at] > 0) ? 0 : g[o + j];
            }
        }
    }

    /**
     * One row pair of the 2×2 max-pool gradient in whole vectors, with no masks. Each lane sees its window's a, b (top)
     * and c, d (bottom) and the maximum m, finds which comes first at m by blends from d back to a, and keeps g where
     * that is its own position (only compares and blends: logic on masks ran as boxed Java code in C2 here, allocating
     * on every call). The last vector overlaps the one before (its windows written twice, with the same values), or
     * reads and writes past the row when the row is shorter than a vector; the caller makes sure whatever lies there
     * is written again after this row. False when a window holds a NaN (in a lane past the row too): the scalar loop
     * then takes the row, as it takes the rows the caller cannot give this one.
     */
    private static boolean maxGradRowWhole2x2(double[] x, double[] g, int o, double[] dx, int top, int bottom, int cols, boolean relu) {
        for (int c = 0; ; c += LN) {
            c = Math.max(0, Math.min(c, cols - LN));
            DoubleVector t = DoubleVector.fromArray(S, x, top + c), b = DoubleVector.fromArray(S, x, bottom + c);
            DoubleVector a1 = t.rearrange(LEFT_OF_PAIR), b1 = t.rearrange(RIGHT_OF_PAIR);
            DoubleVector c1 = b.rearrange(LEFT_OF_PAIR), d1 = b.rearrange(RIGHT_OF_PAIR);
            DoubleVector m = a1.max(b1).max(c1.max(d1));
            if (m.compare(VectorOperators.NE, m).anyTrue()) return false; // a NaN
            DoubleVector first = DoubleVector.broadcast(S, 3)
                    .blend(2, c1.eq(m)).blend(1, b1.eq(m)).blend(0, a1.eq(m));
            DoubleVector gv = DoubleVector.fromArray(S, g, o + c / 2).rearrange(SPREAD);
            DoubleVector zero = DoubleVector.zero(S);
            if (relu) gv = zero.blend(gv, m.compare(VectorOperators.GT, 0));
            zero.blend(gv, first.eq(DoubleVector.fromArray(S, TOP_POSITION, 0))).intoArray(dx, top + c);
            zero.blend(gv, first.eq(DoubleVector.fromArray(S, BOTTOM_POSITION, 0))).intoArray(dx, bottom + c);
            if (c + LN >= cols) return true;
        }
    }

    /** The flat index of the element window (i, j) of the plane at {@code base} takes: the first maximum, or a NaN. */
    private static int argmax(double[] x, int base, int h, int w, PoolWindow win, int i, int j) {
        int h0 = i * win.strideH() - win.padTop(), w0 = j * win.strideW() - win.padLeft();
        int hs = Math.max(h0, 0), he = Math.min(h0 + win.kernelH(), h), ws = Math.max(w0, 0), we = Math.min(w0 + win.kernelW(), w);
        int best = base + hs * w + ws;
        double m = Double.NEGATIVE_INFINITY;
        for (int y = hs; y < he; y++) {
            for (int k = base + y * w + ws, end = base + y * w + we; k < end; k++) {
                double v = x[k];
                if (v > m || v != v) {
                    m = v;
                    best = k;
                }
            }
        }
        return best;
    }

    // ------------------------------------------------------------------------------------------------
    // Average pooling

    /** out = the mean of each window; divisor kernelH·kernelW with countIncludePad, else the inputs covered. */
    public static void avg(double[] x, double[] out, int h, int w, PoolWindow win, boolean countIncludePad, int from, int to) {
        int oh = win.outH(h), ow = win.outW(w);
        if (win.isTwoByTwo()) {
            for (int p = from; p < to; p++) avg2x2(x, p * h * w, out, p * oh * ow, w, oh, ow);
            return;
        }
        for (int p = from; p < to; p++) {
            int base = p * h * w;
            for (int i = 0, o = p * oh * ow; i < oh; i++) {
                int h0 = i * win.strideH() - win.padTop(), hs = Math.max(h0, 0), he = Math.min(h0 + win.kernelH(), h);
                for (int j = 0; j < ow; j++, o++) {
                    int w0 = j * win.strideW() - win.padLeft(), ws = Math.max(w0, 0), we = Math.min(w0 + win.kernelW(), w);
                    double s = 0;
                    for (int y = hs; y < he; y++) for (int k = base + y * w + ws, end = base + y * w + we; k < end; k++) s += x[k];
                    out[o] = s / divisor(win, countIncludePad, hs, he, ws, we);
                }
            }
        }
    }

    /** Scalar: its loop is branch-free already, and vector lanes measured no faster (LeNet's sizes, float32). */
    private static void avg2x2(double[] x, int in, double[] out, int o, int w, int oh, int ow) {
        for (int i = 0; i < oh; i++, o += ow) {
            int top = in + 2 * i * w, bottom = top + w;
            for (int j = 0; j < ow; j++) {
                out[o + j] = (x[top + 2 * j] + x[top + 2 * j + 1] + x[bottom + 2 * j] + x[bottom + 2 * j + 1]) * QUARTER;
            }
        }
    }

    /** dx = each g spread evenly over its window's inputs; the planes [from, to) of dx are overwritten. */
    public static void avgGrad(double[] g, double[] dx, int h, int w, PoolWindow win, boolean countIncludePad, int from, int to) {
        int oh = win.outH(h), ow = win.outW(w);
        if (win.isTwoByTwo()) {
            for (int p = from; p < to; p++) avgGrad2x2(g, p * oh * ow, dx, p * h * w, h, w, oh, ow);
            return;
        }
        java.util.Arrays.fill(dx, from * h * w, to * h * w, 0);
        for (int p = from; p < to; p++) {
            int base = p * h * w;
            for (int i = 0, o = p * oh * ow; i < oh; i++) {
                int h0 = i * win.strideH() - win.padTop(), hs = Math.max(h0, 0), he = Math.min(h0 + win.kernelH(), h);
                for (int j = 0; j < ow; j++, o++) {
                    int w0 = j * win.strideW() - win.padLeft(), ws = Math.max(w0, 0), we = Math.min(w0 + win.kernelW(), w);
                    double share = g[o] / divisor(win, countIncludePad, hs, he, ws, we);
                    for (int y = hs; y < he; y++) for (int k = base + y * w + ws, end = base + y * w + we; k < end; k++) dx[k] += share;
                }
            }
        }
    }

    private static void avgGrad2x2(double[] g, int o, double[] dx, int in, int h, int w, int oh, int ow) {
        if (2 * oh != h || 2 * ow != w) java.util.Arrays.fill(dx, in, in + h * w, 0); // leftover row or column
        for (int i = 0; i < oh; i++, o += ow) {
            int top = in + 2 * i * w, bottom = top + w;
            for (int j = 0; j < ow; j++) {
                double share = g[o + j] * QUARTER;
                dx[top + 2 * j] = share;
                dx[top + 2 * j + 1] = share;
                dx[bottom + 2 * j] = share;
                dx[bottom + 2 * j + 1] = share;
            }
        }
    }

    private static int divisor(PoolWindow win, boolean countIncludePad, int hs, int he, int ws, int we) {
        return countIncludePad ? win.kernelH() * win.kernelW() : (he - hs) * (we - ws);
    }
}
