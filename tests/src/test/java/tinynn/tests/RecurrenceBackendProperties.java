package tinynn.tests;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.Recurrence;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.runtime.simd.SimdBackend;

/**
 * The SIMD recurrence kernels (RecurrenceF64 / RecurrenceF32: vector cell updates, float32's rational tanh, batch rows
 * split over threads) against the scalar kernel the ojalgo backend inherits (RecurrenceLoops) and the reference backend,
 * through Backend.recurrence and recurrenceGrad: every kind, both directions, float64 and float32, hidden sizes with and
 * without whole vectors, batches large enough for two threads, a zero initial state (the SIMD forward skips its GEMM)
 * and a gradient without the dh0/dc0 row (no state gradient wanted). Outputs start as NaN: a kernel must write every
 * element.
 */
class RecurrenceBackendProperties {

    static final SimdBackend ONE = new SimdBackend(1), TWO = new SimdBackend(2);

    @AfterContainer
    static void close() {
        ONE.close();
        TWO.close();
    }

    @Property(tries = 100)
    void simdRecurrenceAgreesWithTheScalarKernels(@ForAll @IntRange(min = 0, max = 3) int kindIndex, @ForAll boolean reverse,
                                                  @ForAll @IntRange(min = 1, max = 40) int n, @ForAll @IntRange(min = 1, max = 6) int t,
                                                  @ForAll @IntRange(min = 1, max = 40) int h, @ForAll boolean f64,
                                                  @ForAll boolean zeroState, @ForAll boolean state, @ForAll long seed) {
        Recurrence.Kind kind = Recurrence.Kind.values()[kindIndex];
        DType dtype = f64 ? DType.F64 : DType.F32;
        SplittableRandom rng = new SplittableRandom(seed);
        int g = kind.gates() * h;
        // Sometimes large pre-activations, so that saturated gates (tanh ±1, sigmoid 0 or 1) are compared too.
        Tensor xp = random(dtype, Shape.of(n, t, g), rng, rng.nextBoolean() ? 1 : 12), w = random(dtype, Shape.of(h, g), rng, 0.5);
        Tensor h0 = random(dtype, Shape.of(n, h), rng, zeroState ? 0 : 1);
        Tensor c0 = kind == Recurrence.Kind.LSTM ? random(dtype, Shape.of(n, h), rng, zeroState ? 0 : 1) : null;
        Tensor bHh = kind == Recurrence.Kind.GRU ? random(dtype, Shape.of(1, g), rng, 0.5) : null;
        Tensor dws = random(dtype, Shape.of(n, t, kind.width() * h), rng, 1);
        double[][] want = run(new OjalgoBackend(), kind, reverse, xp, w, h0, c0, bHh, dws, state);
        double[][] ref = run(new ReferenceBackend(), kind, reverse, xp, w, h0, c0, bHh, dws, state);
        String what = kind + (reverse ? " reverse" : "") + " n=" + n + " t=" + t + " h=" + h + " " + dtype
                + (zeroState ? " zero state" : "") + (state ? "" : " without the state row");
        // float32: the kernels round differently (a rational tanh, other summation orders), and a rounding difference in one
        // step is amplified by W in every later one (relu states grow unbounded): 1e-5 failed once in CI at t=6, h=35;
        // 3000 tries pass at 1e-4. Relative to max(1, |x|); a wrong kernel is off by O(1).
        double tol = f64 ? 1e-12 : 1e-4;
        BackendDifferentialProperties.assertClose("scalar kernel vs reference ws " + what, ref[0], want[0], tol);
        BackendDifferentialProperties.assertClose("scalar kernel vs reference grad " + what, ref[1], want[1], tol);
        if (!state) {
            // Without the state row the gradient is the stateful one with row T of each example left out.
            double[] full = run(new OjalgoBackend(), kind, reverse, xp, w, h0, c0, bHh, dws, true)[1];
            int p = kind.gradWidth() * h;
            double[] cut = new double[n * t * p];
            for (int b = 0; b < n; b++) System.arraycopy(full, b * (t + 1) * p, cut, b * t * p, t * p);
            BackendDifferentialProperties.assertClose("grad without the state row " + what, cut, want[1], 0);
        }
        for (SimdBackend b : new SimdBackend[] {ONE, TWO}) {
            double[][] got = run(b, kind, reverse, xp, w, h0, c0, bHh, dws, state);
            BackendDifferentialProperties.assertClose("recurrence ws " + what + " on " + b.describe(), want[0], got[0], tol);
            BackendDifferentialProperties.assertClose("recurrence_grad " + what + " on " + b.describe(), want[1], got[1], tol);
        }
    }

    /** ws, then the gradient output computed from the backend's own ws. */
    private static double[][] run(Backend b, Recurrence.Kind kind, boolean reverse, Tensor xp, Tensor w, Tensor h0, Tensor c0, Tensor bHh,
                                  Tensor dws, boolean state) {
        Shape xs = xp.shape();
        int n = xs.dim(0), t = xs.dim(1), h = w.shape().dim(0);
        DType dtype = xp.isF32() ? DType.F32 : DType.F64;
        Tensor ws = nan(dtype, Shape.of(n, t, kind.width() * h));
        b.recurrence(kind, reverse, xp, w, h0, c0, bHh, ws);
        Tensor out = nan(dtype, Shape.of(n, t + (state ? 1 : 0), kind.gradWidth() * h));
        b.recurrenceGrad(kind, reverse, ws, dws, w, h0, c0, out);
        return new double[][] {ws.toDoubles(), out.toDoubles()};
    }

    private static Tensor nan(DType dtype, Shape shape) {
        Tensor x = Tensor.zeros(dtype, shape);
        for (int i = 0; i < x.size(); i++) x.set(i, Double.NaN);
        return x;
    }

    private static Tensor random(DType dtype, Shape shape, SplittableRandom rng, double scale) {
        Tensor x = Tensor.zeros(dtype, shape);
        for (int i = 0; i < x.size(); i++) x.set(i, scale * rng.nextDouble(-1, 1));
        return x;
    }
}
