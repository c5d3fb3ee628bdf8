package tinynn.runtime.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Differential tests of {@link GemmF32} / {@link GemmF64} against a naive triple loop in double precision. */
class GemmTest {

    static final Parallelism TWO = Parallelism.ofThreads(2);

    enum Precision { F32, F64 }

    /** Which entry point to exercise. */
    enum Path {
        /** The public API (size-based choice of small / packed / parallel). */
        PUBLIC,
        /** The packed path with the default block sizes, even for tiny shapes. */
        BLOCKED,
        /** As BLOCKED, with B never kept resident (the streaming loop order used for large B). */
        BLOCKED_STREAMING,
        /** The packed path with tiny blocks (KC=5, MC=MR, NC=NR) so every blocking loop and edge runs. */
        BLOCKED_TINY,
        /** As BLOCKED_TINY, with B never kept resident (the streaming loop order). */
        BLOCKED_TINY_STREAMING,
        /** The unpacked small-problem path. */
        SMALL,
        /** B packed once by packB, then gemmPacked (a recurrence's W_hh over its steps), with tiny blocks (KC=5, MC=MR, NC=NR). */
        PACKED_B,
        /** As PACKED_B through gemmPackedB, which reads a non-transposed A in place (transposed A: gemmPacked). */
        PACKED_B_A_IN_PLACE
    }

