package tinynn.runtime.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The recurrence of the RNN, LSTM and GRU layers and its backward pass through time on {@code double} arrays, in the
 * layouts of the Recurrence / RecurrenceGrad primitives (docs/rnn.md):
 * input projection {@code xp [N, T, G·H]}, recurrent weights {@code wHh [H, G·H]}, initial state {@code h0 [N, H]}
 * (LSTM also {@code c0}; GRU also {@code bHh [1, 3H]}), workspace {@code ws [N, T, S]} with S = H (RNN),
 * 6H {@code [h | c | i | f | g | o]} (LSTM) or 5H {@code [h | r | z | n | hn]} (GRU), indexed by real time;
 * the gradient's output {@code out [N, T + 1, P]}: rows t < T hold {@code d xp_t} (GRU then {@code d rec_t}),
 * row T holds {@code dh0} (LSTM then {@code dc0}) and zeros.
 *
 * <p>Each batch row's recurrence depends on nothing but its own earlier states, so the rows are split over the threads
 * once per call and every thread runs all T steps of its band: per step one GEMM of its rows' previous h by W_hh
 * ({@link GemmF64}, on the calling thread) written straight into the workspace's gate columns, then the cell update in
 * place (Vector API lanes, sigmoid and tanh from the vector EXP and TANH). No barrier between steps, one dispatch per
 * call. The backward pass runs its GEMMs against a transposed copy of W_hh made once per call (the packed GEMM is
 * faster on a plain B than on a transposed one). Scratch buffers are per thread and kept: nothing is allocated per call
 * once they have grown to the problem.
 *
 * <p>{@code vectorMath} false computes the activations with scalar {@code Math.exp}/{@code Math.tanh}: a native
 * image has no SIMD EXP or TANH and would box every vector of the method (see the package doc).
 *
 * <p>The float32 twin is generated from this file by {@code runtime/src/build/GenerateF32.java}; edit this one.
 */
public final class RecurrenceF64 {
    /** The kinds, as the Recurrence primitive names them. */
    public static final int RNN_TANH = 0, RNN_RELU = 1, LSTM = 2, GRU = 3;

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int LN = S.length();

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Parallelism par;
    private final GemmConfig cfg;
    private final boolean vectorMath;
    private final Task task = new Task();

    public RecurrenceF64(Parallelism par, GemmConfig cfg, boolean vectorMath) {
        this.par = par == null ? Parallelism.serial() : par;
        this.cfg = cfg;
        this.vectorMath = vectorMath;
    }

    /** Gates per kind: 1, 1, 4, 3. */
    public static int gates(int kind) {
        return switch (kind) {
            case RNN_TANH, RNN_RELU -> 1;
            case LSTM -> 4;
            case GRU -> 3;
            default -> throw new IllegalArgumentException("recurrence: unknown kind " + kind);
        };
    }

    /** Workspace columns per step: H, H, 6H, 5H. */
    public static int stateWidth(int kind, int hidden) {
        return switch (kind) {
            case LSTM -> 6 * hidden;
            case GRU -> 5 * hidden;
            default -> hidden;
        };
    }

    /** Columns of the gradient's output per step: G·H, GRU 2·G·H. */
    public static int gradWidth(int kind, int hidden) {
        return (kind == GRU ? 2 : 1) * gates(kind) * hidden;
    }

    /** Fills {@code ws [n, steps, S]} from {@code xp}, W_hh and the initial state (c0 LSTM only, bHh GRU only). */
    public void forward(int kind, boolean reverse, int n, int steps, int hidden, double[] xp, double[] wHh, double[] h0,
                        double[] c0, double[] bHh, double[] ws) {
        if (n == 0 || steps == 0) return;
        task.set(false, kind, reverse, steps, hidden, xp, wHh, null, h0, c0, bHh, ws, null, null);
        run(n, hidden, kind);
    }

