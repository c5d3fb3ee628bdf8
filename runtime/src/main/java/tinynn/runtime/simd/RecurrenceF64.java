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
 * place (Vector API lanes; see activate for tanh and sigmoid). No barrier between steps, one dispatch per call. W_hh
 * (backward: W_hhᵀ) is packed for the GEMM once per call instead of once per step. Scratch buffers are per thread and
 * kept: nothing is allocated per call once they have grown to the problem.
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
        int gh = gates(kind) * hidden;
        double[] bp = null;
        if (packOnce(n, gh, hidden)) {
            bp = SCRATCH.get().packed(GemmF64.packedBSize(hidden, gh, cfg));
            GemmF64.packB(false, hidden, gh, wHh, 0, gh, bp, cfg);
        }
        task.set(false, kind, reverse, steps, hidden, xp, wHh, bp, h0, c0, bHh, ws, null, null);
        run(n, hidden, kind);
    }

    /** Writes {@code out [n, steps + 1, P]}: the gradients of xp (and GRU's recurrent pre-activation), then dh0, dc0. */
    public void backward(int kind, boolean reverse, int n, int steps, int hidden, double[] ws, double[] dws, double[] wHh,
                         double[] h0, double[] c0, double[] out) {
        backward(kind, reverse, n, steps, hidden, ws, dws, wHh, h0, c0, true, out);
    }

    /** As above; without {@code state}, out is [n, steps, P]: no row of dh0, dc0 (see tinynn.ops.RecurrenceGrad). */
    public void backward(int kind, boolean reverse, int n, int steps, int hidden, double[] ws, double[] dws, double[] wHh,
                         double[] h0, double[] c0, boolean state, double[] out) {
        if (n == 0) return;
        int gh = gates(kind) * hidden;
        double[] bp = null;
        if (packOnce(n, hidden, gh)) {
            // W_hhᵀ [G·H, H], packed from W_hh [H, G·H] stored transposed.
            bp = SCRATCH.get().packed(GemmF64.packedBSize(gh, hidden, cfg));
            GemmF64.packB(true, gh, hidden, wHh, 0, gh, bp, cfg);
        }
        task.set(true, kind, reverse, steps, hidden, null, wHh, bp, h0, c0, null, ws, dws, out);
        task.state = state;
        run(n, hidden, kind);
    }

    /**
     * Whether the per-step products (rows x n, depth k) take W_hh packed once per call, on the calling thread, for all
     * threads and steps: when each thread's band of rows is long enough for the packed GEMM (a few rows take the
     * unpacked one, which packs nothing).
     */
    private boolean packOnce(int rows, int n, int k) {
        int band = rows / par.threads();
        return band > GemmF64.SMALL_M && (long) band * n * k >= cfg.smallMacs();
    }

    private void run(int n, int hidden, int kind) {
        // A thread's share must be worth waking it for: a few rows' GEMMs over all steps always are but a tiny hidden size.
        long macsPerRow = (long) gates(kind) * hidden * hidden;
        int minRows = (int) Math.max(1, Math.min(n, 4096 / Math.max(1, macsPerRow)));
        int threads = par.threads(), block = GemmF64.MR * ceilDiv(ceilDiv(n, 4 * threads), GemmF64.MR);
        try {
            if (threads > 1 && n >= 4 * block && macsPerRow >= 4096) {
                // Blocks of micro-tile rows, each thread's from its own contiguous share first (WorkShares): when
                // another process holds a core, the other thread takes more blocks instead of waiting for a fixed
                // half at the end, and otherwise the backward pass finds its rows in the cache that wrote them.
                task.dynamic(n, block, threads);
                par.parallelFor(threads, task);
            } else {
                task.dynamic(n, 0, 1);
                par.parallelFor(n, minRows, task);
            }
        } finally {
            task.clear();
        }
    }

    /** A band of batch rows through all steps, forward or backward; reused, so that a call allocates nothing. */
    private final class Task implements IntRangeBody {
        private boolean backward, reverse;
        private int kind, steps, hidden;
        /** W_hh (forward) or W_hhᵀ (backward) packed for GemmF64.gemmPacked, or null: the per-step GEMM packs its own. */
        private double[] bp;
        private double[] xp, wHh, h0, c0, bHh, ws, dws, out;
        /** Backward only: whether out has the row of dh0, dc0 after each example's steps. */
        private boolean state = true;

        void set(boolean backward, int kind, boolean reverse, int steps, int hidden, double[] xp, double[] wHh, double[] bp,
                 double[] h0, double[] c0, double[] bHh, double[] ws, double[] dws, double[] out) {
            this.backward = backward; this.kind = kind; this.reverse = reverse; this.steps = steps; this.hidden = hidden;
            this.xp = xp; this.wHh = wHh; this.bp = bp; this.h0 = h0; this.c0 = c0; this.bHh = bHh;
            this.ws = ws; this.dws = dws; this.out = out;
        }

        void clear() {
            xp = wHh = bp = h0 = c0 = bHh = ws = dws = out = null;
            state = true;
        }

        /** Rows per dynamically handed-out block, 0 for one static band per thread; the blocks left to take. */
        private int n, block;
        private final WorkShares shares = new WorkShares();

        void dynamic(int n, int block, int threads) {
            this.n = n;
            this.block = block;
            if (block > 0) shares.reset(ceilDiv(n, block), threads);
        }

        @Override public void run(int from, int to) {
            if (block == 0) {
                rows(from, to);
                return;
            }
            for (int b; (b = shares.claim(from)) >= 0; ) rows(b * block, Math.min(n, (b + 1) * block));
        }

        private void rows(int from, int to) {
            if (backward) backwardRows(from, to);
            else forwardRows(from, to);
        }

        private void forwardRows(int r0, int r1) {
            int h = hidden, gh = gates(kind) * h, sw = stateWidth(kind, h), ld = steps * sw, xld = steps * gh;
            int rows = r1 - r0;
            int gateCol = kind == LSTM ? 2 * h : kind == GRU ? h : 0;
            for (int s = 0; s < steps; s++) {
                int t = reverse ? steps - 1 - s : s, prev = reverse ? t + 1 : t - 1;
                boolean first = s == 0;
                // rec = h_prev · W_hh, straight into this step's gate columns of the workspace.
                double[] a = first ? h0 : ws;
                int aOff = first ? r0 * h : r0 * ld + prev * sw, lda = first ? h : ld, cOff = r0 * ld + t * sw + gateCol;
                if (first && isZero(h0, r0 * h, rows * h)) {
                    // The layers start from zeros: h0·W_hh is zero, a 1/T share of the forward GEMMs saved.
                    for (int r = r0; r < r1; r++) java.util.Arrays.fill(ws, r * ld + t * sw + gateCol, r * ld + t * sw + gateCol + gh, 0);
                } else if (bp != null && rows > GemmF64.SMALL_M) {
                    GemmF64.gemmPackedB(rows, gh, h, a, aOff, lda, bp, false, ws, cOff, ld, cfg);
                } else {
                    GemmF64.gemm(false, false, rows, gh, h, a, aOff, lda, wHh, 0, gh, false, ws, cOff, ld, null, cfg);
                }
                for (int r = r0; r < r1; r++) {
                    int wb = r * ld + t * sw, xb = r * xld + t * gh;
                    // The previous state: h (and LSTM's c) at prev, or the initial state.
                    double[] hp = first ? h0 : ws;
                    int hpo = first ? r * h : r * ld + prev * sw;
                    switch (kind) {
                        case LSTM -> lstmForward(ws, wb, xp, xb, first ? c0 : ws, first ? r * h : r * ld + prev * sw + h, h);
                        case GRU -> gruForward(ws, wb, xp, xb, hp, hpo, bHh, h);
                        default -> rnnForward(ws, wb, xp, xb, kind == RNN_RELU, h);
                    }
                }
            }
        }

        private void backwardRows(int r0, int r1) {
            int h = hidden, gh = gates(kind) * h, sw = stateWidth(kind, h), ld = steps * sw;
            int pw = gradWidth(kind, h), old = (steps + (state ? 1 : 0)) * pw, rows = r1 - r0;
            int recCol = kind == GRU ? gh : 0;
            Scratch sc = SCRATCH.get();
            // dh and dc flowing into the current step from the one after it (in processing order); zero at the start.
            double[] dhN = sc.dh(rows * h), dcN = sc.dc(kind == LSTM ? rows * h : 0), tc = sc.tc(h);
            java.util.Arrays.fill(dhN, 0, rows * h, 0);
            if (kind == LSTM) java.util.Arrays.fill(dcN, 0, rows * h, 0);
            for (int s = 0; s < steps; s++) {
                int t = reverse ? s : steps - 1 - s, prev = reverse ? t + 1 : t - 1;
                boolean first = reverse ? t == steps - 1 : t == 0;   // the step whose previous state is h0
                for (int r = r0; r < r1; r++) {
                    int wb = r * ld + t * sw, ob = r * old + t * pw, lo = (r - r0) * h;
                    switch (kind) {
                        case LSTM -> {
                            activate(ws, wb + h, null, 0, tc, 0, h, false);
                            lstmBackward(ws, dws, wb, first ? c0 : ws, first ? r * h : r * ld + prev * sw + h, tc, dhN, dcN, lo, out, ob, h);
                        }
                        case GRU -> gruBackward(ws, dws, wb, first ? h0 : ws, first ? r * h : r * ld + prev * sw, dhN, lo, out, ob, h);
                        default -> rnnBackward(ws, dws, wb, dhN, lo, out, ob, kind == RNN_RELU, h);
                    }
                }
                // dh_prev (+)= d rec · W_hhᵀ (GRU adds it to the z part it wrote above); after the last step that is
                // dh0, which nothing reads without the state row.
                if (s == steps - 1 && !state) break;
                int aOff = r0 * old + t * pw + recCol;
                if (bp != null && rows > GemmF64.SMALL_M) GemmF64.gemmPackedB(rows, h, gh, out, aOff, old, bp, kind == GRU, dhN, 0, h, cfg);
                else GemmF64.gemm(false, true, rows, h, gh, out, aOff, old, wHh, 0, gh, kind == GRU, dhN, 0, h, null, cfg);
            }
            for (int r = r0; r < r1 && state; r++) {
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
    // Cell updates of one batch row. Every tanh and sigmoid goes through activate, the one method with a transcendental
    // vector operation: the others are plain vector arithmetic that C2 keeps in registers (a big loop body with several
    // inlined activations is not inlined whole and then allocates its vectors) and a native image compiles to SIMD.

    /**
     * Whether activate computes tanh with a rational function instead of the vector TANH: true in the float32 kernels
     * only, where it is exact enough (|error| below 4e-7, a few ulp) and cheaper than the library call, and needs no SIMD
     * TANH, so that a native image runs it as vector code too.
     */
    static final boolean RATIONAL = false /*F32: true*/;

    /**
     * {@code dst[dO + j] = act(src[so + j] + add[ao + j])} for j below len (add may be null), act sigmoid or tanh; dst
     * may be src. Sigmoid is computed as 0.5·tanh(x/2) + 0.5, so that one transcendental serves both.
     */
    private void activate(double[] src, int so, double[] add, int ao, double[] dst, int dO, int len, boolean sigmoid) {
        int j = 0;
        if (vectorMath || RATIONAL) {
            double half = (double) (sigmoid ? 0.5 : 1), shift = (double) (sigmoid ? 0.5 : 0);
            for (int bound = S.loopBound(len); j < bound; j += LN) {
                DoubleVector x = v(src, so + j);
                if (add != null) x = x.add(v(add, ao + j));
                x = x.mul(half);
                DoubleVector y;
                if (RATIONAL) {
                    // Eigen's fast float tanh: odd degree-13 over even degree-6 polynomial on [-7.9, 7.9], ±1 beyond.
                    DoubleVector c = x.max((double) -7.90531110763549805).min((double) 7.90531110763549805);
                    DoubleVector x2 = c.mul(c);
                    DoubleVector p = x2.fma((double) -2.76076847742355e-16, (double) 2.00018790482477e-13);
                    p = p.fma(x2, DoubleVector.broadcast(S, (double) -8.60467152213735e-11));
                    p = p.fma(x2, DoubleVector.broadcast(S, (double) 5.12229709037114e-08));
                    p = p.fma(x2, DoubleVector.broadcast(S, (double) 1.48572235717979e-05));
                    p = p.fma(x2, DoubleVector.broadcast(S, (double) 6.37261928875436e-04));
                    p = p.fma(x2, DoubleVector.broadcast(S, (double) 4.89352455891786e-03)).mul(c);
                    DoubleVector q = x2.fma((double) 1.19825839466702e-06, (double) 1.18534705686654e-04);
                    q = q.fma(x2, DoubleVector.broadcast(S, (double) 2.26843463243900e-03));
                    q = q.fma(x2, DoubleVector.broadcast(S, (double) 4.89352518554385e-03));
                    y = p.div(q);
                } else {
                    y = x.lanewise(VectorOperators.TANH);
                }
                y.fma(half, shift).intoArray(dst, dO + j);
            }
        }
        for (; j < len; j++) {
            double x = src[so + j] + (add != null ? add[ao + j] : 0);
            dst[dO + j] = sigmoid ? (double) (1 / (1 + Math.exp(-x))) : (double) Math.tanh(x);
        }
    }

    /** Whether v[from, from + len) is all zeros (+0 or −0): the initial state the layers pass when none is given. */
    static boolean isZero(double[] v, int from, int len) {
        for (int i = from; i < from + len; i++) if (v[i] != 0) return false;
        return true;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static DoubleVector v(double[] a, int i) {
        return DoubleVector.fromArray(S, a, i);
    }

    /** ws at wb holds h_prev·W_hh in the gate columns: adds xp, activates, then c = f·c_prev + i·g and h = o·tanh(c). */
    private void lstmForward(double[] ws, int wb, double[] xp, int xb, double[] cp, int cpo, int h) {
        activate(ws, wb + 2 * h, xp, xb, ws, wb + 2 * h, 2 * h, true);            // i, f
        activate(ws, wb + 4 * h, xp, xb + 2 * h, ws, wb + 4 * h, h, false);       // g
        activate(ws, wb + 5 * h, xp, xb + 3 * h, ws, wb + 5 * h, h, true);        // o
        int j = 0;
        for (int bound = S.loopBound(h); j < bound; j += LN) {
            v(ws, wb + 3 * h + j).fma(v(cp, cpo + j), v(ws, wb + 2 * h + j).mul(v(ws, wb + 4 * h + j))).intoArray(ws, wb + h + j);
        }
        for (; j < h; j++) ws[wb + h + j] = ws[wb + 3 * h + j] * cp[cpo + j] + ws[wb + 2 * h + j] * ws[wb + 4 * h + j];
        activate(ws, wb + h, null, 0, ws, wb, h, false);                             // tanh(c) into h's place
        mul(ws, wb, ws, wb + 5 * h, h);                                              // h = o·tanh(c)
    }

    /** {@code a[ao + j] *= b[bo + j]}. */
    private static void mul(double[] a, int ao, double[] b, int bo, int len) {
        int j = 0;
        for (int bound = S.loopBound(len); j < bound; j += LN) v(a, ao + j).mul(v(b, bo + j)).intoArray(a, ao + j);
        for (; j < len; j++) a[ao + j] *= b[bo + j];
    }

    /** ws at wb holds h_prev·W_hh in [H, 4H) (r, z, n parts): adds b_hh and xp, writes h, r, z, n and hn. */
    private void gruForward(double[] ws, int wb, double[] xp, int xb, double[] hp, int hpo, double[] bHh, int h) {
        int j = 0;
        for (int bound = S.loopBound(3 * h); j < bound; j += LN) v(ws, wb + h + j).add(v(bHh, j)).intoArray(ws, wb + h + j);
        for (; j < 3 * h; j++) ws[wb + h + j] += bHh[j];
        activate(ws, wb + h, xp, xb, ws, wb + h, 2 * h, true);                       // r, z
        // hn = rec_n (bias included) to its own place, the pre-activation xp_n + r·hn into n's place.
        j = 0;
        for (int bound = S.loopBound(h); j < bound; j += LN) {
            DoubleVector hn = v(ws, wb + 3 * h + j);
            hn.intoArray(ws, wb + 4 * h + j);
            v(ws, wb + h + j).fma(hn, v(xp, xb + 2 * h + j)).intoArray(ws, wb + 3 * h + j);
        }
        for (; j < h; j++) {
            double hn = ws[wb + 3 * h + j];
            ws[wb + 4 * h + j] = hn;
            ws[wb + 3 * h + j] = xp[xb + 2 * h + j] + ws[wb + h + j] * hn;
        }
        activate(ws, wb + 3 * h, null, 0, ws, wb + 3 * h, h, false);                 // n
        j = 0;
        for (int bound = S.loopBound(h); j < bound; j += LN) {
            // h = (1 − z)·n + z·h_prev = n + z·(h_prev − n)
            DoubleVector z = v(ws, wb + 2 * h + j), n = v(ws, wb + 3 * h + j);
            z.fma(v(hp, hpo + j).sub(n), n).intoArray(ws, wb + j);
        }
        for (; j < h; j++) {
            double z = ws[wb + 2 * h + j], n = ws[wb + 3 * h + j];
            ws[wb + j] = (1 - z) * n + z * hp[hpo + j];
        }
    }

    private void rnnForward(double[] ws, int wb, double[] xp, int xb, boolean relu, int h) {
        if (!relu) {
            activate(ws, wb, xp, xb, ws, wb, h, false);
            return;
        }
        int j = 0;
        for (int bound = S.loopBound(h); j < bound; j += LN) v(ws, wb + j).add(v(xp, xb + j)).max(0).intoArray(ws, wb + j);
        for (; j < h; j++) ws[wb + j] = Math.max(ws[wb + j] + xp[xb + j], 0);
    }

    /**
     * One LSTM step of one row backwards: dh = dws_h + dhN, dc = dws_c + dcN + dh·o·(1 − tanh²c), the gate gradients
     * before activation into out (i, f, g, o), and dcN = dc·f for the step before. tc holds tanh(c). dhN is overwritten by
     * the GEMM after.
     */
    private static void lstmBackward(double[] ws, double[] dws, int wb, double[] cp, int cpo, double[] tc, double[] dhN,
                                     double[] dcN, int lo, double[] out, int ob, int h) {
        DoubleVector one = DoubleVector.broadcast(S, 1);
        int j = 0;
        for (int bound = S.loopBound(h); j < bound; j += LN) {
            DoubleVector i = v(ws, wb + 2 * h + j), f = v(ws, wb + 3 * h + j), g = v(ws, wb + 4 * h + j), o = v(ws, wb + 5 * h + j);
            DoubleVector t = v(tc, j);
            DoubleVector dh = v(dws, wb + j).add(v(dhN, lo + j));
            DoubleVector dc = dh.mul(o).mul(one.sub(t.mul(t))).add(v(dws, wb + h + j)).add(v(dcN, lo + j));
            dc.fma(g, v(dws, wb + 2 * h + j)).mul(i).mul(one.sub(i)).intoArray(out, ob + j);
            dc.fma(v(cp, cpo + j), v(dws, wb + 3 * h + j)).mul(f).mul(one.sub(f)).intoArray(out, ob + h + j);
            dc.fma(i, v(dws, wb + 4 * h + j)).mul(one.sub(g.mul(g))).intoArray(out, ob + 2 * h + j);
            dh.fma(t, v(dws, wb + 5 * h + j)).mul(o).mul(one.sub(o)).intoArray(out, ob + 3 * h + j);
            dc.mul(f).intoArray(dcN, lo + j);
        }
        for (; j < h; j++) {
            double i = ws[wb + 2 * h + j], f = ws[wb + 3 * h + j], g = ws[wb + 4 * h + j], o = ws[wb + 5 * h + j];
            double t = tc[j];
            double dh = dws[wb + j] + dhN[lo + j];
            double dc = dh * o * (1 - t * t) + dws[wb + h + j] + dcN[lo + j];
            out[ob + j] = (dc * g + dws[wb + 2 * h + j]) * i * (1 - i);
            out[ob + h + j] = (dc * cp[cpo + j] + dws[wb + 3 * h + j]) * f * (1 - f);
            out[ob + 2 * h + j] = (dc * i + dws[wb + 4 * h + j]) * (1 - g * g);
            out[ob + 3 * h + j] = (dh * t + dws[wb + 5 * h + j]) * o * (1 - o);
            dcN[lo + j] = dc * f;
        }
    }

    /**
     * One GRU step of one row backwards: d xp = (d a_r, d a_z, d a_n), d rec = (d a_r, d a_z, d a_n·r + dws_hn) into
     * out, and dhN = dh·z, to which the GEMM after adds d rec · W_hhᵀ.
     */
    private static void gruBackward(double[] ws, double[] dws, int wb, double[] hp, int hpo, double[] dhN, int lo,
                                    double[] out, int ob, int h) {
        DoubleVector one = DoubleVector.broadcast(S, 1);
        int j = 0;
        for (int bound = S.loopBound(h); j < bound; j += LN) {
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
        for (; j < h; j++) {
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

    private static void rnnBackward(double[] ws, double[] dws, int wb, double[] dhN, int lo, double[] out, int ob,
                                    boolean relu, int h) {
        DoubleVector one = DoubleVector.broadcast(S, 1);
        int j = 0;
        for (int bound = S.loopBound(h); j < bound; j += LN) {
            DoubleVector y = v(ws, wb + j);
            DoubleVector dh = v(dws, wb + j).add(v(dhN, lo + j));
            (relu ? dh.blend(0, y.compare(VectorOperators.LE, 0)) : dh.mul(one.sub(y.mul(y)))).intoArray(out, ob + j);
        }
        for (; j < h; j++) {
            double y = ws[wb + j], dh = dws[wb + j] + dhN[lo + j];
            out[ob + j] = relu ? (y > 0 ? dh : 0) : dh * (1 - y * y);
        }
    }

    /** Per-thread buffers, grown to the largest problem seen and kept. */
    private static final class Scratch {
        double[] dh = new double[0], dc = new double[0], packed = new double[0], tc = new double[0];

        double[] tc(int size) {
            if (tc.length < size) tc = new double[size];
            return tc;
        }

        double[] dh(int size) {
            if (dh.length < size) dh = new double[size];
            return dh;
        }

        double[] dc(int size) {
            if (dc.length < size) dc = new double[size];
            return dc;
        }

        double[] packed(int size) {
            if (packed.length < size) packed = new double[size];
            return packed;
        }
    }
}
