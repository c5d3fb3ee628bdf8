package tinynn.runtime.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static tinynn.runtime.simd.SimdConvProperties.f32;
import static tinynn.runtime.simd.SimdConvProperties.f64;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * RecurrenceF64 and the generated RecurrenceF32 (all four kinds, both directions, vector and scalar activations, one
 * and two threads) against the equations of docs/rnn.md written out here as plain loops: the forward workspace
 * element by element, and the backward pass against central differences of L = Σ dws ⊙ ws with respect to xp, the
 * recurrent pre-activation (GRU), h0 and c0.
 */
class RecurrenceKernelProperties {

    static final Parallelism TWO = Parallelism.ofThreads(2);

    @AfterContainer
    static void close() { TWO.close(); }

    record Case(int kind, boolean reverse, int n, int steps, int h) {
        int g() { return RecurrenceF64.gates(kind); }
        int s() { return RecurrenceF64.stateWidth(kind, h); }
        int p() { return RecurrenceF64.gradWidth(kind, h); }

        static Case random(SplittableRandom r, boolean small) {
            int kind = r.nextInt(4);
            // Hidden sizes around the vector widths (8 doubles, 16 floats with AVX-512), with and without a scalar tail.
            int h = small ? 1 + r.nextInt(19) : 1 + r.nextInt(40);
            int n = small ? 1 + r.nextInt(3) : 1 + r.nextInt(r.nextInt(4) == 0 ? 40 : 5);
            return new Case(kind, r.nextBoolean(), n, 1 + r.nextInt(small ? 3 : 6), h);
        }
    }

    /** Inputs of one case; values small enough that no gate saturates. */
    record Inputs(double[] xp, double[] w, double[] h0, double[] c0, double[] bhh, double[] dws) {
        static Inputs random(SplittableRandom r, Case k) {
            int gh = k.g() * k.h;
            return new Inputs(fill(r, k.n * k.steps * gh, 1), fill(r, k.h * gh, 0.6), fill(r, k.n * k.h, 1),
                    k.kind == RecurrenceF64.LSTM ? fill(r, k.n * k.h, 1) : null,
                    k.kind == RecurrenceF64.GRU ? fill(r, gh, 0.5) : null, fill(r, k.n * k.steps * k.s(), 1));
        }
    }

