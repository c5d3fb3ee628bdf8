package tinynn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.Binary;
import tinynn.ops.ConvGeometry;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.reference.ReferenceBackend;

/**
 * The convolution kernels of ArrayBackend (direct loops, ConvF64 and the generated ConvF32) and of the ojalgo
 * backend (im2col + multiply) against the reference backend, float64 and float32, on random geometries; and
 * the per-channel bias add and its sum_to fast paths against the generic broadcast.
 */
class ConvKernelProperties {

    /** ArrayBackend's own loops: nothing overridden but the abstract matmul. */
    static final class Plain extends ArrayBackend {
        public String name() { return "plain"; }
        public String describe() { return "plain loops"; }
        public void matmul(Tensor a, boolean ta, Tensor b, boolean tb, Tensor c) { loopMatmul(a, ta, b, tb, c); }
    }

    private static final List<Backend> FAST = List.of(new Plain(), new OjalgoBackend());
    private static final Backend REF = new ReferenceBackend();

    private static Tensor random(DType t, SplittableRandom r, int... dims) {
        Tensor x = Tensor.zeros(t, Shape.of(dims));
        for (int i = 0; i < x.size(); i++) x.set(i, r.nextDouble(-1, 1));
        return x;
    }

    private static void close(String what, Tensor expected, Tensor actual, double tol) {
        assertEquals(expected.shape(), actual.shape(), what);
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.get(i), a = actual.get(i);
            if (Math.abs(e - a) > tol * Math.max(1, Math.abs(e))) throw new AssertionError(what + " [" + i + "]: expected " + e + ", got " + a);
        }
    }

    @Property(tries = 60)
    void kernelsAgreeWithTheReference(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int cg,
                                      @ForAll @IntRange(min = 1, max = 3) int og, @ForAll @IntRange(min = 1, max = 3) int groups,
                                      @ForAll @IntRange(min = 1, max = 5) int kh, @ForAll @IntRange(min = 1, max = 5) int kw,
                                      @ForAll @IntRange(min = 1, max = 3) int sh, @ForAll @IntRange(min = 1, max = 3) int sw,
                                      @ForAll @IntRange(min = 1, max = 2) int dh, @ForAll @IntRange(min = 1, max = 2) int dw,
                                      @ForAll @IntRange(min = 0, max = 2) int pt, @ForAll @IntRange(min = 0, max = 2) int pl,
                                      @ForAll @IntRange(min = 0, max = 2) int pb, @ForAll @IntRange(min = 0, max = 2) int pr,
                                      @ForAll @IntRange(min = 0, max = 9) int eh, @ForAll @IntRange(min = 0, max = 9) int ew,
                                      @ForAll boolean f32, @ForAll long seed) {
        ConvGeometry g = new ConvGeometry(sh, sw, pt, pl, pb, pr, dh, dw, groups);
        int c = cg * groups, o = og * groups;
        int h = Math.max(1, dh * (kh - 1) + 1 - pt - pb) + eh, w = Math.max(1, dw * (kw - 1) + 1 - pl - pr) + ew;
        int oh = g.outH(h, kh), ow = g.outW(w, kw);
        DType t = f32 ? DType.F32 : DType.F64;
        double tol = f32 ? 1e-4 : 1e-12;
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = random(t, r, n, c, h, w), wt = random(t, r, o, cg, kh, kw), dy = random(t, r, n, o, oh, ow);
        Tensor y0 = Tensor.zeros(t, Shape.of(n, o, oh, ow)), dx0 = Tensor.zeros(t, x.shape()), dw0 = Tensor.zeros(t, wt.shape());
        REF.conv2d(x, wt, g, y0);
        REF.conv2dGradInput(dy, wt, g, dx0);
        REF.conv2dGradWeight(x, dy, g, dw0);
        for (Backend be : FAST) {
            // Outputs start dirty: a kernel must overwrite, not accumulate into, what the plan's buffer held before.
            Tensor y = random(t, r, y0.shape().dims()), dx = random(t, r, dx0.shape().dims()), dwt = random(t, r, dw0.shape().dims());
            be.conv2d(x, wt, g, y);
            be.conv2dGradInput(dy, wt, g, dx);
            be.conv2dGradWeight(x, dy, g, dwt);
            String what = be.name() + " " + t + " x" + x.shape() + " w" + wt.shape() + " " + g;
            close("conv2d " + what, y0, y, tol);
            close("conv2dGradInput " + what, dx0, dx, tol);
            close("conv2dGradWeight " + what, dw0, dwt, tol);
        }
    }

    @Property(tries = 30)
    void channelBiasAddAndItsSum(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 5) int c,
                                 @ForAll @IntRange(min = 1, max = 6) int h, @ForAll @IntRange(min = 1, max = 6) int w,
                                 @ForAll boolean rank3, @ForAll boolean f32, @ForAll long seed) {
        DType t = f32 ? DType.F32 : DType.F64;
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = random(t, r, n, c, h, w), b = rank3 ? random(t, r, c, 1, 1) : random(t, r, 1, c, 1, 1);
        Tensor y0 = Tensor.zeros(t, x.shape()), y = Tensor.zeros(t, x.shape()), s0 = Tensor.zeros(t, b.shape()), s = Tensor.zeros(t, b.shape());
        REF.binary(Binary.Kind.ADD, x, b, y0);
        REF.sumTo(x, s0);
        Backend plain = FAST.getFirst();
        plain.binary(Binary.Kind.ADD, x, b, y);
        plain.sumTo(x, s);
        close("channel add", y0, y, f32 ? 1e-6 : 1e-15);
        close("channel sums", s0, s, f32 ? 1e-5 : 1e-12);
    }
}