    /** Writes {@code out [n, steps + 1, P]}: the gradients of xp (and GRU's recurrent pre-activation), then dh0, dc0. */
    public void backward(int kind, boolean reverse, int n, int steps, int hidden, double[] ws, double[] dws, double[] wHh,
                         double[] h0, double[] c0, double[] out) {
        if (n == 0) return;
        int gh = gates(kind) * hidden;
        // W_hh transposed, [G·H, H], on the calling thread's scratch, shared read-only by the workers.
        double[] wT = SCRATCH.get().transposed(gh * hidden);
        for (int p = 0; p < hidden; p++) {
            for (int q = 0; q < gh; q++) wT[q * hidden + p] = wHh[p * gh + q];
        }
        task.set(true, kind, reverse, steps, hidden, null, wHh, wT, h0, c0, null, ws, dws, out);
        run(n, hidden, kind);
    }

    private void run(int n, int hidden, int kind) {
        // A thread's share must be worth waking it for: a few rows' GEMMs over all steps always are but a tiny hidden size.
        long macsPerRow = (long) gates(kind) * hidden * hidden;
        int minRows = (int) Math.max(1, Math.min(n, 4096 / Math.max(1, macsPerRow)));
        try {
            par.parallelFor(n, minRows, task);
        } finally {
            task.clear();
        }
    }

    /** A band of batch rows through all steps, forward or backward; reused, so that a call allocates nothing. */
    private final class Task implements IntRangeBody {
        private boolean backward, reverse;
        private int kind, steps, hidden;
        private double[] xp, wHh, wT, h0, c0, bHh, ws, dws, out;

        void set(boolean backward, int kind, boolean reverse, int steps, int hidden, double[] xp, double[] wHh, double[] wT,
                 double[] h0, double[] c0, double[] bHh, double[] ws, double[] dws, double[] out) {
            this.backward = backward; this.kind = kind; this.reverse = reverse; this.steps = steps; this.hidden = hidden;
            this.xp = xp; this.wHh = wHh; this.wT = wT; this.h0 = h0; this.c0 = c0; this.bHh = bHh;
            this.ws = ws; this.dws = dws; this.out = out;
        }

        void clear() { xp = wHh = wT = h0 = c0 = bHh = ws = dws = out = null; }

        @Override public void run(int from, int to) {
            if (backward) backwardRows(from, to);
            else forwardRows(from, to);
        }

        private void forwardRows(int r0, int r1) {
            int h = hidden, gh = gates(kind) * h, sw = stateWidth(kind, h), ld = steps * sw, xld = steps * gh;
            int rows = r1 - r0;
            int gateCol = kind == LSTM ? 2 * h : kind == GRU ? h : 0;
            int bound = vectorMath ? S.loopBound(h) : 0;
            for (int s = 0; s < steps; s++) {
                int t = reverse ? steps - 1 - s : s, prev = reverse ? t + 1 : t - 1;
                boolean first = s == 0;
                // rec = h_prev · W_hh, straight into this step's gate columns of the workspace.
                if (first) GemmF64.gemm(false, false, rows, gh, h, h0, r0 * h, h, wHh, 0, gh, false, ws, r0 * ld + t * sw + gateCol, ld, null, cfg);
                else GemmF64.gemm(false, false, rows, gh, h, ws, r0 * ld + prev * sw, ld, wHh, 0, gh, false, ws, r0 * ld + t * sw + gateCol, ld, null, cfg);
                for (int r = r0; r < r1; r++) {
                    int wb = r * ld + t * sw, xb = r * xld + t * gh;
                    // The previous state: h (and LSTM's c) at prev, or the initial state.
                    double[] hp = first ? h0 : ws;
                    int hpo = first ? r * h : r * ld + prev * sw;
                    switch (kind) {
                        case LSTM -> {
                            double[] cp = first ? c0 : ws;
                            int cpo = first ? r * h : r * ld + prev * sw + h;
                            if (bound > 0) lstmForwardVector(ws, wb, xp, xb, cp, cpo, h, bound);
                            lstmForwardScalar(ws, wb, xp, xb, cp, cpo, h, bound);
                        }
                        case GRU -> {
                            if (bound > 0) gruForwardVector(ws, wb, xp, xb, hp, hpo, bHh, h, bound);
                            gruForwardScalar(ws, wb, xp, xb, hp, hpo, bHh, h, bound);
                        }
                        default -> {
                            boolean relu = kind == RNN_RELU;
                            if (bound > 0) rnnForwardVector(ws, wb, xp, xb, relu, bound);
                            rnnForwardScalar(ws, wb, xp, xb, relu, h, bound);
                        }
                    }
                }
            }
        }

