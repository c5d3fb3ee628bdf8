package tinynn.runtime;

import tinynn.ops.Recurrence.Kind;

/**
 * The recurrence kernels (tinynn.ops.Recurrence and RecurrenceGrad; equations in docs/rnn.md) for the array
 * backends, in float64. Each time step is one GEMM on strided rows followed by an elementwise cell update over the
 * N rows of that step ({@link #stepForward}, {@link #stepBackward}): the GEMM comes from the backend ({@link Gemm}: plain
 * loops, ojalgo's multiply). The SIMD backend has its own vectorised kernel, tinynn.runtime.simd.RecurrenceF64.
 * Scratch rows live in one thread-local holder that only grows, so a call allocates nothing in steady state.
 * The float32 twin, RecurrenceLoopsF32, is generated from this file by runtime/src/build/GenerateF32.java.
 */
public final class RecurrenceLoopsF64 {
    private RecurrenceLoopsF64() {}

    /** C (m × n, row stride ldc) = (or += when accumulate) op(A)·op(B), A and B with row strides lda and ldb. */
    public interface Gemm {
        void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                  boolean accumulate, double[] c, int cOff, int ldc);
    }

    /** The plain triple loop, accumulating in double. */
    public static final Gemm LOOPS = (ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc) -> {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                /*wide*/double s = 0;
                for (int p = 0; p < k; p++) s += (ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p]) * (tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
                int at = cOff + i * ldc + j;
                c[at] = (double) (accumulate ? c[at] + s : s);
            }
        }
    };

    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[3][0]);

    /** Slot i of this thread's scratch, at least n long (contents unspecified). */
    private static double[] scratch(int i, int n) {
        double[][] holder = SCRATCH.get();
        if (holder[i].length < n) holder[i] = new double[n];
        return holder[i];
    }

    /**
     * ws [n, t, S·h] from xp [n, t, G·h], wHh [h, G·h], h0 [n, h], c0 (LSTM) and bHh (GRU), each null when the
     * kind takes none.
     */
    public static void forward(Kind kind, boolean reverse, int n, int t, int h, double[] xp, double[] wHh, double[] h0, double[] c0,
                               double[] bHh, double[] ws, Gemm gemm) {
        int g = kind.gates() * h, s = kind.width() * h, wsLd = t * s;
        double[] pre = scratch(0, n * g);
        for (int step = 0; step < t; step++) {
            int time = reverse ? t - 1 - step : step, prev = reverse ? time + 1 : time - 1;
            boolean first = step == 0;
            double[] hp = first ? h0 : ws, cp = first ? c0 : ws;
            int hOff = first ? 0 : prev * s, cOff = first ? 0 : prev * s + h, hLd = first ? h : wsLd;
            gemm.gemm(false, false, n, g, h, hp, hOff, hLd, wHh, 0, g, false, pre, 0, g);
            stepForward(kind, n, h, xp, time * g, t * g, pre, bHh, hp, hOff, cp, cOff, hLd, ws, time * s, wsLd);
        }
    }

    /**
     * One time step's cell update for the n rows: row b reads xp at xpOff + b·xpLd, the recurrent product
     * h_prev·W_hh at pre[b·G·h], h_prev and c_prev (LSTM) at hOff and cOff + b·hLd, and writes its workspace row
     * at wsOff + b·wsLd.
     */
    public static void stepForward(Kind kind, int n, int h, double[] xp, int xpOff, int xpLd, double[] pre, double[] bHh,
                                   double[] hp, int hOff, double[] cp, int cOff, int hLd, double[] ws, int wsOff, int wsLd) {
        int g = kind.gates() * h;
        for (int b = 0; b < n; b++) {
            int x = xpOff + b * xpLd, q = b * g, o = wsOff + b * wsLd, hr = hOff + b * hLd, cr = cOff + b * hLd;
            switch (kind) {
                case RNN_TANH -> { for (int j = 0; j < h; j++) ws[o + j] = (double) Math.tanh(xp[x + j] + pre[q + j]); }
                case RNN_RELU -> { for (int j = 0; j < h; j++) ws[o + j] = Math.max(xp[x + j] + pre[q + j], 0); }
                case LSTM -> {
                    for (int j = 0; j < h; j++) {
                        double i = sigmoid(xp[x + j] + pre[q + j]), f = sigmoid(xp[x + h + j] + pre[q + h + j]);
                        double gg = (double) Math.tanh(xp[x + 2 * h + j] + pre[q + 2 * h + j]), og = sigmoid(xp[x + 3 * h + j] + pre[q + 3 * h + j]);
                        double c = f * cp[cr + j] + i * gg;
                        ws[o + j] = og * (double) Math.tanh(c);
                        ws[o + h + j] = c;
                        ws[o + 2 * h + j] = i;
                        ws[o + 3 * h + j] = f;
                        ws[o + 4 * h + j] = gg;
                        ws[o + 5 * h + j] = og;
                    }
                }
                case GRU -> {
                    for (int j = 0; j < h; j++) {
                        double r = sigmoid(xp[x + j] + pre[q + j] + bHh[j]), z = sigmoid(xp[x + h + j] + pre[q + h + j] + bHh[h + j]);
                        double hn = pre[q + 2 * h + j] + bHh[2 * h + j];
                        double nn = (double) Math.tanh(xp[x + 2 * h + j] + r * hn);
                        ws[o + j] = (1 - z) * nn + z * hp[hr + j];
                        ws[o + h + j] = r;
                        ws[o + 2 * h + j] = z;
                        ws[o + 3 * h + j] = nn;
                        ws[o + 4 * h + j] = hn;
                    }
                }
            }
        }
    }

    /**
     * out [n, t+1, P] from the workspace ws, its gradient dws (both [n, t, S·h]), wHh, h0 and c0 (LSTM; else null):
     * backpropagation through time, one cell update and one GEMM (d rec_t·W_hhᵀ into the carried dh) per step.
     */
    public static void backward(Kind kind, boolean reverse, int n, int t, int h, double[] ws, double[] dws, double[] wHh, double[] h0,
                                double[] c0, double[] out, Gemm gemm) {
        backward(kind, reverse, n, t, h, ws, dws, wHh, h0, c0, true, out, gemm);
    }

    /** As above; without {@code state}, out is [n, t, P]: no row of dh0, dc0 (see tinynn.ops.RecurrenceGrad). */
    public static void backward(Kind kind, boolean reverse, int n, int t, int h, double[] ws, double[] dws, double[] wHh, double[] h0,
                                double[] c0, boolean state, double[] out, Gemm gemm) {
        int g = kind.gates() * h, s = kind.width() * h, p = kind.gradWidth() * h, wsLd = t * s, outLd = (t + (state ? 1 : 0)) * p;
        int recOff = kind == Kind.GRU ? g : 0;
        double[] dh = scratch(1, n * h), dc = scratch(2, n * h);
        java.util.Arrays.fill(dh, 0, n * h, 0);
        java.util.Arrays.fill(dc, 0, n * h, 0);
        for (int step = t - 1; step >= 0; step--) {
            int time = reverse ? t - 1 - step : step, prev = reverse ? time + 1 : time - 1;
            boolean first = step == 0;
            double[] hp = first ? h0 : ws, cp = first ? c0 : ws;
            int hOff = first ? 0 : prev * s, cOff = first ? 0 : prev * s + h, hLd = first ? h : wsLd;
            stepBackward(kind, n, h, ws, dws, time * s, wsLd, hp, hOff, cp, cOff, hLd, dh, dc, out, time * p, outLd);
            gemm.gemm(false, true, n, h, g, out, time * p + recOff, outLd, wHh, 0, g, true, dh, 0, h);
        }
        for (int b = 0; b < n && state; b++) {
            int o = b * outLd + t * p;
            java.util.Arrays.fill(out, o, o + p, 0);
            System.arraycopy(dh, b * h, out, o, h);
            if (kind == Kind.LSTM) System.arraycopy(dc, b * h, out, o + h, h);
        }
    }

    /**
     * One time step's gradient for the n rows. On entry dh[b·h + j] and dc hold the gradients reaching h_t and
     * c_t from the step after; the step adds dws, writes [d xp | d rec] at outOff + b·outLd, and leaves in dh the part of d h_prev that does
     * not go through W_hh (GRU: z⊙dh; else 0), which the caller's GEMM then adds d rec·W_hhᵀ to, and in dc d c_prev.
     */
    public static void stepBackward(Kind kind, int n, int h, double[] ws, double[] dws, int wsOff, int wsLd, double[] hp, int hOff,
                                    double[] cp, int cOff, int hLd, double[] dh, double[] dc, double[] out, int outOff, int outLd) {
        int g = kind.gates() * h;
        for (int b = 0; b < n; b++) {
            int o = wsOff + b * wsLd, q = outOff + b * outLd, hr = hOff + b * hLd, cr = cOff + b * hLd, d = b * h;
            switch (kind) {
                case RNN_TANH -> {
                    for (int j = 0; j < h; j++) {
                        double y = ws[o + j];
                        out[q + j] = (dws[o + j] + dh[d + j]) * (1 - y * y);
                        dh[d + j] = 0;
                    }
                }
                case RNN_RELU -> {
                    for (int j = 0; j < h; j++) {
                        out[q + j] = ws[o + j] > 0 ? dws[o + j] + dh[d + j] : 0;
                        dh[d + j] = 0;
                    }
                }
                case LSTM -> {
                    for (int j = 0; j < h; j++) {
                        double c = ws[o + h + j], i = ws[o + 2 * h + j], f = ws[o + 3 * h + j], gg = ws[o + 4 * h + j], og = ws[o + 5 * h + j];
                        double tc = (double) Math.tanh(c), dhj = dws[o + j] + dh[d + j];
                        double dcj = dws[o + h + j] + dc[d + j] + dhj * og * (1 - tc * tc);
                        out[q + j] = (dcj * gg + dws[o + 2 * h + j]) * i * (1 - i);
                        out[q + h + j] = (dcj * cp[cr + j] + dws[o + 3 * h + j]) * f * (1 - f);
                        out[q + 2 * h + j] = (dcj * i + dws[o + 4 * h + j]) * (1 - gg * gg);
                        out[q + 3 * h + j] = (dhj * tc + dws[o + 5 * h + j]) * og * (1 - og);
                        dc[d + j] = dcj * f;
                        dh[d + j] = 0;
                    }
                }
                case GRU -> {
                    for (int j = 0; j < h; j++) {
                        double r = ws[o + h + j], z = ws[o + 2 * h + j], nn = ws[o + 3 * h + j], hn = ws[o + 4 * h + j];
                        double dhj = dws[o + j] + dh[d + j];
                        double dnPre = (dhj * (1 - z) + dws[o + 3 * h + j]) * (1 - nn * nn);
                        double dr = (dnPre * hn + dws[o + h + j]) * r * (1 - r);
                        double dz = (dhj * (hp[hr + j] - nn) + dws[o + 2 * h + j]) * z * (1 - z);
                        out[q + j] = out[q + g + j] = dr;
                        out[q + h + j] = out[q + g + h + j] = dz;
                        out[q + 2 * h + j] = dnPre;
                        out[q + g + 2 * h + j] = dnPre * r + dws[o + 4 * h + j];
                        dh[d + j] = dhj * z;
                    }
                }
            }
        }
    }

    static double sigmoid(double v) {
        return v >= 0 ? 1 / (1 + (double) Math.exp(-v)) : (double) Math.exp(v) / (1 + (double) Math.exp(v));
    }
}
