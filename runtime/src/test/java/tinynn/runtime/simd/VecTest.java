package tinynn.runtime.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link VecF32} and {@link VecF64} against scalar references. Lengths run over 0..100 so every tail length
 * (not a multiple of the vector length) is covered; each check also verifies nothing past {@code n} is written.
 */
class VecTest {

    static final int LEN = 100;

    static double[] rnd(SplittableRandom r, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return x;
    }

    static double[] withZerosAndNegatives(SplittableRandom r, int n) {
        double[] x = rnd(r, n, 3);
        for (int i = 0; i < n; i += 5) x[i] = 0; // exercise the x > 0 boundary
        return x;
    }

    /** Fails if anything past index {@code n} differs from {@code sentinel}. */
    static void untouchedAfter(String what, double[] out, int n, double sentinel) {
        for (int i = n; i < out.length; i++) {
            if (out[i] != sentinel) throw new AssertionError(what + ": wrote past n=" + n + " at " + i);
        }
    }

    static double[] padded(int n, double sentinel) {
        double[] x = new double[n + 20];
        Arrays.fill(x, sentinel);
        return x;
    }

    // ---------------------------------------------------------------------------------------------
    // Element-wise

    interface Binary {
        void apply(Object a, Object b, Object out, int n);
    }

    @Property(tries = 150)
    void elementwiseBinary(@ForAll @IntRange(min = 0, max = LEN) int n, @ForAll long seed, @ForAll boolean f64) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = rnd(r, n + 20, 2), b = rnd(r, n + 20, 2);
        String[] names = {"add", "sub", "mul"};
        for (int op = 0; op < 3; op++) {
            double[] exp = new double[n];
            for (int i = 0; i < n; i++) {
                float fa = (float) a[i], fb = (float) b[i];
                exp[i] = switch (op) {
                    case 0 -> f64 ? a[i] + b[i] : fa + fb;
                    case 1 -> f64 ? a[i] - b[i] : fa - fb;
                    default -> f64 ? a[i] * b[i] : fa * fb;
                };
            }
            double[] out;
            if (f64) {
                out = padded(n, -7);
                switch (op) {
                    case 0 -> VecF64.add(a, b, out, n);
                    case 1 -> VecF64.sub(a, b, out, n);
                    default -> VecF64.mul(a, b, out, n);
                }
            } else {
                float[] fo = Check.toFloat(padded(n, -7));
                switch (op) {
                    case 0 -> VecF32.add(Check.toFloat(a), Check.toFloat(b), fo, n);
                    case 1 -> VecF32.sub(Check.toFloat(a), Check.toFloat(b), fo, n);
                    default -> VecF32.mul(Check.toFloat(a), Check.toFloat(b), fo, n);
                }
                out = Check.toDouble(fo);
            }
            Check.close(names[op] + " n=" + n, exp, Arrays.copyOf(out, n), 0, 0);
            untouchedAfter(names[op], out, n, -7);
        }
    }

    @Property(tries = 100)
    void inPlaceAliasing(@ForAll @IntRange(min = 0, max = LEN) int n, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = Check.toFloat(rnd(r, n, 2)), b = Check.toFloat(rnd(r, n, 2));
        float[] exp = new float[n];
        for (int i = 0; i < n; i++) exp[i] = a[i] + b[i];
        VecF32.add(a, b, a, n);
        Check.close("add in place", Check.toDouble(exp), Check.toDouble(a), 0, 0);
    }

    @Property(tries = 150)
    void scaleAxpySumDotMax(@ForAll @IntRange(min = 0, max = LEN) int n, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = rnd(r, n, 2), y = rnd(r, n, 2);
        double alpha = (float) (r.nextDouble() * 4 - 2);
        float fal = (float) alpha;
        float[] fx = Check.toFloat(x), fy = Check.toFloat(y);

        // scale
        double[] expScale = new double[n];
        for (int i = 0; i < n; i++) expScale[i] = alpha * x[i];
        double[] o64 = padded(n, 9);
        VecF64.scale(x, alpha, o64, n);
        Check.close("scale f64", expScale, Arrays.copyOf(o64, n), 0, 1e-15);
        untouchedAfter("scale f64", o64, n, 9);
        float[] o32 = new float[n];
        VecF32.scale(fx, fal, o32, n);
        Check.close("scale f32", expScale, Check.toDouble(o32), 0, 1e-7);

        // axpy
        double[] expAxpy = new double[n];
        for (int i = 0; i < n; i++) expAxpy[i] = y[i] + alpha * x[i];
        double[] y64 = Arrays.copyOf(y, n + 5);
        Arrays.fill(y64, n, n + 5, 9);
        VecF64.axpy(alpha, x, y64, n);
        Check.close("axpy f64", expAxpy, Arrays.copyOf(y64, n), 1e-15, 1e-15);
        untouchedAfter("axpy f64", y64, n, 9);
        float[] y32 = fy.clone();
        VecF32.axpy(fal, fx, y32, n);
        Check.close("axpy f32", expAxpy, Check.toDouble(y32), 1e-6, 1e-6);

        // sum, dot
        double s = 0, d = 0, mag = 0, dmag = 0;
        for (int i = 0; i < n; i++) {
            s += x[i];
            mag += Math.abs(x[i]);
            d += x[i] * y[i];
            dmag += Math.abs(x[i] * y[i]);
        }
        assertEquals(s, VecF64.sum(x, n), 1e-14 * (1 + mag), "sum f64");
        assertEquals(s, VecF32.sum(fx, n), 1e-6 * (1 + mag), "sum f32");
        assertEquals(d, VecF64.dot(x, y, n), 1e-14 * (1 + dmag), "dot f64");
        assertEquals(d, VecF32.dot(fx, fy, n), 1e-6 * (1 + dmag), "dot f32");

        // max
        if (n > 0) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) mx = Math.max(mx, x[i]);
            assertEquals(mx, VecF64.max(x, n), "max f64");
            assertEquals((float) mx, VecF32.max(fx, n), "max f32");
        }
    }

    @Test
    void maxSpecialCases() {
        assertThrows(IllegalArgumentException.class, () -> VecF32.max(new float[3], 0));
        float[] x = new float[37];
        Arrays.fill(x, -5);
        x[36] = -1; // only in the scalar tail
        assertEquals(-1f, VecF32.max(x, 37));
        x[3] = Float.NaN;
        assertEquals(Float.NaN, VecF32.max(x, 37));
        double[] y = new double[19];
        Arrays.fill(y, -3);
        y[18] = Double.NaN;
        assertEquals(Double.NaN, VecF64.max(y, 19));
    }

    // ---------------------------------------------------------------------------------------------
    // Matrix-shaped

    @Property(tries = 150)
    void biasReluAndColumnSums(@ForAll @IntRange(min = 1, max = 9) int rows, @ForAll @IntRange(min = 1, max = 45) int cols,
                               @ForAll long seed, @ForAll boolean accumulate) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = rows * cols;
        double[] x = rnd(r, n, 2), bias = rnd(r, cols, 1), init = rnd(r, cols, 1);
        double[] expBias = new double[n], expRelu = new double[n], expCol = new double[cols];
        double[] expBias32 = new double[n], expRelu32 = new double[n];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int o = i * cols + j;
                expBias[o] = x[o] + bias[j];
                expRelu[o] = Math.max(expBias[o], 0);
                expBias32[o] = (float) x[o] + (float) bias[j];
                expRelu32[o] = Math.max((float) expBias32[o], 0f);
                expCol[j] += x[o];
            }
        }
        if (accumulate) for (int j = 0; j < cols; j++) expCol[j] += init[j];

        double[] o64 = padded(n, 3);
        VecF64.addBias(x, bias, o64, rows, cols);
        Check.close("addBias f64", expBias, Arrays.copyOf(o64, n), 0, 0);
        untouchedAfter("addBias f64", o64, n, 3);
        VecF64.addBiasRelu(x, bias, o64, rows, cols);
        Check.close("addBiasRelu f64", expRelu, Arrays.copyOf(o64, n), 0, 0);
        untouchedAfter("addBiasRelu f64", o64, n, 3);
        float[] o32 = new float[n];
        VecF32.addBias(Check.toFloat(x), Check.toFloat(bias), o32, rows, cols);
        Check.close("addBias f32", expBias32, Check.toDouble(o32), 0, 0);
        VecF32.addBiasRelu(Check.toFloat(x), Check.toFloat(bias), o32, rows, cols);
        Check.close("addBiasRelu f32", expRelu32, Check.toDouble(o32), 0, 0);

        double[] cs64 = Arrays.copyOf(init, cols + 4);
        Arrays.fill(cs64, cols, cols + 4, 5);
        VecF64.colSums(x, rows, cols, cs64, accumulate);
        Check.close("colSums f64", expCol, Arrays.copyOf(cs64, cols), 1e-14, 1e-14);
        untouchedAfter("colSums f64", cs64, cols, 5);
        float[] cs32 = Check.toFloat(init);
        VecF32.colSums(Check.toFloat(x), rows, cols, cs32, accumulate);
        Check.close("colSums f32", expCol, Check.toDouble(cs32), 1e-5, 1e-5);
    }

    @Property(tries = 150)
    void reluAndBackward(@ForAll @IntRange(min = 0, max = LEN) int n, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = withZerosAndNegatives(r, n), dy = rnd(r, n, 1);
        double[] expRelu = new double[n], expBack = new double[n];
        for (int i = 0; i < n; i++) {
            expRelu[i] = Math.max(x[i], 0);
            expBack[i] = x[i] > 0 ? dy[i] : 0;
        }
        double[] o64 = padded(n, 4);
        VecF64.relu(x, o64, n);
        Check.close("relu f64", expRelu, Arrays.copyOf(o64, n), 0, 0);
        untouchedAfter("relu f64", o64, n, 4);
        VecF64.reluBackward(x, dy, o64, n);
        Check.close("reluBackward f64", expBack, Arrays.copyOf(o64, n), 0, 0);
        untouchedAfter("reluBackward f64", o64, n, 4);
        float[] o32 = new float[n];
        VecF32.relu(Check.toFloat(x), o32, n);
        Check.close("relu f32", expRelu, Check.toDouble(o32), 0, 0);
        float[] dy32 = Check.toFloat(dy);
        VecF32.reluBackward(Check.toFloat(x), dy32, dy32, n); // in place on dy
        Check.close("reluBackward f32", expBack, Check.toDouble(dy32), 0, 0);
    }

    @Test
    void reluNaNPropagates() {
        float[] x = new float[20];
        x[17] = Float.NaN;
        x[2] = Float.NaN;
        VecF32.relu(x, x, 20);
        assertEquals(Float.NaN, x[17]);
        assertEquals(Float.NaN, x[2]);
    }

    // ---------------------------------------------------------------------------------------------
    // Adam

    /** torch.optim.Adam (foreach=False) reference, in double. */
    static void adamReference(double[] p, double[] g, double[] m, double[] v, int n, double lr, double b1, double b2,
                              double eps, double wd, int t) {
        double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
        for (int i = 0; i < n; i++) {
            double gi = g[i] + wd * p[i];
            m[i] = m[i] + (1 - b1) * (gi - m[i]);
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + eps;
            p[i] -= lr / bc1 * m[i] / denom;
        }
    }

    @Property(tries = 120)
    void adamMatchesTorchFormula(@ForAll @IntRange(min = 0, max = LEN) int n, @ForAll long seed,
                                 @ForAll @IntRange(min = 1, max = 50) int steps, @ForAll boolean decay) {
        SplittableRandom r = new SplittableRandom(seed);
        double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = decay ? 0.01 : 0;
        double[] p = rnd(r, n, 1), m = new double[n], v = new double[n];
        double[] p64 = p.clone(), m64 = new double[n], v64 = new double[n];
        float[] p32 = Check.toFloat(p), m32 = new float[n], v32 = new float[n];
        for (int t = 1; t <= steps; t++) {
            double[] g = rnd(r, n, 1);
            float[] g32 = Check.toFloat(g);
            double[] gCopy = g.clone();
            adamReference(p, g, m, v, n, lr, b1, b2, eps, wd, t);
            VecF64.adam(p64, g, m64, v64, n, lr, b1, b2, eps, wd, t);
            VecF32.adam(p32, g32, m32, v32, n, (float) lr, (float) b1, (float) b2, (float) eps, (float) wd, t);
            Check.close("adam leaves g alone", gCopy, g, 0, 0);
        }
        Check.close("adam f64 p", p, p64, 1e-14, 1e-12);
        Check.close("adam f64 m", m, m64, 1e-15, 1e-12);
        Check.close("adam f64 v", v, v64, 1e-15, 1e-12);
        // float32 state drifts with the number of steps; lr * steps bounds the total movement
        Check.close("adam f32 p", p, Check.toDouble(p32), 2e-6 * steps * lr * 1e3, 1e-6);
        Check.close("adam f32 m", m, Check.toDouble(m32), 1e-6, 1e-5);
        Check.close("adam f32 v", v, Check.toDouble(v32), 1e-7, 1e-5);
    }

    @Property(tries = 60)
    void adamOnSlicesEqualsWholeUpdate(@ForAll @IntRange(min = 0, max = LEN) int n, @ForAll @IntRange(min = 0, max = LEN) int cut,
                                       @ForAll long seed) {
        int split = Math.min(cut, n);
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = Check.toFloat(rnd(r, n, 1)), g = Check.toFloat(rnd(r, n, 1));
        float[] m = Check.toFloat(rnd(r, n, 0.1)), v = new float[n];
        for (int i = 0; i < n; i++) v[i] = Math.abs(m[i]);
        float[] p2 = p.clone(), m2 = m.clone(), v2 = v.clone();
        VecF32.adam(p, g, m, v, n, 1e-2f, 0.9f, 0.99f, 1e-8f, 0.1f, 3);
        VecF32.adam(p2, g, m2, v2, split, n, 1e-2f, 0.9f, 0.99f, 1e-8f, 0.1f, 3);
        VecF32.adam(p2, g, m2, v2, 0, split, 1e-2f, 0.9f, 0.99f, 1e-8f, 0.1f, 3);
        Check.close("adam slices p", Check.toDouble(p), Check.toDouble(p2), 1e-7, 1e-6);
        Check.close("adam slices m", Check.toDouble(m), Check.toDouble(m2), 1e-7, 1e-6);
        Check.close("adam slices v", Check.toDouble(v), Check.toDouble(v2), 1e-7, 1e-6);
        double[] pd = Check.toDouble(p), gd = Check.toDouble(g), md = new double[n], vd = new double[n];
        double[] pd2 = pd.clone(), md2 = new double[n], vd2 = new double[n];
        VecF64.adam(pd, gd, md, vd, n, 1e-2, 0.9, 0.99, 1e-8, 0.1, 1);
        VecF64.adam(pd2, gd, md2, vd2, 0, split, 1e-2, 0.9, 0.99, 1e-8, 0.1, 1);
        VecF64.adam(pd2, gd, md2, vd2, split, n, 1e-2, 0.9, 0.99, 1e-8, 0.1, 1);
        Check.close("adam f64 slices p", pd, pd2, 0, 0);
    }

    @Test
    void adamStoresTinyMomentsAsZero() {
        // Idle weights' moments decay geometrically; below ADAM_TINY they must become exactly zero (never
        // subnormal), in the vector body and in the scalar tail alike, while ordinary moments follow the formula.
        int n = 3 * VecF32.LN + 5;
        float[] p = new float[n], g = new float[n], m = new float[n], v = new float[n];
        double[] pd = new double[n], gd = new double[n], md = new double[n], vd = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = 0.5f;
            pd[i] = 0.5;
            boolean idle = i % 3 != 0;
            m[i] = idle ? 1.05e-30f : 0.01f;
            v[i] = idle ? 1.0005e-30f : 1e-4f;
            md[i] = idle ? 1.05e-290 : 0.01;
            vd[i] = idle ? 1.0005e-290 : 1e-4;
            g[i] = idle ? 0 : 0.02f;
            gd[i] = g[i];
        }
        VecF32.adam(p, g, m, v, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 7);
        VecF64.adam(pd, gd, md, vd, n, 1e-3, 0.9, 0.999, 1e-8, 0, 7);
        for (int i = 0; i < n; i++) {
            if (i % 3 != 0) {
                assertEquals(0f, m[i], "f32 m[" + i + "]");
                assertEquals(0f, v[i], "f32 v[" + i + "]");
                assertEquals(0.0, md[i], "f64 m[" + i + "]");
                assertEquals(0.0, vd[i], "f64 v[" + i + "]");
                assertEquals(0.5f, p[i], "an idle weight stays put");
            } else {
                assertEquals(0.9f * 0.01f + 0.1f * 0.02f, m[i], 1e-9f, "f32 m[" + i + "]");
                assertEquals(0.999f * 1e-4f + 0.001f * 0.02f * 0.02f, v[i], 1e-10f, "f32 v[" + i + "]");
            }
        }
    }

    @Test
    void adamRejectsStepZero() {
        assertThrows(IllegalArgumentException.class,
                () -> VecF32.adam(new float[1], new float[1], new float[1], new float[1], 1, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 0));
    }

    // ---------------------------------------------------------------------------------------------
    // Softmax cross-entropy

    @Property(tries = 150)
    void softmaxCrossEntropyMatchesReference(@ForAll @IntRange(min = 1, max = 12) int rows,
                                             @ForAll @IntRange(min = 1, max = 45) int cols, @ForAll long seed,
                                             @ForAll boolean soft, @ForAll boolean hugeLogits,
                                             @ForAll boolean vectorExp) {
        // vectorExp=false: the scalar exponentials a native image uses
        softmaxCrossEntropyCase(rows, cols, seed, soft, hugeLogits, vectorExp);
    }

    private static void softmaxCrossEntropyCase(int rows, int cols, long seed, boolean soft, boolean hugeLogits,
                                                boolean vectorExp) {
        SplittableRandom r = new SplittableRandom(seed);
        double scale = hugeLogits ? 200 : 5; // large logits: exp would overflow without max subtraction
        double[] z = rnd(r, rows * cols, scale), t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            if (soft) {
                double s = 0;
                for (int j = 0; j < cols; j++) s += t[i * cols + j] = r.nextDouble();
                for (int j = 0; j < cols; j++) t[i * cols + j] = (float) (t[i * cols + j] / s);
            } else {
                t[i * cols + r.nextInt(cols)] = 1;
            }
        }
        double loss = 0;
        double[] grad = new double[rows * cols], sm = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) mx = Math.max(mx, z[i * cols + j]);
            double se = 0;
            for (int j = 0; j < cols; j++) se += Math.exp(z[i * cols + j] - mx);
            for (int j = 0; j < cols; j++) {
                int o = i * cols + j;
                double logp = z[o] - mx - Math.log(se);
                loss -= t[o] * logp;
                sm[o] = Math.exp(logp);
                grad[o] = (sm[o] - t[o]) / rows;
            }
        }
        loss /= rows;

        double[] g64 = padded(rows * cols, 8);
        double l64 = VecF64.softmaxCrossEntropy(z, t, rows, cols, g64, vectorExp);
        assertEquals(loss, l64, 1e-12 * (1 + Math.abs(loss)), "loss f64");
        Check.close("grad f64", grad, Arrays.copyOf(g64, rows * cols), 1e-15, 1e-10);
        untouchedAfter("grad f64", g64, rows * cols, 8);
        assertEquals(loss, VecF64.softmaxCrossEntropy(z, t, rows, cols, null, vectorExp), 1e-12 * (1 + Math.abs(loss)), "loss only");

        float[] g32 = new float[rows * cols];
        float l32 = VecF32.softmaxCrossEntropy(Check.toFloat(z), Check.toFloat(t), rows, cols, g32, vectorExp);
        assertEquals(loss, l32, 1e-5 * (1 + Math.abs(loss)) + 1e-7 * scale, "loss f32");
        Check.close("grad f32", grad, Check.toDouble(g32), 1e-7, 1e-5);
        float[] inPlace = Check.toFloat(z); // grad may alias logits
        assertEquals(l32, VecF32.softmaxCrossEntropy(inPlace, Check.toFloat(t), rows, cols, inPlace, vectorExp), "loss f32 in place");
        Check.close("grad f32 in place", Check.toDouble(g32), Check.toDouble(inPlace), 0, 0);

        double[] s64 = new double[rows * cols];
        VecF64.softmax(z, s64, rows, cols, vectorExp);
        Check.close("softmax f64", sm, s64, 1e-15, 1e-12);
        float[] s32 = Check.toFloat(z);
        VecF32.softmax(s32, s32, rows, cols, vectorExp); // in place
        Check.close("softmax f32", sm, Check.toDouble(s32), 1e-7, 1e-5);

        int[] am = new int[rows];
        VecF64.argmaxRows(z, rows, cols, am);
        for (int i = 0; i < rows; i++) {
            int best = 0;
            for (int j = 1; j < cols; j++) if (z[i * cols + j] > z[i * cols + best]) best = j;
            assertEquals(best, am[i], "argmax row " + i);
        }
    }

    @Test
    void crossEntropyOfPerfectPredictionIsTiny() {
        float[] z = new float[3 * 20], t = new float[3 * 20];
        for (int i = 0; i < 3; i++) {
            z[i * 20 + i] = 100;
            t[i * 20 + i] = 1;
        }
        float[] grad = new float[z.length];
        float loss = VecF32.softmaxCrossEntropy(z, t, 3, 20, grad, true);
        assertEquals(0f, loss, 1e-6f);
        for (float gv : grad) assertEquals(0f, gv, 1e-7f);
    }
}