    /** A problem instance in double (values are exactly representable in float). */
    record Problem(boolean transA, boolean transB, int m, int n, int k, boolean accumulate,
                   double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {

        static Problem random(long seed, boolean transA, boolean transB, int m, int n, int k, boolean accumulate,
                              boolean padded) {
            SplittableRandom r = new SplittableRandom(seed);
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            int aOff = padded ? r.nextInt(4) : 0, bOff = padded ? r.nextInt(4) : 0, cOff = padded ? r.nextInt(4) : 0;
            int lda = aCols + (padded ? r.nextInt(4) : 0);
            int ldb = bCols + (padded ? r.nextInt(4) : 0);
            int ldc = n + (padded ? r.nextInt(4) : 0);
            double[] a = fill(r, aOff + (aRows - 1) * lda + aCols + (padded ? r.nextInt(3) : 0));
            double[] b = fill(r, bOff + (bRows - 1) * ldb + bCols + (padded ? r.nextInt(3) : 0));
            double[] c = new double[cOff + (m - 1) * ldc + n + (padded ? r.nextInt(3) : 0)];
            for (int i = 0; i < c.length; i++) c[i] = 12345.0; // guard value outside the C view
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    // When overwriting, C's old contents (even NaN) must be ignored.
                    c[cOff + i * ldc + j] = accumulate ? (float) (r.nextDouble() * 2 - 1) : Double.NaN;
                }
            }
            return new Problem(transA, transB, m, n, k, accumulate, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }

        private static double[] fill(SplittableRandom r, int len) {
            double[] x = new double[len];
            for (int i = 0; i < len; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
            return x;
        }

        double aAt(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        double bAt(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        /** Runs the implementation and returns the full C storage (including guard elements). */
        double[] run(Precision precision, Path path, Parallelism par) {
            return run(precision, path, par, GemmConfig.DEFAULT);
        }

        /** As above with {@code cfg}, whose block sizes the BLOCKED paths change as their names say. */
        double[] run(Precision precision, Path path, Parallelism par, GemmConfig cfg) {
            if (precision == Precision.F64) {
                double[] out = c.clone();
                GemmConfig blocks = blocks(path, cfg, GemmF64.MR, GemmF64.NR);
                switch (path) {
                    case PUBLIC -> GemmF64.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, out, cOff, ldc, par, cfg);
                    case SMALL -> GemmF64.small(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, out, cOff, ldc);
                    case PACKED_B -> {
                        double[] bp = new double[GemmF64.packedBSize(k, n, blocks)];
                        GemmF64.packB(transB, k, n, b, bOff, ldb, bp, blocks);
                        GemmF64.gemmPacked(transA, m, n, k, a, aOff, lda, bp, accumulate, out, cOff, ldc, blocks);
                    }
                    case PACKED_B_A_IN_PLACE -> {
                        double[] bp = new double[GemmF64.packedBSize(k, n, blocks)];
                        GemmF64.packB(transB, k, n, b, bOff, ldb, bp, blocks);
                        if (transA) GemmF64.gemmPacked(true, m, n, k, a, aOff, lda, bp, accumulate, out, cOff, ldc, blocks);
                        else GemmF64.gemmPackedB(m, n, k, a, aOff, lda, bp, accumulate, out, cOff, ldc, blocks);
                    }
                    default -> GemmF64.blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, out, cOff, ldc, par, blocks);
                }
                return out;
            }
            float[] fa = Check.toFloat(a), fb = Check.toFloat(b), out = Check.toFloat(c);
            GemmConfig blocks = blocks(path, cfg, GemmF32.MR, GemmF32.NR);
            switch (path) {
                case PUBLIC -> GemmF32.gemm(transA, transB, m, n, k, fa, aOff, lda, fb, bOff, ldb, accumulate, out, cOff, ldc, par, cfg);
                case SMALL -> GemmF32.small(transA, transB, m, n, k, fa, aOff, lda, fb, bOff, ldb, accumulate, out, cOff, ldc);
                case PACKED_B -> {
                    float[] bp = new float[GemmF32.packedBSize(k, n, blocks)];
                    GemmF32.packB(transB, k, n, fb, bOff, ldb, bp, blocks);
                    GemmF32.gemmPacked(transA, m, n, k, fa, aOff, lda, bp, accumulate, out, cOff, ldc, blocks);
                }
                case PACKED_B_A_IN_PLACE -> {
                    float[] bp = new float[GemmF32.packedBSize(k, n, blocks)];
                    GemmF32.packB(transB, k, n, fb, bOff, ldb, bp, blocks);
                    if (transA) GemmF32.gemmPacked(true, m, n, k, fa, aOff, lda, bp, accumulate, out, cOff, ldc, blocks);
                    else GemmF32.gemmPackedB(m, n, k, fa, aOff, lda, bp, accumulate, out, cOff, ldc, blocks);
                }
                default -> GemmF32.blocked(transA, transB, m, n, k, fa, aOff, lda, fb, bOff, ldb, accumulate, out, cOff, ldc, par, blocks);
            }
            return Check.toDouble(out);
        }

        /** The blocking of a BLOCKED path: the defaults, never-resident B, and/or tiny blocks (KC=5, MC=MR, NC=NR). */
        private static GemmConfig blocks(Path path, GemmConfig cfg, int mr, int nr) {
            return switch (path) {
                case BLOCKED_STREAMING -> cfg.withBlocks(cfg.kc(), cfg.mc(), cfg.nc(), 0);
                case BLOCKED_TINY, PACKED_B, PACKED_B_A_IN_PLACE -> cfg.withBlocks(5, mr, nr, Long.MAX_VALUE);
                case BLOCKED_TINY_STREAMING -> cfg.withBlocks(5, mr, nr, 0);
                default -> cfg;
            };
        }

        /**
         * Checks {@code actual} (full C storage) against the double-precision reference. The tolerance per
         * element is the standard dot-product error bound {@code ~ k * u * (sum_p |a||b| + |c0|)} with a floor.
         */
        void verify(Precision precision, double[] actual, String label) {
            double u = precision == Precision.F32 ? 0x1p-24 : 0x1p-53;
            double floor = precision == Precision.F32 ? 1e-6 : 1e-13;
            double[] exp = new double[m * n], act = new double[m * n], tol = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0, mag = 0;
                    for (int p = 0; p < k; p++) {
                        double prod = aAt(i, p) * bAt(p, j);
                        s += prod;
                        mag += Math.abs(prod);
                    }
                    double c0 = c[cOff + i * ldc + j];
                    if (accumulate) {
                        s += c0;
                        mag += Math.abs(c0);
                    }
                    exp[i * n + j] = s;
                    act[i * n + j] = actual[cOff + i * ldc + j];
                    tol[i * n + j] = Math.max(floor, 2.0 * (k + 2) * u * mag);
                }
            }
            Check.close(label, exp, act, tol, m, n);
            // Nothing outside the C view may be touched.
            for (int idx = 0; idx < c.length; idx++) {
                int rel = idx - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside && actual[idx] != c[idx]) {
                    throw new AssertionError(label + ": wrote outside C at storage index " + idx + " (value " + actual[idx] + ")");
                }
            }
        }

        @Override
        public String toString() {
            return String.format("%s%s m=%d n=%d k=%d acc=%s offs=(%d,%d,%d) ld=(%d,%d,%d)", transA ? "T" : "N",
                    transB ? "T" : "N", m, n, k, accumulate, aOff, bOff, cOff, lda, ldb, ldc);
        }
    }

    static void check(Precision precision, Path path, int threads, Problem pr) {
        check(precision, path, threads, pr, GemmConfig.DEFAULT);
    }

    static void check(Precision precision, Path path, int threads, Problem pr, GemmConfig cfg) {
        Parallelism par = threads == 1 ? Parallelism.serial() : TWO;
        double[] out = pr.run(precision, path, par, cfg);
        pr.verify(precision, out, precision + " " + path + " threads=" + threads + " " + pr);
    }

    // ---------------------------------------------------------------------------------------------

    @Property(tries = 250)
    void randomShapesF32(@ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 1, max = 70) int n,
                         @ForAll @IntRange(min = 1, max = 70) int k, @ForAll boolean transA, @ForAll boolean transB,
                         @ForAll boolean accumulate, @ForAll @IntRange(min = 1, max = 2) int threads,
                         @ForAll Path path, @ForAll boolean padded, @ForAll long seed) {
        check(Precision.F32, path, threads, Problem.random(seed, transA, transB, m, n, k, accumulate, padded));
    }

    @Property(tries = 250)
    void randomShapesF64(@ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 1, max = 70) int n,
                         @ForAll @IntRange(min = 1, max = 70) int k, @ForAll boolean transA, @ForAll boolean transB,
                         @ForAll boolean accumulate, @ForAll @IntRange(min = 1, max = 2) int threads,
                         @ForAll Path path, @ForAll boolean padded, @ForAll long seed) {
        check(Precision.F64, path, threads, Problem.random(seed, transA, transB, m, n, k, accumulate, padded));
    }

    /** The scalar packing that native images use (no gathers), on every blocking edge and layout. */
    @Property(tries = 150)
    void scalarPackingMatches(@ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 1, max = 70) int n,
                              @ForAll @IntRange(min = 1, max = 70) int k, @ForAll boolean transA, @ForAll boolean transB,
                              @ForAll boolean accumulate, @ForAll Precision precision, @ForAll long seed) {
        GemmConfig scalar = GemmConfig.DEFAULT.withGather(false);
        Problem pr = Problem.random(seed, transA, transB, m, n, k, accumulate, true);
        check(precision, Path.BLOCKED_TINY, 1, pr, scalar);
        check(precision, Path.BLOCKED, 2, pr, scalar);
    }

    /**
     * packByDepth for both kernel heights and any other, whatever this machine's MR: the sliver's depth q, row ii is
     * A's element (ii, q), at q·mr + ii, and nothing around the sliver is written.
     */
    @Property(tries = 60)
    void packByDepthLaysOutEverySliverHeight(@ForAll @IntRange(min = 1, max = 40) int kc, @ForAll @IntRange(min = 0, max = 7) int pad,
                                             @ForAll @IntRange(min = 0, max = 2) int which, @ForAll long seed) {
        int mr = new int[] {4, 12, 5}[which], lda = kc + pad, src = 3, d = 2;
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[src + mr * lda];
        float[] a32 = new float[a.length];
        for (int i = 0; i < a.length; i++) a32[i] = (float) (a[i] = r.nextInt(1000));
        double[] dst = new double[d + mr * kc + 3];
        float[] dst32 = new float[dst.length];
        java.util.Arrays.fill(dst, -1);
        java.util.Arrays.fill(dst32, -1);
        GemmF64.packByDepth(a, src, lda, kc, dst, d, mr);
        GemmF32.packByDepth(a32, src, lda, kc, dst32, d, mr);
        for (int i = 0; i < dst.length; i++) {
            int q = (i - d) / mr, ii = (i - d) % mr;
            double want = i < d || i >= d + mr * kc ? -1 : a[src + ii * lda + q];
            assertEquals(want, dst[i], 0, "float64 mr " + mr + " element " + i);
            assertEquals((float) want, dst32[i], 0, "float32 mr " + mr + " element " + i);
        }
    }

    static Stream<Arguments> fixedShapes() {
        int[][] shapes = {
                {1, 1, 1}, {1, 10, 3}, {3, 1, 5}, {1, 1, 300}, {129, 257, 130},
                // MNIST MLP, batch 128: forward, weight gradient (A^T B), input gradient (A B^T)
                {128, 400, 784}, {128, 100, 400}, {128, 10, 100},
                {784, 400, 128}, {400, 100, 128}, {100, 10, 128},
                {128, 784, 400}, {128, 400, 100}, {128, 100, 10},
                // short and wide (column split), tall and narrow, multiple KC / MC / NC blocks
                {20, 300, 50}, {1, 1000, 64}, {36, 160, 33}, {600, 17, 40}, {250, 70, 600}, {13, 2100, 20},
                // few rows (batch-1 inference): unpacked path, split over columns when large enough
                {1, 400, 784}, {4, 400, 784}, {3, 257, 1200}, {2, 1000, 1000},
        };
        List<Arguments> out = new ArrayList<>();
        for (int[] s : shapes) {
            for (Precision pr : Precision.values()) {
                out.add(Arguments.of(pr, s[0], s[1], s[2]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2}x{3}")
    @MethodSource("fixedShapes")
    void fixedShapesAllLayouts(Precision precision, int m, int n, int k) {
        long seed = 31L * m + 17L * n + k;
        for (int layout = 0; layout < 4; layout++) {
            boolean tA = (layout & 1) != 0, tB = (layout & 2) != 0;
            for (boolean acc : new boolean[] {false, true}) {
                for (int threads = 1; threads <= 2; threads++) {
                    check(precision, Path.PUBLIC, threads, Problem.random(seed++, tA, tB, m, n, k, acc, false));
                }
            }
            check(precision, Path.BLOCKED, 2, Problem.random(seed++, tA, tB, m, n, k, false, true));
            check(precision, Path.BLOCKED_STREAMING, 1 + layout % 2, Problem.random(seed++, tA, tB, m, n, k, true, true));
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void checkerReportsWorstElement() {
        Problem pr = Problem.random(7, false, false, 5, 6, 7, false, false);
        double[] out = pr.run(Precision.F32, Path.PUBLIC, Parallelism.serial());
        out[pr.cOff() + 3 * pr.ldc() + 4] += 0.5;   // inject an error
        out[pr.cOff() + 1 * pr.ldc() + 2] += 0.01;  // and a smaller one
        AssertionError e = assertThrows(AssertionError.class, () -> pr.verify(Precision.F32, out, "injected"));
        assertTrue(e.getMessage().contains("worst element [3,4]"), e.getMessage());
    }

    @Test
    void zeroSizedDimensions() {
        float[] c = {1, 2, 3, 4};
        GemmF32.gemm(false, false, 2, 2, 0, new float[0], 0, new float[0], 0, true, c, 0, null, GemmConfig.DEFAULT);
        assertEquals(1f, c[0]);
        GemmF32.gemm(false, false, 2, 2, 0, new float[0], 0, new float[0], 0, false, c, 0, null, GemmConfig.DEFAULT);
        for (float v : c) assertEquals(0f, v);
        GemmF64.gemm(true, true, 0, 5, 3, new double[0], 0, new double[0], 0, false, new double[0], 0, null, GemmConfig.DEFAULT);
    }

    @Test
    void rejectsTooSmallArrays() {
        float[] a = new float[6], b = new float[6], c = new float[4];
        assertThrows(IndexOutOfBoundsException.class,
                () -> GemmF32.gemm(false, false, 2, 2, 3, a, 1, b, 0, false, c, 0, null, GemmConfig.DEFAULT));
        assertThrows(IndexOutOfBoundsException.class,
                () -> GemmF32.gemm(false, false, 2, 3, 3, a, 0, new float[9], 0, false, c, 0, null, GemmConfig.DEFAULT));
        assertThrows(IllegalArgumentException.class,
                () -> GemmF32.gemm(false, false, 2, 2, 3, a, 0, 2, b, 0, 2, false, c, 0, 2, null, GemmConfig.DEFAULT));
        assertThrows(IllegalArgumentException.class,
                () -> GemmF64.gemm(false, false, -1, 2, 3, new double[6], 0, new double[6], 0, false, new double[4], 0, null, GemmConfig.DEFAULT));
    }

    @Test
    void steadyStateReusesWorkspace() {
        Problem pr = Problem.random(3, false, true, 200, 150, 300, false, false);
        pr.run(Precision.F32, Path.PUBLIC, Parallelism.serial());
        long before = GemmF32.workspaceFloats();
        for (int i = 0; i < 3; i++) pr.run(Precision.F32, Path.PUBLIC, Parallelism.serial());
        assertEquals(before, GemmF32.workspaceFloats());
        assertTrue(before > 0);
    }

    @Test
    void concurrentCallersShareOnePool() throws Exception {
        // Several threads using the same Parallelism at once: the busy pool makes the others run inline.
        Thread[] ts = new Thread[3];
        Throwable[] err = new Throwable[ts.length];
        for (int t = 0; t < ts.length; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 5; i++) {
                        Problem pr = Problem.random(100 * id + i, i % 2 == 0, i % 3 == 0, 97, 130, 111, i % 2 == 1, false);
                        pr.verify(Precision.F32, pr.run(Precision.F32, Path.BLOCKED, TWO), "concurrent " + pr);
                    }
                } catch (Throwable e) {
                    err[id] = e;
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) t.join();
        for (Throwable e : err) {
            if (e != null) throw new AssertionError(e);
        }
    }
}
