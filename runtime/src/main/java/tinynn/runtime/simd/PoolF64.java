package tinynn.runtime.simd;

import tinynn.ops.PoolWindow;

/**
 * Pooling kernels on {@code double} NCHW planes: each method handles the planes {@code [from, to)} (image n,
 * channel c is plane n·C + c), so the backend splits a batch over its threads by planes. The 2×2 stride-2 window
 * of LeNet-style nets has straight-line loops of its own; every other window runs the general loops. Semantics
 * are those of the ops' reference forwards: max takes the first maximum of a window (a NaN wins), windows that do
 * not tile the input drop the leftover rows and columns, gradients are zero where no window reaches.
 *
 * <p>The float32 twin is generated from this file by {@code runtime/src/build/GenerateF32.java}; edit this one.
 */
public final class PoolF64 {

    private PoolF64() {
    }

    // ------------------------------------------------------------------------------------------------
    // Max pooling

    /** out = the first maximum of each window. */
    public static void max(double[] x, double[] out, int h, int w, PoolWindow win, int from, int to) {
        int oh = win.outH(h), ow = win.outW(w);
        if (win.isTwoByTwo()) {
            for (int p = from; p < to; p++) max2x2(x, p * h * w, out, p * oh * ow, w, oh, ow);
            return;
        }
        for (int p = from; p < to; p++) {
            int base = p * h * w;
            for (int i = 0, o = p * oh * ow; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) out[o] = x[argmax(x, base, h, w, win, i, j)];
            }
        }
    }

    /** One plane of 2×2 stride-2 max pooling: the first maximum of a, b (top row) and c, d (bottom row). */
    private static void max2x2(double[] x, int in, double[] out, int o, int w, int oh, int ow) {
        for (int i = 0; i < oh; i++, o += ow) {
            int top = in + 2 * i * w, bottom = top + w;
            for (int j = 0; j < ow; j++) {
                double a = x[top + 2 * j], b = x[top + 2 * j + 1], c = x[bottom + 2 * j], d = x[bottom + 2 * j + 1];
                double m = b > a || b != b ? b : a;
                m = c > m || c != c ? c : m;
                out[o + j] = d > m || d != d ? d : m;
            }
        }
    }

    /**
     * dx = each g added at the element its window of x takes; the planes [from, to) of dx are overwritten, so
     * no separate zero fill is needed when the 2×2 windows tile the plane.
     */
    public static void maxGrad(double[] x, double[] g, double[] dx, int h, int w, PoolWindow win, int from, int to) {
        int oh = win.outH(h), ow = win.outW(w);
        if (win.isTwoByTwo()) {
            for (int p = from; p < to; p++) maxGrad2x2(x, g, p * oh * ow, dx, p * h * w, h, w, oh, ow);
            return;
        }
        java.util.Arrays.fill(dx, from * h * w, to * h * w, 0);
        for (int p = from; p < to; p++) {
            int base = p * h * w;
            for (int i = 0, o = p * oh * ow; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) dx[argmax(x, base, h, w, win, i, j)] += g[o];
            }
        }
    }

    private static void maxGrad2x2(double[] x, double[] g, int o, double[] dx, int in, int h, int w, int oh, int ow) {
        if (2 * oh != h || 2 * ow != w) java.util.Arrays.fill(dx, in, in + h * w, 0); // leftover row or column
        for (int i = 0; i < oh; i++, o += ow) {
            int top = in + 2 * i * w, bottom = top + w;
            for (int j = 0; j < ow; j++) {
                int ta = top + 2 * j, tb = ta + 1, bc = bottom + 2 * j, bd = bc + 1;
                double a = x[ta], b = x[tb], c = x[bc], d = x[bd];
                // Which of the four is the first maximum, as in max2x2: 0 = a, 1 = b, 2 = c, 3 = d.
                int k = 0;
                double m = a;
                if (b > m || b != b) { m = b; k = 1; }
                if (c > m || c != c) { m = c; k = 2; }
                if (d > m || d != d) { k = 3; }
                double gv = g[o + j];
                dx[ta] = k == 0 ? gv : 0;
                dx[tb] = k == 1 ? gv : 0;
                dx[bc] = k == 2 ? gv : 0;
                dx[bd] = k == 3 ? gv : 0;
            }
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

    private static void avg2x2(double[] x, int in, double[] out, int o, int w, int oh, int ow) {
        for (int i = 0; i < oh; i++, o += ow) {
            int top = in + 2 * i * w, bottom = top + w;
            for (int j = 0; j < ow; j++) {
                out[o + j] = (x[top + 2 * j] + x[top + 2 * j + 1] + x[bottom + 2 * j] + x[bottom + 2 * j + 1]) * 0.25 /*F32: 0.25f*/;
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
                double share = g[o + j] * 0.25 /*F32: 0.25f*/;
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