        private void backwardRows(int r0, int r1) {
            int h = hidden, gh = gates(kind) * h, sw = stateWidth(kind, h), ld = steps * sw;
            int pw = gradWidth(kind, h), old = (steps + 1) * pw, rows = r1 - r0;
            int recCol = kind == GRU ? gh : 0;
            int bound = vectorMath ? S.loopBound(h) : 0;
            Scratch sc = SCRATCH.get();
            // dh and dc flowing into the current step from the one after it (in processing order); zero at the start.
            double[] dhN = sc.dh(rows * h), dcN = sc.dc(kind == LSTM ? rows * h : 0);
            java.util.Arrays.fill(dhN, 0, rows * h, 0);
            if (kind == LSTM) java.util.Arrays.fill(dcN, 0, rows * h, 0);
            for (int s = 0; s < steps; s++) {
                int t = reverse ? s : steps - 1 - s, prev = reverse ? t + 1 : t - 1;
                boolean first = reverse ? t == steps - 1 : t == 0;   // the step whose previous state is h0
                for (int r = r0; r < r1; r++) {
                    int wb = r * ld + t * sw, ob = r * old + t * pw, lo = (r - r0) * h;
                    switch (kind) {
                        case LSTM -> {
                            double[] cp = first ? c0 : ws;
                            int cpo = first ? r * h : r * ld + prev * sw + h;
                            if (bound > 0) lstmBackwardVector(ws, dws, wb, cp, cpo, dhN, dcN, lo, out, ob, h, bound);
                            lstmBackwardScalar(ws, dws, wb, cp, cpo, dhN, dcN, lo, out, ob, h, bound);
                        }
                        case GRU -> {
                            double[] hp = first ? h0 : ws;
                            int hpo = first ? r * h : r * ld + prev * sw;
                            if (bound > 0) gruBackwardVector(ws, dws, wb, hp, hpo, dhN, lo, out, ob, h, bound);
                            gruBackwardScalar(ws, dws, wb, hp, hpo, dhN, lo, out, ob, h, bound);
                        }
                        default -> {
                            boolean relu = kind == RNN_RELU;
                            if (bound > 0) rnnBackwardVector(ws, dws, wb, dhN, lo, out, ob, relu, bound);
                            rnnBackwardScalar(ws, dws, wb, dhN, lo, out, ob, relu, h, bound);
                        }
                    }
                }
                // dh_prev (+)= d rec · W_hhᵀ (GRU adds it to the z part it wrote above).
                GemmF64.gemm(false, false, rows, h, gh, out, r0 * old + t * pw + recCol, old, wT, 0, h, kind == GRU,
                        dhN, 0, h, null, cfg);
            }
            for (int r = r0; r < r1; r++) {
                int ob = r * old + steps * pw, lo = (r - r0) * h, done = h;
                System.arraycopy(dhN, lo, out, ob, h);
                if (kind == LSTM) {
                    System.arraycopy(dcN, lo, out, ob + h, h);
                    done = 2 * h;
                }
                java.util.Arrays.fill(out, ob + done, ob + pw, 0);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Cell updates of one batch row: the vector part [0, bound), then the scalar rest [bound, h). The vector EXP and
    // TANH sit in these methods only, apart from the GEMM and the scalar code (see the package doc).

    private static DoubleVector sigmoid(DoubleVector x) {
        DoubleVector one = DoubleVector.broadcast(S, 1);
        return one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
    }

    private static DoubleVector tanh(DoubleVector x) {
        return x.lanewise(VectorOperators.TANH);
    }

    private static double sigmoid(double x) {
        return (double) (1 / (1 + Math.exp(-x)));
    }

    private static double tanh(double x) {
        return (double) Math.tanh(x);
    }

    private static DoubleVector v(double[] a, int i) {
        return DoubleVector.fromArray(S, a, i);
    }

    /** ws at wb holds the GEMM's h_prev·W_hh in the gate columns; adds xp, activates, writes c, h and the gates. */
    private static void lstmForwardVector(double[] ws, int wb, double[] xp, int xb, double[] cp, int cpo, int h, int bound) {
        for (int j = 0; j < bound; j += LN) {
            DoubleVector i = sigmoid(v(ws, wb + 2 * h + j).add(v(xp, xb + j)));
            DoubleVector f = sigmoid(v(ws, wb + 3 * h + j).add(v(xp, xb + h + j)));
            DoubleVector g = tanh(v(ws, wb + 4 * h + j).add(v(xp, xb + 2 * h + j)));
            DoubleVector o = sigmoid(v(ws, wb + 5 * h + j).add(v(xp, xb + 3 * h + j)));
            DoubleVector c = f.fma(v(cp, cpo + j), i.mul(g));
            o.mul(tanh(c)).intoArray(ws, wb + j);
            c.intoArray(ws, wb + h + j);
            i.intoArray(ws, wb + 2 * h + j);
            f.intoArray(ws, wb + 3 * h + j);
            g.intoArray(ws, wb + 4 * h + j);
            o.intoArray(ws, wb + 5 * h + j);
        }
    }

    private static void lstmForwardScalar(double[] ws, int wb, double[] xp, int xb, double[] cp, int cpo, int h, int from) {
        for (int j = from; j < h; j++) {
            double i = sigmoid(ws[wb + 2 * h + j] + xp[xb + j]);
            double f = sigmoid(ws[wb + 3 * h + j] + xp[xb + h + j]);
            double g = tanh(ws[wb + 4 * h + j] + xp[xb + 2 * h + j]);
            double o = sigmoid(ws[wb + 5 * h + j] + xp[xb + 3 * h + j]);
            double c = f * cp[cpo + j] + i * g;
            ws[wb + j] = o * tanh(c);
            ws[wb + h + j] = c;
            ws[wb + 2 * h + j] = i;
            ws[wb + 3 * h + j] = f;
            ws[wb + 4 * h + j] = g;
            ws[wb + 5 * h + j] = o;
        }
    }

    /** ws at wb holds h_prev·W_hh in [H, 4H) (r, z, n parts); adds b_hh and xp, writes h, r, z, n and hn. */
    private static void gruForwardVector(double[] ws, int wb, double[] xp, int xb, double[] hp, int hpo, double[] bHh, int h, int bound) {
        DoubleVector one = DoubleVector.broadcast(S, 1);
        for (int j = 0; j < bound; j += LN) {
            DoubleVector r = sigmoid(v(ws, wb + h + j).add(v(bHh, j)).add(v(xp, xb + j)));
            DoubleVector z = sigmoid(v(ws, wb + 2 * h + j).add(v(bHh, h + j)).add(v(xp, xb + h + j)));
            DoubleVector hn = v(ws, wb + 3 * h + j).add(v(bHh, 2 * h + j));
            DoubleVector n = tanh(r.fma(hn, v(xp, xb + 2 * h + j)));
            // h = (1 − z)·n + z·h_prev
            one.sub(z).mul(n).add(z.mul(v(hp, hpo + j))).intoArray(ws, wb + j);
            r.intoArray(ws, wb + h + j);
            z.intoArray(ws, wb + 2 * h + j);
            n.intoArray(ws, wb + 3 * h + j);
            hn.intoArray(ws, wb + 4 * h + j);
        }
    }

    private static void gruForwardScalar(double[] ws, int wb, double[] xp, int xb, double[] hp, int hpo, double[] bHh, int h, int from) {
        for (int j = from; j < h; j++) {
            double r = sigmoid(ws[wb + h + j] + bHh[j] + xp[xb + j]);
            double z = sigmoid(ws[wb + 2 * h + j] + bHh[h + j] + xp[xb + h + j]);
            double hn = ws[wb + 3 * h + j] + bHh[2 * h + j];
            double n = tanh(xp[xb + 2 * h + j] + r * hn);
            ws[wb + j] = (1 - z) * n + z * hp[hpo + j];
            ws[wb + h + j] = r;
            ws[wb + 2 * h + j] = z;
            ws[wb + 3 * h + j] = n;
            ws[wb + 4 * h + j] = hn;
        }
    }

    private static void rnnForwardVector(double[] ws, int wb, double[] xp, int xb, boolean relu, int bound) {
        for (int j = 0; j < bound; j += LN) {
            DoubleVector a = v(ws, wb + j).add(v(xp, xb + j));
            (relu ? a.max(0) : tanh(a)).intoArray(ws, wb + j);
        }
    }

    private static void rnnForwardScalar(double[] ws, int wb, double[] xp, int xb, boolean relu, int h, int from) {
        for (int j = from; j < h; j++) {
            double a = ws[wb + j] + xp[xb + j];
            ws[wb + j] = relu ? Math.max(a, 0) : tanh(a);
        }
    }

    /**
     * One LSTM step of one row backwards: dh = dws_h + dhN, dc = dws_c + dcN + dh·o·(1 − tanh²c), the gate gradients
     * before activation into out (i, f, g, o), and dcN = dc·f for the step before. dhN is overwritten by the GEMM after.
     */
    private static void lstmBackwardVector(double[] ws, double[] dws, int wb, double[] cp, int cpo, double[] dhN, double[] dcN,
                                           int lo, double[] out, int ob, int h, int bound) {
        DoubleVector one = DoubleVector.broadcast(S, 1);
        for (int j = 0; j < bound; j += LN) {
            DoubleVector i = v(ws, wb + 2 * h + j), f = v(ws, wb + 3 * h + j), g = v(ws, wb + 4 * h + j), o = v(ws, wb + 5 * h + j);
            DoubleVector tc = tanh(v(ws, wb + h + j));
            DoubleVector dh = v(dws, wb + j).add(v(dhN, lo + j));
            DoubleVector dc = dh.mul(o).mul(one.sub(tc.mul(tc))).add(v(dws, wb + h + j)).add(v(dcN, lo + j));
            DoubleVector di = dc.fma(g, v(dws, wb + 2 * h + j));
            DoubleVector df = dc.fma(v(cp, cpo + j), v(dws, wb + 3 * h + j));
            DoubleVector dg = dc.fma(i, v(dws, wb + 4 * h + j));
            DoubleVector dO = dh.fma(tc, v(dws, wb + 5 * h + j));
            di.mul(i).mul(one.sub(i)).intoArray(out, ob + j);
            df.mul(f).mul(one.sub(f)).intoArray(out, ob + h + j);
            dg.mul(one.sub(g.mul(g))).intoArray(out, ob + 2 * h + j);
            dO.mul(o).mul(one.sub(o)).intoArray(out, ob + 3 * h + j);
            dc.mul(f).intoArray(dcN, lo + j);
        }
    }

    private static void lstmBackwardScalar(double[] ws, double[] dws, int wb, double[] cp, int cpo, double[] dhN, double[] dcN,
                                           int lo, double[] out, int ob, int h, int from) {
        for (int j = from; j < h; j++) {
            double i = ws[wb + 2 * h + j], f = ws[wb + 3 * h + j], g = ws[wb + 4 * h + j], o = ws[wb + 5 * h + j];
            double tc = tanh(ws[wb + h + j]);
            double dh = dws[wb + j] + dhN[lo + j];
            double dc = dh * o * (1 - tc * tc) + dws[wb + h + j] + dcN[lo + j];
            out[ob + j] = (dc * g + dws[wb + 2 * h + j]) * i * (1 - i);
            out[ob + h + j] = (dc * cp[cpo + j] + dws[wb + 3 * h + j]) * f * (1 - f);
            out[ob + 2 * h + j] = (dc * i + dws[wb + 4 * h + j]) * (1 - g * g);
            out[ob + 3 * h + j] = (dh * tc + dws[wb + 5 * h + j]) * o * (1 - o);
            dcN[lo + j] = dc * f;
        }
    }

    /**
     * One GRU step of one row backwards: d xp = (d a_r, d a_z, d a_n), d rec = (d a_r, d a_z, d a_n·r + dws_hn) into
     * out, and dhN = dh·z, to which the GEMM after adds d rec · W_hhᵀ.
     */
    private static void gruBackwardVector(double[] ws, double[] dws, int wb, double[] hp, int hpo, double[] dhN, int lo,
                                          double[] out, int ob, int h, int bound) {
        DoubleVector one = DoubleVector.broadcast(S, 1);
        for (int j = 0; j < bound; j += LN) {
            DoubleVector r = v(ws, wb + h + j), z = v(ws, wb + 2 * h + j), n = v(ws, wb + 3 * h + j), hn = v(ws, wb + 4 * h + j);
            DoubleVector dh = v(dws, wb + j).add(v(dhN, lo + j));
            DoubleVector dn = dh.fma(one.sub(z), v(dws, wb + 3 * h + j));
            DoubleVector dz = dh.fma(v(hp, hpo + j).sub(n), v(dws, wb + 2 * h + j));
            DoubleVector dan = dn.mul(one.sub(n.mul(n)));
            DoubleVector dar = dan.fma(hn, v(dws, wb + h + j)).mul(r).mul(one.sub(r));
            DoubleVector daz = dz.mul(z).mul(one.sub(z));
            dar.intoArray(out, ob + j);
            daz.intoArray(out, ob + h + j);
            dan.intoArray(out, ob + 2 * h + j);
            dar.intoArray(out, ob + 3 * h + j);
            daz.intoArray(out, ob + 4 * h + j);
            dan.fma(r, v(dws, wb + 4 * h + j)).intoArray(out, ob + 5 * h + j);
            dh.mul(z).intoArray(dhN, lo + j);
        }
    }

    private static void gruBackwardScalar(double[] ws, double[] dws, int wb, double[] hp, int hpo, double[] dhN, int lo,
                                          double[] out, int ob, int h, int from) {
        for (int j = from; j < h; j++) {
            double r = ws[wb + h + j], z = ws[wb + 2 * h + j], n = ws[wb + 3 * h + j], hn = ws[wb + 4 * h + j];
            double dh = dws[wb + j] + dhN[lo + j];
            double dn = dh * (1 - z) + dws[wb + 3 * h + j];
            double dz = dh * (hp[hpo + j] - n) + dws[wb + 2 * h + j];
            double dan = dn * (1 - n * n);
            double dar = (dan * hn + dws[wb + h + j]) * r * (1 - r);
            double daz = dz * z * (1 - z);
            out[ob + j] = dar;
            out[ob + h + j] = daz;
            out[ob + 2 * h + j] = dan;
            out[ob + 3 * h + j] = dar;
            out[ob + 4 * h + j] = daz;
            out[ob + 5 * h + j] = dan * r + dws[wb + 4 * h + j];
            dhN[lo + j] = dh * z;
        }
    }

    private static void rnnBackwardVector(double[] ws, double[] dws, int wb, double[] dhN, int lo, double[] out, int ob,
                                          boolean relu, int bound) {
        DoubleVector one = DoubleVector.broadcast(S, 1);
        for (int j = 0; j < bound; j += LN) {
            DoubleVector y = v(ws, wb + j);
            DoubleVector dh = v(dws, wb + j).add(v(dhN, lo + j));
            DoubleVector da = relu ? dh.blend(0, y.compare(VectorOperators.LE, 0)) : dh.mul(one.sub(y.mul(y)));
            da.intoArray(out, ob + j);
        }
    }

    private static void rnnBackwardScalar(double[] ws, double[] dws, int wb, double[] dhN, int lo, double[] out, int ob,
                                          boolean relu, int h, int from) {
        for (int j = from; j < h; j++) {
            double y = ws[wb + j], dh = dws[wb + j] + dhN[lo + j];
            out[ob + j] = relu ? (y > 0 ? dh : 0) : dh * (1 - y * y);
        }
    }

    /** Per-thread buffers, grown to the largest problem seen and kept. */
    private static final class Scratch {
        double[] dh = new double[0], dc = new double[0], wT = new double[0];

        double[] dh(int size) {
            if (dh.length < size) dh = new double[size];
            return dh;
        }

        double[] dc(int size) {
            if (dc.length < size) dc = new double[size];
            return dc;
        }

        double[] transposed(int size) {
            if (wT.length < size) wT = new double[size];
            return wT;
        }
    }
}
