package tinynn.runtime.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.ConvGeometry;
import tinynn.runtime.Tensor;

/**
 * The SIMD convolution kernels ({@link ConvF64} and the generated {@code ConvF32}, through {@link SimdBackend}) against
 * a direct seven-loop convolution in double precision, over random geometries: stride, padding per side, dilation,
 * groups (depthwise included), non-square kernels and images, batch 1 and more; float64 tight, float32 loose; one
 * and two threads, which must also agree bit for bit.
 */
class SimdConvProperties {

    static final SimdBackend ONE = new SimdBackend(1), TWO = new SimdBackend(2);
    static final Parallelism POOL = Parallelism.ofThreads(2);

    @AfterContainer
    static void close() {
        ONE.close();
        TWO.close();
        POOL.close();
    }

    /** A convolution problem: geometry, input, weights and an upstream gradient, values exact in float. */
    record Case(int n, int c, int h, int w, int o, int kh, int kw, ConvGeometry g, double[] x, double[] wt, double[] dy) {
        int oh() { return g.outH(h, kh); }

        int ow() { return g.outW(w, kw); }

        static Case random(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int groups = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
            boolean depthwise = r.nextInt(6) == 0;
            int cg = depthwise ? 1 : 1 + r.nextInt(r.nextBoolean() ? 3 : 9);
            int og = depthwise ? 1 + r.nextInt(2) : 1 + r.nextInt(r.nextBoolean() ? 3 : 20);
            if (depthwise) groups = 1 + r.nextInt(4);
            int n = 1 + r.nextInt(r.nextBoolean() ? 2 : 20);
            ConvGeometry g;
            int kh, kw;
            if (r.nextInt(8) == 0) {           // the pointwise shortcut: 1x1, stride 1, no padding
                kh = kw = 1;
                g = ConvGeometry.unit();
                if (r.nextBoolean()) g = new ConvGeometry(1, 1, 0, 0, 0, 0, 1 + r.nextInt(2), 1, groups);
                else g = new ConvGeometry(1, 1, 0, 0, 0, 0, 1, 1, groups);
            } else {
                kh = 1 + r.nextInt(5);
                kw = 1 + r.nextInt(5);
                g = new ConvGeometry(1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(4), r.nextInt(4), r.nextInt(4), r.nextInt(4),
                        1 + r.nextInt(2), 1 + r.nextInt(3), groups);
            }
            int h = Math.max(1, g.dilationH() * (kh - 1) + 1 - g.padTop() - g.padBottom()) + r.nextInt(12);
            int w = Math.max(1, g.dilationW() * (kw - 1) + 1 - g.padLeft() - g.padRight()) + r.nextInt(12);
            int c = groups * cg, o = groups * og;
            Case k = new Case(n, c, h, w, o, kh, kw, g, new double[n * c * h * w], new double[o * cg * kh * kw], null);
            fill(r, k.x);
            fill(r, k.wt);
            double[] dy = new double[n * o * k.oh() * k.ow()];
            fill(r, dy);
            return new Case(n, c, h, w, o, kh, kw, g, k.x, k.wt, dy);
        }

        private static void fill(SplittableRandom r, double[] a) {
            for (int i = 0; i < a.length; i++) a[i] = (r.nextInt(4097) - 2048) / 2048.0;
        }

