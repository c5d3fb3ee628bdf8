package tinynn.runtime.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import tinynn.ops.ConvGeometry;

/**
 * 2-D convolution of {@code double} NCHW images with OIHW kernels ({@code [O, C/groups, KH, KW]}): the forward pass and
 * both gradients, for any stride, padding per side, dilation and group count.
 *
 * <p>Strategy: each image (and group) is unfolded into a column matrix {@code col [Cg·KH·KW, OH·OW]} (im2col) in a
 * per-thread buffer, which then goes through the packed {@link GemmF64}: {@code out = W·col}, {@code dcol = Wᵀ·dy}
 * folded back into {@code dx} (col2im), {@code dW = Σ dy·colᵀ}. A 1×1 kernel with stride 1 and no padding needs no
 * unfolding (the image is its own column matrix). Images are split over the threads; a batch smaller than
 * the thread count gives the threads to the GEMM instead.
 *
 * <p>Determinism: the weight gradient of a batch is summed in a fixed order that does not depend on the thread
 * count: images are dealt to at most {@link #SLOTS} contiguous slots (by batch size alone), each slot accumulates
 * its images in order, and the slots are added in order. Forward and input gradient compute every output element
 * on one thread. So all three give the same bits for 1 thread and for many.
 *
 * <p>Nothing is allocated per call once the buffers have grown to the largest geometry seen: the column buffers
 * are per thread, the slot partials per instance (one instance per backend, used by one caller at a time).
 *
 * <p>The float32 twin is generated from this file by {@code runtime/src/build/GenerateF32.java}; edit this one.
 */
public final class ConvF64 {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int LN = S.length();

    /** Weight-gradient partial sums per batch (fixed, so that the summation order ignores the thread count). */
    static final int SLOTS = 16;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Parallelism par;
    private final GemmConfig cfg;
    private final Task task = new Task();
    /** Slots 1.. of the weight gradient (slot 0 is written into dW itself). */
    private double[] partials = new double[0];

    public ConvF64(Parallelism par, GemmConfig cfg) {
        this.par = par == null ? Parallelism.serial() : par;
        this.cfg = cfg;
    }

    /** {@code out [N, O, OH, OW] = x [N, C, H, W] ⋆ w [O, C/groups, KH, KW]}. */
    public void forward(double[] x, int n, int c, int h, int w, double[] wt, int o, int kh, int kw, ConvGeometry g,
                        double[] out) {
        task.set(Mode.FORWARD, x, wt, out, n, c, h, w, o, kh, kw, g);
        run(n);
    }

    /** {@code dx [N, C, H, W]} from {@code dy [N, O, OH, OW]} and {@code w}; overwrites dx. */
    public void gradInput(double[] dy, double[] wt, int n, int c, int h, int w, int o, int kh, int kw, ConvGeometry g,
                          double[] dx) {
        task.set(Mode.GRAD_INPUT, dx, wt, dy, n, c, h, w, o, kh, kw, g);
        run(n);
    }

    /** {@code dw [O, C/groups, KH, KW]} from {@code x} and {@code dy}; overwrites dw. */
    public void gradWeight(double[] x, double[] dy, int n, int c, int h, int w, int o, int kh, int kw, ConvGeometry g,
                           double[] dw) {
        task.set(Mode.GRAD_WEIGHT, x, dw, dy, n, c, h, w, o, kh, kw, g);
        int slots = Math.min(n, SLOTS), size = o * task.q;
        if (partials.length < (slots - 1) * size) partials = new double[(slots - 1) * size];
        task.partials = partials;
        run(slots);
        for (int s = 1; s < slots; s++) addRange(dw, 0, partials, (s - 1) * size, size);
    }

    private void run(int units) {
        try {
            if (units > 1 && par.threads() > 1) {
                task.gemmPar = Parallelism.serial();
                par.parallelFor(units, task);
            } else {
                task.gemmPar = par;
                task.run(0, units);
            }
        } finally {
            task.clear();
        }
    }

    private enum Mode { FORWARD, GRAD_INPUT, GRAD_WEIGHT }

    private static final class Scratch {
        double[] col = new double[0];

        double[] col(int size) {
            if (col.length < size) col = new double[size];
            return col;
        }
    }

    /**
     * One pass over a range of images (forward, input gradient) or of weight-gradient slots: the reusable loop body,
     * so that dispatching allocates nothing.
     */
    private final class Task implements IntRangeBody {
        Mode mode;
        /** The image tensor (x, or dx for the input gradient), the weights (or dw), the output-side tensor (out or dy). */
        double[] img, wt, map;
        double[] partials;
        Parallelism gemmPar;
        int n, c, h, w, o, kh, kw, oh, ow, groups, cg, og, q, p;
        int sh, sw, pt, pl, dh, dw;
        /** A 1×1 kernel with unit stride and no padding: the image is its own column matrix. */
        boolean pointwise;

        void set(Mode mode, double[] img, double[] wt, double[] map, int n, int c, int h, int w, int o, int kh, int kw,
                 ConvGeometry g) {
            this.mode = mode;
            this.img = img;
            this.wt = wt;
            this.map = map;
            this.n = n;
            this.c = c;
            this.h = h;
            this.w = w;
            this.o = o;
            this.kh = kh;
            this.kw = kw;
            this.oh = g.outH(h, kh);
            this.ow = g.outW(w, kw);
            this.groups = g.groups();
            this.cg = c / groups;
            this.og = o / groups;
            this.q = cg * kh * kw;
            this.p = oh * ow;
            this.sh = g.strideH();
            this.sw = g.strideW();
            this.pt = g.padTop();
            this.pl = g.padLeft();
            this.dh = g.dilationH();
            this.dw = g.dilationW();
            this.pointwise = kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && oh == h && ow == w;
        }

