package tinynn.tests;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.PoolWindow;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.runtime.simd.SimdBackend;

/**
 * The pooling kernels of the SIMD backend (1 and 2 threads) and the plain loops the ojalgo backend inherits, against
 * the reference backend, in float32 and float64: the 2×2 stride-2 fast path (with odd sizes that leave a row or
 * column over) and general windows, with ties and without, on batches large enough to be split over threads. Outputs start as NaN,
 * because plans reuse buffers: a kernel must write every element.
 */
class PoolBackendProperties {

    @Property(tries = 60)
    void poolingKernelsAgreeWithTheReference(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll @IntRange(min = 1, max = 8) int c,
                                             @ForAll @IntRange(min = 2, max = 20) int h, @ForAll @IntRange(min = 2, max = 36) int w,
                                             @ForAll boolean twoByTwo, @ForAll @IntRange(min = 1, max = 3) int k,
                                             @ForAll @IntRange(min = 1, max = 3) int s, @ForAll @IntRange(min = 0, max = 1) int pad,
                                             @ForAll boolean countIncludePad, @ForAll boolean ties, @ForAll boolean f64, @ForAll long seed) {
        PoolWindow win = twoByTwo ? PoolWindow.of(2) : new PoolWindow(k, Math.min(w, k + 1), s, Math.max(1, s - 1), Math.min(pad, k / 2), 0,
                0, Math.min(pad, Math.min(w, k + 1) / 2));
        if (win.outH(h) < 1 || win.outW(w) < 1) win = PoolWindow.of(2);
        DType dtype = f64 ? DType.F64 : DType.F32;
        SplittableRandom rng = new SplittableRandom(seed);
        Shape xs = Shape.of(n, c, h, w), ys = Shape.of(n, c, win.outH(h), win.outW(w));
        // With ties, x takes the values −1, 0 and 1 only: every window has equal maxima, and the first must win.
        Tensor x = random(dtype, xs, rng), g = random(dtype, ys, rng);
        if (ties) for (int i = 0; i < x.size(); i++) x.set(i, rng.nextInt(3) - 1);
        Backend reference = new ReferenceBackend();
        double[][] want = run(reference, x, g, win, countIncludePad);
        double tol = f64 ? 1e-12 : 1e-6;
        for (Backend b : new Backend[] {new SimdBackend(1), new SimdBackend(2), new OjalgoBackend()}) {
            double[][] got = run(b, x, g, win, countIncludePad);
            String what = win + " on " + xs + " " + dtype + " by " + b.describe();
            BackendDifferentialProperties.assertClose("max_pool2d " + what, want[0], got[0], 0);
            // Overlapping windows sum their gradients: in float, rounded at each addition.
            BackendDifferentialProperties.assertClose("max_pool2d_grad " + what, want[1], got[1], tol);
            BackendDifferentialProperties.assertClose("max_pool2d_gather " + what, want[2], got[2], 0);
            BackendDifferentialProperties.assertClose("avg_pool2d " + what, want[3], got[3], tol);
            BackendDifferentialProperties.assertClose("avg_pool2d_grad " + what, want[4], got[4], tol);
            b.close();
        }
    }

    /** A NaN wins its window (PyTorch's rule) in every kernel, the vector 2×2 ones included, and takes the gradient. */
    @Property(tries = 20)
    void aNanWinsItsWindowOnEveryBackend(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 2, max = 36) int w,
                                         @ForAll boolean f64, @ForAll long seed) {
        DType dtype = f64 ? DType.F64 : DType.F32;
        SplittableRandom rng = new SplittableRandom(seed);
        PoolWindow win = PoolWindow.of(2);
        Shape xs = Shape.of(n, 3, 6, w), ys = Shape.of(n, 3, 3, w / 2);
        Tensor x = random(dtype, xs, rng), g = random(dtype, ys, rng);
        for (int i = 0; i < x.size(); i++) if (rng.nextInt(40) == 0) x.set(i, Double.NaN);
        double[][] want = run(new ReferenceBackend(), x, g, win, true);
        for (Backend b : new Backend[] {new SimdBackend(1), new SimdBackend(2), new OjalgoBackend()}) {
            double[][] got = run(b, x, g, win, true);
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < want[k].length; i++) {
                    if (Double.compare(want[k][i], got[k][i]) != 0 && !(Double.isNaN(want[k][i]) && Double.isNaN(got[k][i]))) {
                        throw new AssertionError("output " + k + " element " + i + " on " + xs + " " + dtype + " by " + b.describe()
                                + ": reference=" + want[k][i] + " got=" + got[k][i]);
                    }
                }
            }
            b.close();
        }
    }

    private static double[][] run(Backend b, Tensor x, Tensor g, PoolWindow win, boolean countIncludePad) {
        Tensor y = nans(g), dx = nans(x), gathered = nans(g), avg = nans(g), avgDx = nans(x);
        b.maxPool2d(x, win, y);
        b.maxPool2dGrad(x, g, win, dx);
        b.maxPool2dGather(x, x, win, gathered);
        b.avgPool2d(x, win, countIncludePad, avg);
        b.avgPool2dGrad(g, win, countIncludePad, avgDx);
        return new double[][] {y.toDoubles(), dx.toDoubles(), gathered.toDoubles(), avg.toDoubles(), avgDx.toDoubles()};
    }

    private static Tensor nans(Tensor like) {
        Tensor t = Tensor.zeros(like.dtype(), like.shape());
        for (int i = 0; i < t.size(); i++) t.set(i, Double.NaN);
        return t;
    }

    private static Tensor random(DType dtype, Shape shape, SplittableRandom rng) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) t.set(i, rng.nextDouble(-1, 1));
        return t;
    }
}