        /**
         * The seven loops, once for all three results: out, dx, dw, and per element the sum of the terms'
         * magnitudes (for a rounding tolerance). Returns {out, |out|, dx, |dx|, dw, |dw|}.
         */
        double[][] reference() {
            int oh = oh(), ow = ow(), cg = c / g.groups(), og = o / g.groups();
            double[] out = new double[n * o * oh * ow], outAbs = out.clone();
            double[] dx = new double[x.length], dxAbs = dx.clone(), dw = new double[wt.length], dwAbs = dw.clone();
            for (int b = 0; b < n; b++) {
                for (int oc = 0; oc < o; oc++) {
                    int grp = oc / og;
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            int oi = ((b * o + oc) * oh + oy) * ow + ox;
                            for (int ci = 0; ci < cg; ci++) {
                                for (int ky = 0; ky < kh; ky++) {
                                    for (int kx = 0; kx < kw; kx++) {
                                        int iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
                                        int ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                        int xi = ((b * c + grp * cg + ci) * h + iy) * w + ix;
                                        int wi = ((oc * cg + ci) * kh + ky) * kw + kx;
                                        out[oi] += x[xi] * wt[wi];
                                        outAbs[oi] += Math.abs(x[xi] * wt[wi]);
                                        dx[xi] += dy[oi] * wt[wi];
                                        dxAbs[xi] += Math.abs(dy[oi] * wt[wi]);
                                        dw[wi] += dy[oi] * x[xi];
                                        dwAbs[wi] += Math.abs(dy[oi] * x[xi]);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return new double[][] {out, outAbs, dx, dxAbs, dw, dwAbs};
        }
    }

    @Property(tries = 300)
    void float64MatchesTheSevenLoops(@ForAll long seed) {
        check(Case.random(seed), DType.F64, 1e-13);
    }

    @Property(tries = 300)
    void float32MatchesTheSevenLoops(@ForAll long seed) {
        check(Case.random(seed), DType.F32, 2e-6);
    }

    /**
     * Runs all three kernels through the backend (automatic choice) and with each strategy forced, on one and two
     * threads; compares each with the reference, and the two thread counts with each other bit for bit.
     */
    static void check(Case k, DType dtype, double relTol) {
        double[][] ref = k.reference();
        String what = k.toString().replaceAll("x=\\[D@\\w+, wt=\\[D@\\w+, dy=\\[D@\\w+", "");
        compare("simd backend " + dtype + what, ref, run(ONE, k, dtype), run(TWO, k, dtype), relTol);
        for (ConvF64.Strategy s : new ConvF64.Strategy[] {ConvF64.Strategy.IM2COL, ConvF64.Strategy.DIRECT, ConvF64.Strategy.LANES, ConvF64.Strategy.SCATTER}) {
            compare(s + " " + dtype + what, ref, run(s, Parallelism.serial(), k, dtype), run(s, POOL, k, dtype), relTol);
        }
    }

    static void compare(String what, double[][] ref, double[][] one, double[][] two, double relTol) {
        String[] names = {"conv2d", "conv2dGradInput", "conv2dGradWeight"};
        for (int i = 0; i < 3; i++) {
            double[] expected = ref[2 * i], abs = ref[2 * i + 1], tol = new double[abs.length];
            for (int j = 0; j < tol.length; j++) tol[j] = 1e-300 + relTol * abs[j];
            Check.close(names[i] + " 1 thread, " + what, expected, one[i], tol, 1, expected.length);
            assertArrayEquals(one[i], two[i], names[i] + ": 2 threads differ from 1, " + what);
        }
    }

    /** The kernels of one strategy, called directly (float32 through the generated ConvF32). */
    static double[][] run(ConvF64.Strategy strategy, Parallelism par, Case k, DType dtype) {
        int oh = k.oh(), ow = k.ow(), wSize = k.wt.length;
        double[] out = new double[k.n * k.o * oh * ow], dx = new double[k.x.length], dw = new double[wSize];
        if (dtype == DType.F64) {
            ConvF64 conv = new ConvF64(par, GemmConfig.DEFAULT, strategy);
            double[] o1 = nan64(out.length), dx1 = nan64(dx.length), dw1 = nan64(dw.length);
            conv.forward(k.x.clone(), k.n, k.c, k.h, k.w, k.wt.clone(), k.o, k.kh, k.kw, k.g, o1);
            conv.gradInput(k.dy.clone(), k.wt.clone(), k.n, k.c, k.h, k.w, k.o, k.kh, k.kw, k.g, dx1);
            conv.gradWeight(k.x.clone(), k.dy.clone(), k.n, k.c, k.h, k.w, k.o, k.kh, k.kw, k.g, dw1);
            return new double[][] {o1, dx1, dw1};
        }
        ConvF32 conv = new ConvF32(par, GemmConfig.DEFAULT, ConvF32.Strategy.valueOf(strategy.name()));
        float[] o1 = nan32(out.length), dx1 = nan32(dx.length), dw1 = nan32(dw.length);
        conv.forward(f32(k.x), k.n, k.c, k.h, k.w, f32(k.wt), k.o, k.kh, k.kw, k.g, o1);
        conv.gradInput(f32(k.dy), f32(k.wt), k.n, k.c, k.h, k.w, k.o, k.kh, k.kw, k.g, dx1);
        conv.gradWeight(f32(k.x), f32(k.dy), k.n, k.c, k.h, k.w, k.o, k.kh, k.kw, k.g, dw1);
        return new double[][] {f64(o1), f64(dx1), f64(dw1)};
    }

    static double[] nan64(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }

    static float[] nan32(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, Float.NaN);
        return a;
    }

    /** float32 copy of a, or null for null (optional operands). */
    static float[] f32(double[] a) {
        if (a == null) return null;
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    static double[] f64(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    static double[][] run(SimdBackend be, Case k, DType dtype) {
        Tensor x = Tensor.of(dtype, Shape.of(k.n, k.c, k.h, k.w), k.x);
        Tensor w = Tensor.of(dtype, Shape.of(k.o, k.c / k.g.groups(), k.kh, k.kw), k.wt);
        Tensor dy = Tensor.of(dtype, Shape.of(k.n, k.o, k.oh(), k.ow()), k.dy);
        // Garbage in the outputs: the kernels overwrite, they do not accumulate.
        Tensor out = garbage(dtype, dy.shape()), dx = garbage(dtype, x.shape()), dw = garbage(dtype, w.shape());
        be.conv2d(x, w, k.g, out);
        be.conv2dGradInput(dy, w, k.g, dx);
        be.conv2dGradWeight(x, dy, k.g, dw);
        return new double[][] {out.toDoubles(), dx.toDoubles(), dw.toDoubles()};
    }

    static Tensor garbage(DType dtype, Shape shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) t.set(i, i % 3 == 0 ? Double.NaN : 1e6);
        return t;
    }

    /** LeNet's two layers at batch 128 (the shapes the kernels are tuned for), both precisions. */
    @Property(tries = 2)
    void lenetLayersMatchTheSevenLoops(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            check(layer(r, 128, 1, 28, 28, 6, 5, new ConvGeometry(1, 1, 2, 2, 2, 2, 1, 1, 1)), dtype, dtype == DType.F32 ? 2e-6 : 1e-13);
            check(layer(r, 128, 6, 14, 14, 16, 5, ConvGeometry.unit()), dtype, dtype == DType.F32 ? 2e-6 : 1e-13);
        }
    }

    static Case layer(SplittableRandom r, int n, int c, int h, int w, int o, int k, ConvGeometry g) {
        double[] x = new double[n * c * h * w], wt = new double[o * c / g.groups() * k * k];
        double[] dy = new double[n * o * g.outH(h, k) * g.outW(w, k)];
        Case.fill(r, x);
        Case.fill(r, wt);
        Case.fill(r, dy);
        return new Case(n, c, h, w, o, k, k, g, x, wt, dy);
    }

    /** The vector row copy a native image uses in place of System.arraycopy copies exactly what arraycopy does. */
    @Property(tries = 200)
    void copyRowVectorIsArraycopy(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = r.nextInt(3 * ConvF64.LN + 2), so = r.nextInt(5), d = r.nextInt(5);
        double[] src = new double[so + n + r.nextInt(3)], want = new double[d + n + r.nextInt(3)];
        for (int i = 0; i < src.length; i++) src[i] = r.nextDouble();
        for (int i = 0; i < want.length; i++) want[i] = -1 - i;
        double[] got = want.clone();
        System.arraycopy(src, so, want, d, n);
        ConvF64.copyRowVector(src, so, got, d, n);
        assertArrayEquals(want, got, "n=" + n + " so=" + so + " d=" + d);
    }

    /** The vector zero fill a native image uses in place of Arrays.fill clears exactly [from, to). */
    @Property(tries = 200)
    void zeroRangeVectorIsFill(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] want = new double[r.nextInt(4 * ConvF64.LN + 3)];
        for (int i = 0; i < want.length; i++) want[i] = 1 + i;
        int from = r.nextInt(want.length + 1), to = from + r.nextInt(want.length - from + 1);
        double[] got = want.clone();
        java.util.Arrays.fill(want, from, to, 0);
        ConvF64.zeroRangeVector(got, from, to);
        assertArrayEquals(want, got, "from=" + from + " to=" + to);
    }
}