    static double[] fill(SplittableRandom r, int size, double scale) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) a[i] = scale * (2 * r.nextDouble() - 1);
        return a;
    }

    static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /**
     * The workspace from the equations, one step and one element at a time; {@code recExtra [N, T, G·H]} (or null) is
     * added to the recurrent pre-activation h_prev·W_hh + b_hh of each step, for the differences of d rec.
     */
    static double[] plainForward(Case k, Inputs in, double[] recExtra) {
        int h = k.h, gh = k.g() * h, sw = k.s();
        double[] ws = new double[k.n * k.steps * sw];
        for (int b = 0; b < k.n; b++) {
            double[] hp = new double[h], cp = new double[h];
            System.arraycopy(in.h0, b * h, hp, 0, h);
            if (in.c0 != null) System.arraycopy(in.c0, b * h, cp, 0, h);
            for (int s = 0; s < k.steps; s++) {
                int t = k.reverse ? k.steps - 1 - s : s;
                double[] rec = new double[gh], x = new double[gh];
                for (int q = 0; q < gh; q++) {
                    for (int p = 0; p < h; p++) rec[q] += hp[p] * in.w[p * gh + q];
                    if (in.bhh != null) rec[q] += in.bhh[q];
                    if (recExtra != null) rec[q] += recExtra[(b * k.steps + t) * gh + q];
                    x[q] = in.xp[(b * k.steps + t) * gh + q];
                }
                int o = (b * k.steps + t) * sw;
                double[] hNew = new double[h];
                for (int j = 0; j < h; j++) {
                    switch (k.kind) {
                        case RecurrenceF64.LSTM -> {
                            double i = sigmoid(x[j] + rec[j]), f = sigmoid(x[h + j] + rec[h + j]);
                            double gg = Math.tanh(x[2 * h + j] + rec[2 * h + j]), oo = sigmoid(x[3 * h + j] + rec[3 * h + j]);
                            double c = f * cp[j] + i * gg;
                            hNew[j] = oo * Math.tanh(c);
                            cp[j] = c;
                            ws[o + h + j] = c; ws[o + 2 * h + j] = i; ws[o + 3 * h + j] = f; ws[o + 4 * h + j] = gg; ws[o + 5 * h + j] = oo;
                        }
                        case RecurrenceF64.GRU -> {
                            double r = sigmoid(x[j] + rec[j]), z = sigmoid(x[h + j] + rec[h + j]);
                            double n = Math.tanh(x[2 * h + j] + r * rec[2 * h + j]);
                            hNew[j] = (1 - z) * n + z * hp[j];
                            ws[o + h + j] = r; ws[o + 2 * h + j] = z; ws[o + 3 * h + j] = n; ws[o + 4 * h + j] = rec[2 * h + j];
                        }
                        case RecurrenceF64.RNN_RELU -> hNew[j] = Math.max(0, x[j] + rec[j]);
                        default -> hNew[j] = Math.tanh(x[j] + rec[j]);
                    }
                    ws[o + j] = hNew[j];
                }
                hp = hNew;
            }
        }
        return ws;
    }

    static double loss(double[] ws, double[] dws) {
        double l = 0;
        for (int i = 0; i < ws.length; i++) l += ws[i] * dws[i];
        return l;
    }

    static RecurrenceF64 kernel64(boolean two, boolean vectorMath) {
        return new RecurrenceF64(two ? TWO : Parallelism.serial(), GemmConfig.DEFAULT, vectorMath);
    }

    @Property(tries = 150)
    void forwardMatchesTheEquations(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Case k = Case.random(r, false);
        Inputs in = Inputs.random(r, k);
        double[] expected = plainForward(k, in, null);
        for (boolean two : new boolean[] {false, true}) {
            for (boolean vectorMath : new boolean[] {true, false}) {
                double[] ws = new double[expected.length];
                kernel64(two, vectorMath).forward(k.kind, k.reverse, k.n, k.steps, k.h, in.xp, in.w, in.h0, in.c0, in.bhh, ws);
                Check.close(k + " f64 threads " + (two ? 2 : 1) + " vectorMath " + vectorMath, expected, ws, 1e-12, 1e-12);

                float[] ws32 = new float[expected.length];
                new RecurrenceF32(two ? TWO : Parallelism.serial(), GemmConfig.DEFAULT, vectorMath).forward(k.kind, k.reverse,
                        k.n, k.steps, k.h, f32(in.xp), f32(in.w), f32(in.h0), f32(in.c0), f32(in.bhh), ws32);
                Check.close(k + " f32 threads " + (two ? 2 : 1) + " vectorMath " + vectorMath, expected, f64(ws32), 2e-5, 2e-5);
            }
        }
    }

    @Property(tries = 60)
    void backwardMatchesCentralDifferences(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Case k = Case.random(r, true);
        Inputs in = Inputs.random(r, k);
        int gh = k.g() * k.h, pw = k.p(), rowsOut = k.steps + 1;
        double[] ws = plainForward(k, in, null);
        double[] out = new double[k.n * rowsOut * pw];
        kernel64(false, true).backward(k.kind, k.reverse, k.n, k.steps, k.h, ws, in.dws, in.w, in.h0, in.c0, out);

        double[] expected = new double[out.length];
        for (int b = 0; b < k.n; b++) {
            for (int t = 0; t < k.steps; t++) {
                for (int q = 0; q < gh; q++) {
                    int at = (b * k.steps + t) * gh + q, o = (b * rowsOut + t) * pw + q;
                    expected[o] = difference(k, in, in.xp, at, null);
                    if (k.kind == RecurrenceF64.GRU) {
                        double[] extra = new double[in.xp.length];
                        expected[o + gh] = difference(k, in, extra, at, extra);
                    }
                }
            }
            for (int j = 0; j < k.h; j++) {
                int o = (b * rowsOut + k.steps) * pw;
                expected[o + j] = difference(k, in, in.h0, b * k.h + j, null);
                if (in.c0 != null) expected[o + k.h + j] = difference(k, in, in.c0, b * k.h + j, null);
            }
        }
        Check.close(k + " f64 backward vs differences", expected, out, 1e-7, 1e-6);

        // The other paths against the checked one: two threads, scalar activations, float32.
        for (boolean two : new boolean[] {false, true}) {
            for (boolean vectorMath : new boolean[] {true, false}) {
                double[] o64 = new double[out.length];
                kernel64(two, vectorMath).backward(k.kind, k.reverse, k.n, k.steps, k.h, ws, in.dws, in.w, in.h0, in.c0, o64);
                Check.close(k + " f64 backward threads " + (two ? 2 : 1) + " vectorMath " + vectorMath, out, o64, 1e-12, 1e-12);
                float[] o32 = new float[out.length];
                new RecurrenceF32(two ? TWO : Parallelism.serial(), GemmConfig.DEFAULT, vectorMath).backward(k.kind, k.reverse,
                        k.n, k.steps, k.h, f32(ws), f32(in.dws), f32(in.w), f32(in.h0), f32(in.c0), o32);
                Check.close(k + " f32 backward threads " + (two ? 2 : 1) + " vectorMath " + vectorMath, out, f64(o32), 1e-4, 1e-4);
            }
        }
    }

    @Property(tries = 30)
    void largerBatchesSplitOverThreadsAgree(@ForAll long seed) {
        // Many rows and a hidden size with whole vectors: the shape of training, where two threads take a band each.
        SplittableRandom r = new SplittableRandom(seed);
        Case k = new Case(r.nextInt(4), r.nextBoolean(), 17 + r.nextInt(48), 2 + r.nextInt(5), 16 * (1 + r.nextInt(3)));
        Inputs in = Inputs.random(r, k);
        double[] one = new double[k.n * k.steps * k.s()], two = new double[one.length];
        kernel64(false, true).forward(k.kind, k.reverse, k.n, k.steps, k.h, in.xp, in.w, in.h0, in.c0, in.bhh, one);
        kernel64(true, true).forward(k.kind, k.reverse, k.n, k.steps, k.h, in.xp, in.w, in.h0, in.c0, in.bhh, two);
        Check.close(k + " forward 1 vs 2 threads", one, two, 1e-12, 1e-12);
        Check.close(k + " forward vs equations", plainForward(k, in, null), one, 1e-12, 1e-12);
        double[] g1 = new double[k.n * (k.steps + 1) * k.p()], g2 = new double[g1.length];
        kernel64(false, true).backward(k.kind, k.reverse, k.n, k.steps, k.h, one, in.dws, in.w, in.h0, in.c0, g1);
        kernel64(true, true).backward(k.kind, k.reverse, k.n, k.steps, k.h, one, in.dws, in.w, in.h0, in.c0, g2);
        Check.close(k + " backward 1 vs 2 threads", g1, g2, 1e-12, 1e-12);
        assertTrue(java.util.Arrays.stream(g1).anyMatch(x -> x != 0), k + ": all-zero gradient");
    }

    /** ∂L/∂a[at] by central differences (a is xp, h0, c0 or, with extra == a, the recurrent pre-activation). */
    static double difference(Case k, Inputs in, double[] a, int at, double[] extra) {
        double e = 1e-6, keep = a[at];
        a[at] = keep + e;
        double up = loss(plainForward(k, in, extra), in.dws);
        a[at] = keep - e;
        double down = loss(plainForward(k, in, extra), in.dws);
        a[at] = keep;
        return (up - down) / (2 * e);
    }

}