        void clear() {
            img = wt = map = partials = null;
            gemmPar = null;
        }

        @Override
        public void run(int from, int to) {
            double[] col = pointwise ? null : SCRATCH.get().col(q * p);
            switch (mode) {
                case FORWARD -> { for (int i = from; i < to; i++) forwardImage(i, col); }
                case GRAD_INPUT -> { for (int i = from; i < to; i++) gradInputImage(i, col); }
                case GRAD_WEIGHT -> { for (int s = from; s < to; s++) gradWeightSlot(s, col); }
            }
        }

        private void forwardImage(int i, double[] col) {
            for (int gi = 0; gi < groups; gi++) {
                int xOff = (i * c + gi * cg) * h * w;
                double[] b = img;
                int bOff = xOff;
                if (!pointwise) {
                    im2col(img, xOff, col);
                    b = col;
                    bOff = 0;
                }
                GemmF64.gemm(false, false, og, p, q, wt, gi * og * q, q, b, bOff, p, false, map, (i * o + gi * og) * p, p,
                        gemmPar, cfg);
            }
        }

        private void gradInputImage(int i, double[] col) {
            int image = c * h * w;
            if (!pointwise) java.util.Arrays.fill(img, i * image, (i + 1) * image, 0);
            for (int gi = 0; gi < groups; gi++) {
                int xOff = (i * c + gi * cg) * h * w, dyOff = (i * o + gi * og) * p;
                if (pointwise) {
                    GemmF64.gemm(true, false, q, p, og, wt, gi * og * q, q, map, dyOff, p, false, img, xOff, p, gemmPar, cfg);
                } else {
                    GemmF64.gemm(true, false, q, p, og, wt, gi * og * q, q, map, dyOff, p, false, col, 0, p, gemmPar, cfg);
                    col2im(col, img, xOff);
                }
            }
        }

        private void gradWeightSlot(int s, double[] col) {
            int slots = Math.min(n, SLOTS);
            int first = (int) ((long) n * s / slots), last = (int) ((long) n * (s + 1) / slots);
            double[] dst = s == 0 ? wt : partials;
            int base = s == 0 ? 0 : (s - 1) * o * q;
            for (int i = first; i < last; i++) {
                for (int gi = 0; gi < groups; gi++) {
                    int xOff = (i * c + gi * cg) * h * w;
                    double[] b = img;
                    int bOff = xOff;
                    if (!pointwise) {
                        im2col(img, xOff, col);
                        b = col;
                        bOff = 0;
                    }
                    GemmF64.gemm(false, true, og, q, p, map, (i * o + gi * og) * p, p, b, bOff, p, i > first,
                            dst, base + gi * og * q, q, gemmPar, cfg);
                }
            }
        }

        /** col[(ci·KH + ky)·KW + kx, oy·OW + ox] = x[ci, oy·sh − pt + ky·dh, ox·sw − pl + kx·dw], 0 outside the image. */
        private void im2col(double[] x, int xOff, double[] col) {
            for (int ci = 0; ci < cg; ci++) {
                int xc = xOff + ci * h * w;
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int row = ((ci * kh + ky) * kw + kx) * p;
                        int shift = kx * dw - pl;
                        int lo = oxFrom(shift), hi = oxTo(shift, lo);
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * sh - pt + ky * dh, dst = row + oy * ow;
                            if (iy < 0 || iy >= h) {
                                java.util.Arrays.fill(col, dst, dst + ow, 0);
                                continue;
                            }
                            if (lo > 0) java.util.Arrays.fill(col, dst, dst + lo, 0);
                            int src = xc + iy * w + shift;
                            if (sw == 1) {
                                if (hi > lo) System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
                            } else {
                                for (int ox = lo; ox < hi; ox++) col[dst + ox] = x[src + ox * sw];
                            }
                            if (hi < ow) java.util.Arrays.fill(col, dst + hi, dst + ow, 0);
                        }
                    }
                }
            }
        }

        /** The transpose of im2col: adds each column entry back onto the pixel it was read from. */
        private void col2im(double[] col, double[] x, int xOff) {
            for (int ci = 0; ci < cg; ci++) {
                int xc = xOff + ci * h * w;
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int row = ((ci * kh + ky) * kw + kx) * p;
                        int shift = kx * dw - pl;
                        int lo = oxFrom(shift), hi = oxTo(shift, lo);
                        if (hi <= lo) continue;
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * sh - pt + ky * dh;
                            if (iy < 0 || iy >= h) continue;
                            int src = row + oy * ow, dst = xc + iy * w + shift;
                            if (sw == 1) {
                                addRange(x, dst + lo, col, src + lo, hi - lo);
                            } else {
                                for (int ox = lo; ox < hi; ox++) x[dst + ox * sw] += col[src + ox];
                            }
                        }
                    }
                }
            }
        }

        /** First output column whose input column {@code ox·sw + shift} is inside the image. */
        private int oxFrom(int shift) {
            return Math.clamp(Math.ceilDiv(-shift, sw), 0, ow);
        }

        /** One past the last such column (at least {@code lo}). */
        private int oxTo(int shift, int lo) {
            return Math.clamp(Math.floorDiv(w - 1 - shift, sw) + 1, lo, ow);
        }
    }

    /** {@code dst[d..d+len) += src[s..s+len)}. */
    static void addRange(double[] dst, int d, double[] src, int s, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += LN) {
            DoubleVector.fromArray(S, dst, d + i).add(DoubleVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] += src[s + i];
    }
}
