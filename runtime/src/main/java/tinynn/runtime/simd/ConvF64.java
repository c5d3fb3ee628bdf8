package tinynn.runtime.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import tinynn.ops.ConvGeometry;

/**
 * 2-D convolution of {@code double} NCHW images with OIHW kernels ({@code [O, C/groups, KH, KW]}): the forward pass and
 * both gradients, for any stride, padding per side, dilation and group count.
 *
 * <p>Two strategies, chosen per call ({@link Strategy}):
 * <ul>
 *   <li><b>direct</b> (stride 1): an implicit GEMM on the zero-padded image. With unit stride, row {@code (c, ky, kx)}
 *       of the im2col matrix is the padded image itself, flattened and shifted by {@code c·Hp·Wp + ky·dh·Wp + kx·dw},
 *       if the output is computed on "wide" rows of Wp columns (the last {@code Wp − OW} of each are junk and dropped).
 *       So the micro-kernel (6 output channels x 2 vectors of positions) reads the padded image straight from L1 with
 *       per-depth offsets: no unfolding, no packing of B, no padding of the channel count to the GEMM's 12-row tile
 *       (LeNet's 6 and 16 output channels). The input gradient is the same kernel on the padded dy (a full
 *       correlation with the kernel's offsets reversed), the weight gradient a 6 x 4 block of dot products between
 *       the wide dy rows and the shifted image.</li>
 *   <li><b>lanes</b> (stride 1, forward and weight gradient): the direct kernel's padded image and offsets, with the
 *       output channels across the vector lanes instead of the positions, so that no wide-row columns or channel
 *       padding are computed ({@link ConvLanesF64}).</li>
 *   <li><b>scatter</b> (stride 1, input gradient): {@code dcol = Wᵀ·dy} by the direct kernel's micro-tile on dy laid
 *       out on the padded dx's rows (the offsets are its channel planes), then a contiguous col2im. It multiplies
 *       only what is there, where the direct input gradient also multiplies the zero border of the padded dy (2.6x
 *       the useful work on LeNet's 6→16 layer).</li>
 *   <li><b>im2col</b> (any geometry): each image (and group) is unfolded into {@code col [Cg·KH·KW, OH·OW]} in a
 *       per-thread buffer that goes through the packed {@link GemmF64}: {@code out = W·col}, {@code dcol = Wᵀ·dy}
 *       folded back into dx (col2im), {@code dW = Σ dy·colᵀ}. A 1×1 kernel with stride 1 and no padding needs no
 *       unfolding (the image is its own column matrix).</li>
 * </ul>
 * Images are handed out to the threads one at a time; a single image gives the threads to the GEMM instead (the
 * direct kernel then runs on the calling thread).
 *
 * <p>Determinism: the weight gradient of a batch is summed in a fixed order that does not depend on the thread
 * count: images are dealt to at most {@link #SLOTS} contiguous slots (by batch size alone), each slot accumulates
 * its images in order, and the slots are added in order. Forward and input gradient compute every output element
 * on one thread. So all three give the same bits for 1 thread and for many.
 *
 * <p>Nothing is allocated per call once the buffers have grown to the largest geometry seen: the image, column and
 * wide-output buffers are per thread, the packed weights, offsets and slot partials per instance (one instance per
 * backend, used by one caller at a time).
 *
 * <p>The float32 twin is generated from this file by {@code runtime/src/build/GenerateF32.java}; edit this one.
 */
public final class ConvF64 {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int LN = S.length();
    /** Output rows (channels) of the direct micro-kernel, and its columns (two vectors). */
    static final int ROWS = 6, COLS = 2 * LN;
    /**
     * The weight-gradient dot-product block: rows of dy by depths of the shifted image; channel counts pad to a
     * multiple of three, and blocks of DW_ROWS rows go through the 6 x 4 kernel, the last three rows of an odd
     * multiple (or all of them, with DW_ROWS = 3) through the 3 x 4 one. A native image takes 3 x 4 only: its register
     * allocator copies each of the 6 x 4 kernel's 24 accumulators before its FMA and spills 23 vectors to the stack per
     * iteration (perf annotate, x86-64-v4), where C2 keeps all 29 live vectors in the 32 registers.
     */
    static final int DW_ROWS = SimdConfig.NATIVE_IMAGE ? 3 : 6, DW_DEPTHS = 4;

    /** Weight-gradient partial sums per batch (fixed, so that the summation order ignores the thread count). */
    static final int SLOTS = 16;

    /**
     * Which kernel runs a call: {@code AUTO} picks; the others force one (tests); direct falls back to im2col when it
     * cannot, lanes to direct for the input gradient, scatter to direct for the forward pass, the weight gradient and
     * strides other than 1.
     */
    public enum Strategy { AUTO, IM2COL, DIRECT, LANES, SCATTER }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Parallelism par;
    private final GemmConfig cfg;
    private final Strategy strategy;
    private final Task task = new Task();
    /** Slots 1.. of the weight gradient (slot 0 is written into dW itself). */
    private double[] partials = new double[0];
    /** The direct kernel's weights, packed per group in blocks of ROWS rows: [group][block][depth][ROWS]. */
    private double[] packed = new double[0];
    /** The direct kernel's per-depth offsets into the padded buffer. */
    private int[] offsets = new int[0];

    public ConvF64(Parallelism par, GemmConfig cfg) {
        this(par, cfg, Strategy.AUTO);
    }

    public ConvF64(Parallelism par, GemmConfig cfg, Strategy strategy) {
        this.par = par == null ? Parallelism.serial() : par;
        this.cfg = cfg;
        this.strategy = strategy;
    }

    /** {@code out [N, O, OH, OW] = x [N, C, H, W] ⋆ w [O, C/groups, KH, KW]}. */
    public void forward(double[] x, int n, int c, int h, int w, double[] wt, int o, int kh, int kw, ConvGeometry g,
                        double[] out) {
        forward(x, n, c, h, w, wt, o, kh, kw, g, out, null);
    }

    /**
     * {@code out = relu(x ⋆ w + bias)} with one bias value per output channel, or plain {@code x ⋆ w} when bias is
     * null: the bias and ReLU go over each image's output right after it is computed, while it is in cache.
     */
    public void forward(double[] x, int n, int c, int h, int w, double[] wt, int o, int kh, int kw, ConvGeometry g,
                        double[] out, double[] bias) {
        task.set(Mode.FORWARD, x, wt, out, n, c, h, w, o, kh, kw, g);
        task.bias = bias;
        if (task.direct) prepareDirect();
        run(n);
    }

    /** {@code dx [N, C, H, W]} from {@code dy [N, O, OH, OW]} and {@code w}; overwrites dx. */
    public void gradInput(double[] dy, double[] wt, int n, int c, int h, int w, int o, int kh, int kw, ConvGeometry g,
                          double[] dx) {
        task.set(Mode.GRAD_INPUT, dx, wt, dy, n, c, h, w, o, kh, kw, g);
        if (task.direct) prepareDirect();
        if (task.scatter) prepareScatter();
        run(n);
    }

    /** {@code dw [O, C/groups, KH, KW]} from {@code x} and {@code dy}; overwrites dw. */
    public void gradWeight(double[] x, double[] dy, int n, int c, int h, int w, int o, int kh, int kw, ConvGeometry g,
                           double[] dw) {
        task.set(Mode.GRAD_WEIGHT, x, dw, dy, n, c, h, w, o, kh, kw, g);
        if (n == 0 || task.p == 0) {
            zeroRange(dw, 0, o * task.q);
            task.clear();
            return;
        }
        if (task.direct) prepareDirect();
        int slots = Math.min(n, SLOTS), size = o * task.q;
        if (partials.length < (slots - 1) * size) partials = new double[(slots - 1) * size];
        task.partials = partials;
        run(slots);
        for (int s = 1; s < slots; s++) addRange(dw, 0, partials, (s - 1) * size, size);
    }

    private void run(int units) {
        try {
            if (units > 1 && par.threads() > 1) {
                // Units are taken one at a time from each thread's contiguous share, then from the others'
                // (WorkShares): when a core is busy with something else (a shared machine), the other threads take
                // its images instead of waiting for them, and otherwise each core's images stay in its cache.
                task.gemmPar = Parallelism.serial();
                task.units = units;
                int threads = Math.min(units, par.threads());
                task.shares.reset(units, threads);
                task.dynamic = true;
                par.parallelFor(threads, task);
            } else {
                task.gemmPar = par;
                task.dynamic = false;
                task.run(0, units);
            }
        } finally {
            task.clear();
        }
    }

    /**
     * The direct kernel's shared inputs, on the calling thread: the per-depth offsets into the padded buffer and (for
     * the forward pass and the input gradient) the weights packed in blocks of ROWS output rows, zero rows past the end.
     */
    private void prepareDirect() {
        Task t = task;
        int depthPad = t.mode != Mode.GRAD_WEIGHT ? t.depth : GemmGeometry.roundUp(t.depth, t.lanes ? ConvLanesF64.DEPTHS : DW_DEPTHS);
        if (offsets.length < depthPad) offsets = new int[depthPad];
        int plane = t.bufH * t.bufW, maxOff = 0;
        for (int ch = 0, d = 0; ch < t.srcChans; ch++) {
            for (int ky = 0; ky < t.kh; ky++) {
                for (int kx = 0; kx < t.kw; kx++, d++) {
                    int off = t.mode == Mode.GRAD_INPUT
                            ? ch * plane + (t.kh - 1 - ky) * t.dh * t.bufW + (t.kw - 1 - kx) * t.dw
                            : ch * plane + ky * t.dh * t.bufW + kx * t.dw;
                    offsets[d] = off;
                    maxOff = Math.max(maxOff, off);
                }
            }
        }
        for (int d = t.depth; d < depthPad; d++) offsets[d] = 0;
        t.offsets = offsets;
        t.bufLen = Math.max(maxOff + t.wideCols, t.srcChans * plane);
        if (t.mode == Mode.GRAD_WEIGHT) return;
        if (t.lanes) {
            prepareLanes();
            return;
        }
        int blocks = GemmGeometry.ceilDiv(t.rows, ROWS), size = t.groups * blocks * t.depth * ROWS;
        if (packed.length < size) packed = new double[size];
        int kk = t.kh * t.kw;
        for (int gi = 0; gi < t.groups; gi++) {
            for (int b = 0; b < blocks; b++) {
                int base = (gi * blocks + b) * t.depth * ROWS;
                for (int d = 0; d < t.depth; d++) {
                    for (int r = 0; r < ROWS; r++) {
                        int row = b * ROWS + r;
                        double v = 0;
                        if (row < t.rows) {
                            v = t.mode == Mode.FORWARD
                                    ? t.wt[(gi * t.og + row) * t.depth + d]                      // w[o = row][d = (c, ky, kx)]
                                    : t.wt[((gi * t.og + d / kk) * t.cg + row) * kk + d % kk];   // w[o][c = row][ky, kx]
                        }
                        packed[base + d * ROWS + r] = v;
                    }
                }
            }
        }
        t.packed = packed;
    }

    /**
     * The scatter input gradient's shared inputs: Wᵀ packed per group in blocks of ROWS rows of dcol ([group][block]
     * [o][ROWS], zero rows past q), and the offsets of dy's og planes in its wide copy.
     */
    private void prepareScatter() {
        Task t = task;
        if (offsets.length < t.og) offsets = new int[t.og];
        for (int k = 0; k < t.og; k++) offsets[k] = k * t.wideCols;
        t.offsets = offsets;
        int blocks = GemmGeometry.ceilDiv(t.q, ROWS), size = t.groups * blocks * t.og * ROWS;
        if (packed.length < size) packed = new double[size];
        for (int gi = 0; gi < t.groups; gi++) {
            for (int b = 0; b < blocks; b++) {
                int base = (gi * blocks + b) * t.og * ROWS;
                for (int k = 0; k < t.og; k++) {
                    for (int r = 0; r < ROWS; r++) {
                        int row = b * ROWS + r;
                        packed[base + k * ROWS + r] = row < t.q ? t.wt[(gi * t.og + k) * t.q + row] : 0;   // w[o = k][d = row]
                    }
                }
            }
        }
        t.packed = packed;
    }

    /** The lanes forward pass's weights, [group][depth][ogPad] (channels padded with zeros to whole vectors). */
    private void prepareLanes() {
        Task t = task;
        int size = t.groups * t.depth * t.ogPad;
        if (packed.length < size) packed = new double[size];
        for (int gi = 0; gi < t.groups; gi++) {
            for (int d = 0; d < t.depth; d++) {
                int base = (gi * t.depth + d) * t.ogPad;
                for (int r = 0; r < t.ogPad; r++) packed[base + r] = r < t.og ? t.wt[(gi * t.og + r) * t.depth + d] : 0;
            }
        }
        t.packed = packed;
    }

    private enum Mode { FORWARD, GRAD_INPUT, GRAD_WEIGHT }

    private static final class Scratch {
        double[] col = new double[0], pad = new double[0], wide = new double[0];
        /** The wide scatter's dcol rows, and the geometry whose zero margins it holds (see {@link #dcol}). */
        double[] dcol = new double[0];
        long dcolGeometry = -1;

        /**
         * A dcol buffer of rows of ld whose first margin and last ld − margin − cols elements are zero. The kernels
         * write only the middle of each row, so the margins are zeroed once per geometry, not per image: a fill per
         * row was a fifth of the scatter's time on LeNet's 6→16 layer.
         */
        double[] dcol(int rows, int ld, int margin, int cols) {
            long geometry = ((long) ld << 42) ^ ((long) margin << 21) ^ cols;
            if (dcol.length < rows * ld) {
                dcol = new double[rows * ld];
            } else if (geometry != dcolGeometry) {
                java.util.Arrays.fill(dcol, 0);
            }
            dcolGeometry = geometry;
            return dcol;
        }

        double[] col(int size) {
            if (col.length < size) col = new double[size];
            return col;
        }

        double[] pad(int size) {
            if (pad.length < size) pad = new double[size];
            return pad;
        }

        double[] wide(int size) {
            if (wide.length < size) wide = new double[size];
            return wide;
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
        /** The forward pass's per-channel bias, added with a ReLU after each image; null for none. */
        double[] bias;
        Parallelism gemmPar;
        /** Whether {@link #run} takes units from {@link #shares} (several threads) or runs the range it is given. */
        boolean dynamic;
        int units;
        final WorkShares shares = new WorkShares();
        int n, c, h, w, o, kh, kw, oh, ow, groups, cg, og, q, p;
        int sh, sw, pt, pl, dh, dw;
        /** A 1×1 kernel with unit stride and no padding: the image is its own column matrix. */
        boolean pointwise;

        // The direct kernel: the source (x, or dy for the input gradient) is copied, zero-padded, into a buffer of
        // srcChans planes of bufH x bufW; the result has `rows` channels computed on wide rows of bufW columns,
        // of which the first outW of each of outH rows are kept.
        boolean direct;
        /** The lanes kernels (direct's buffer and offsets, channels across the lanes, padded to ogPad). */
        boolean lanes;
        int ogPad;
        /** The scatter input gradient (unit stride): bufH x bufW is then the padded dx, wideCols its wide dy rows. */
        boolean scatter;
        int srcChans, srcH, srcW, bufH, bufW, top, left, depth, rows, outH, outW, wideCols, bufLen;
        int[] offsets;
        double[] packed;

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
            int reachH = (kh - 1) * dh, reachW = (kw - 1) * dw;
            boolean unitStride = sh == 1 && sw == 1 && !pointwise;
            if (mode == Mode.GRAD_INPUT) {
                // dx is a full correlation of dy padded by the kernel's reach minus the forward padding: only
                // possible when no padding exceeds the reach (otherwise dy would need negative padding).
                unitStride &= pt <= reachH && g.padBottom() <= reachH && pl <= reachW && g.padRight() <= reachW;
                srcChans = og;
                srcH = oh;
                srcW = ow;
                top = reachH - pt;
                left = reachW - pl;
                bufH = h + reachH;
                bufW = w + reachW;
                depth = og * kh * kw;
                rows = cg;
                outH = h;
                outW = w;
            } else {
                srcChans = cg;
                srcH = h;
                srcW = w;
                top = pt;
                left = pl;
                bufH = h + pt + g.padBottom();
                bufW = w + pl + g.padRight();
                depth = q;
                rows = og;
                outH = oh;
                outW = ow;
            }
            wideCols = GemmGeometry.roundUp(outH * bufW, LN);
            ogPad = GemmGeometry.roundUp(og, LN);
            scatter = mode == Mode.GRAD_INPUT && sh == 1 && sw == 1 && !pointwise && p > 0 && switch (strategy) {
                case SCATTER -> true;
                case AUTO -> preferScatter(this, unitStride && preferDirect(mode, this));
                default -> false;
            };
            if (scatter) {
                // the scatter's buffer is the padded dx (see scatterImage)
                bufH = h + pt + g.padBottom();
                bufW = w + pl + g.padRight();
                wideCols = GemmGeometry.roundUp(oh * bufW, LN);
            }
            lanes = unitStride && mode != Mode.GRAD_INPUT && switch (strategy) {
                case LANES -> true;
                case AUTO -> preferLanes(this);
                default -> false;
            };
            direct = lanes || !scatter && switch (strategy) {
                case IM2COL -> false;
                case DIRECT, LANES, SCATTER -> unitStride;
                case AUTO -> unitStride && preferDirect(mode, this);
            };
        }

        void clear() {
            img = wt = map = partials = packed = bias = null;
            offsets = null;
            gemmPar = null;
        }

        @Override
        public void run(int from, int to) {
            if (!dynamic) {
                runUnits(from, to);
                return;
            }
            for (int u; (u = shares.claim(from)) >= 0; ) runUnits(u, u + 1);
        }

        /** Images [from, to) (forward, input gradient) or weight-gradient slots [from, to). */
        private void runUnits(int from, int to) {
            Scratch sc = SCRATCH.get();
            if (mode == Mode.FORWARD) {
                double[] col = lanes || direct || pointwise ? null : sc.col(q * p);
                for (int i = from; i < to; i++) {
                    if (lanes) lanesImage(i, sc);
                    else if (direct) directImage(i, sc);
                    else forwardImage(i, col);
                    if (bias != null) ChannelF64.addRelu(map, bias, map, o, p, i * o, (i + 1) * o);
                }
                return;
            }
            if (scatter) {
                for (int i = from; i < to; i++) scatterImage(i, sc);
                return;
            }
            if (lanes) {
                for (int s = from; s < to; s++) lanesWeightSlot(s, sc);
                return;
            }
            if (direct) {
                if (mode == Mode.GRAD_INPUT) for (int i = from; i < to; i++) directImage(i, sc);
                else for (int s = from; s < to; s++) directWeightSlot(s, sc);
                return;
            }
            double[] col = pointwise ? null : sc.col(q * p);
            if (mode == Mode.GRAD_INPUT) for (int i = from; i < to; i++) gradInputImage(i, col);
            else for (int s = from; s < to; s++) gradWeightSlot(s, col);
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
            if (!pointwise) zeroRange(img, i * image, (i + 1) * image);
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
                    // Always the packed path: the unpacked one reduces dot products with reduceLanes, whose order
                    // differs between C2 and the interpreter (see directWeightSlot).
                    GemmF64.blocked(false, true, og, q, p, map, (i * o + gi * og) * p, p, b, bOff, p, i > first,
                            dst, base + gi * og * q, q, gemmPar, cfg);
                }
            }
        }

        /** Forward or input gradient of image i by the direct kernel (see the class comment). */
        private void directImage(int i, Scratch sc) {
            int blocks = GemmGeometry.ceilDiv(rows, ROWS);
            double[] buf = sc.pad(bufLen), wide = sc.wide(blocks * ROWS * wideCols);
            boolean fwd = mode == Mode.FORWARD;
            double[] src = fwd ? img : map, dst = fwd ? map : img;
            for (int gi = 0; gi < groups; gi++) {
                int srcOff = fwd ? (i * c + gi * cg) * h * w : (i * o + gi * og) * p;
                int dstOff = fwd ? (i * o + gi * og) * p : (i * c + gi * cg) * h * w;
                padInto(src, srcOff, buf);
                for (int b = 0; b < blocks; b++) {
                    int aO = (gi * blocks + b) * depth * ROWS, wO = b * ROWS * wideCols;
                    int j = 0;
                    for (; j + COLS <= wideCols; j += COLS) shifted6x2(depth, packed, aO, buf, offsets, j, wide, wO + j, wideCols);
                    if (j < wideCols) shifted6x1(depth, packed, aO, buf, offsets, j, wide, wO + j, wideCols);
                }
                for (int r = 0; r < rows; r++) {
                    for (int y = 0; y < outH; y++) {
                        copyRow(wide, r * wideCols + y * bufW, dst, dstOff + (r * outH + y) * outW, outW);
                    }
                }
            }
        }

        /**
         * The weight gradient of one slot's images by the direct kernel: dW[o, d] = Σ_j dyWide[o, j] · buf[off[d] + j].
         * The sums stay vectors (one per weight, across the slot's images) and are reduced by {@link #sumLanes} in a
         * fixed order at the end: reduceLanes(ADD) would add the lanes in an order that differs between C2 and the
         * interpreter.
         */
        private void directWeightSlot(int s, Scratch sc) {
            int slots = Math.min(n, SLOTS);
            int first = (int) ((long) n * s / slots), last = (int) ((long) n * (s + 1) / slots);
            int rowsPad = GemmGeometry.roundUp(og, 3), depthPad = GemmGeometry.roundUp(depth, DW_DEPTHS);
            double[] buf = sc.pad(bufLen), dyw = sc.wide(rowsPad * wideCols), lanes = sc.col(groups * rowsPad * depthPad * LN);
            for (int i = first; i < last; i++) {
                for (int gi = 0; gi < groups; gi++) {
                    padInto(img, (i * c + gi * cg) * h * w, buf);
                    // dy on the wide rows, zero in the junk columns (so the junk of the shifted image drops out)
                    zeroRange(dyw, 0, rowsPad * wideCols);
                    int dyOff = (i * o + gi * og) * p;
                    for (int r = 0; r < og; r++) {
                        for (int y = 0; y < oh; y++) copyRow(map, dyOff + (r * oh + y) * ow, dyw, r * wideCols + y * bufW, ow);
                    }
                    for (int r = 0; r < rowsPad; r += DW_ROWS) {
                        boolean six = DW_ROWS == 6 && r + 6 <= rowsPad;
                        for (int d = 0; d < depthPad; d += DW_DEPTHS) {
                            int v = ((gi * rowsPad + r) * depthPad + d) * LN;
                            if (six) dots6x4(wideCols, dyw, r * wideCols, buf, offsets, d, lanes, v, depthPad * LN, i > first);
                            else dots3x4(wideCols, dyw, r * wideCols, buf, offsets, d, lanes, v, depthPad * LN, i > first);
                        }
                    }
                }
            }
            double[] dst = s == 0 ? wt : partials;
            int base = s == 0 ? 0 : (s - 1) * o * q;
            for (int gi = 0; gi < groups; gi++) {
                for (int r = 0; r < og; r++) {
                    for (int d = 0; d < depth; d++) {
                        int l0 = ((gi * rowsPad + r) * depthPad + d) * LN;
                        dst[base + (gi * og + r) * depth + d] = (double) sumLanes(lanes, l0);
                    }
                }
            }
        }

        /**
         * The input gradient of image i by scatter: dy is laid out on wide rows of bufW (the padded dx's width; zeros past ow), so
         * that row d = (ci, ky, kx) of dcol lands on the padded dx as one contiguous run shifted by ky·dh·bufW +
         * kx·dw (its junk columns are zeros). Each padded dx row run of (ci, ky) is read and written once, adding the
         * kw rows of dcol shifted by kx·dw (zero margins at both ends of every dcol row): adding each dcol row on its
         * own stored vectors that the next kx loaded again one element off, which stalled (col2im cost as much as
         * a third of the multiply-adds on LeNet's 6→16 layer). The padded dx is then cropped into dx.
         */
        private void scatterImage(int i, Scratch sc) {
            int blocks = GemmGeometry.ceilDiv(q, ROWS), plane = bufH * bufW, margin = (kw - 1) * dw;
            int span = GemmGeometry.roundUp(wideCols + margin, LN), ld = margin + span;
            double[] dyWide = sc.pad(og * wideCols), dcol = sc.dcol(blocks * ROWS, ld, margin, wideCols);
            double[] dxPad = sc.col(cg * plane + span);
            for (int gi = 0; gi < groups; gi++) {
                int dyOff = (i * o + gi * og) * p;
                zeroRange(dyWide, 0, og * wideCols);
                for (int k = 0; k < og; k++) {
                    for (int y = 0; y < oh; y++) copyRow(map, dyOff + (k * oh + y) * ow, dyWide, k * wideCols + y * bufW, ow);
                }
                for (int b = 0; b < blocks; b++) {
                    int aO = (gi * blocks + b) * og * ROWS, cO = b * ROWS * ld + margin;
                    int j = 0;
                    for (; j + COLS <= wideCols; j += COLS) shifted6x2(og, packed, aO, dyWide, offsets, j, dcol, cO + j, ld);
                    if (j < wideCols) shifted6x1(og, packed, aO, dyWide, offsets, j, dcol, cO + j, ld);
                }
                zeroRange(dxPad, 0, cg * plane + span);
                for (int ci = 0; ci < cg; ci++) {
                    for (int ky = 0; ky < kh; ky++) {
                        int t = ci * plane + ky * dh * bufW, r0 = (ci * kh + ky) * kw * ld + margin;
                        for (int j = 0; j < span; j += LN) {
                            DoubleVector v = DoubleVector.fromArray(S, dxPad, t + j);
                            for (int kx = 0, r = r0 + j; kx < kw; kx++, r += ld - dw) v = v.add(DoubleVector.fromArray(S, dcol, r));
                            v.intoArray(dxPad, t + j);
                        }
                    }
                }
                int dxOff = (i * c + gi * cg) * h * w;
                for (int ci = 0; ci < cg; ci++) {
                    for (int y = 0; y < h; y++) copyRow(dxPad, ci * plane + (y + pt) * bufW + pl, img, dxOff + (ci * h + y) * w, w);
                }
            }
        }

        /** The forward pass of image i by the lanes kernels: [position][channel] results transposed into NCHW. */
        private void lanesImage(int i, Scratch sc) {
            double[] buf = sc.pad(bufLen), outT = sc.wide(p * ogPad);
            for (int gi = 0; gi < groups; gi++) {
                padInto(img, (i * c + gi * cg) * h * w, buf);
                for (int vo = 0; vo < ogPad; vo += LN) {
                    ConvLanesF64.forward(depth, packed, gi * depth * ogPad, ogPad, buf, offsets, bufW, oh, ow, outT, vo);
                }
                int dst = (i * o + gi * og) * p;
                for (int r = 0; r < og; r++) {
                    for (int j = 0, t = r; j < p; j++, t += ogPad) map[dst + r * p + j] = outT[t];
                }
            }
        }

        /**
         * The weight gradient of one slot's images by the lanes kernels: dy of each image transposed to
         * [position][channel], sums per (group, depth) in the lanes across the slot's images, in order.
         */
        private void lanesWeightSlot(int s, Scratch sc) {
            int slots = Math.min(n, SLOTS);
            int first = (int) ((long) n * s / slots), last = (int) ((long) n * (s + 1) / slots);
            int depthPad = GemmGeometry.roundUp(depth, ConvLanesF64.DEPTHS);
            double[] buf = sc.pad(bufLen), dyT = sc.wide(p * ogPad), acc = sc.col(groups * depthPad * ogPad);
            for (int i = first; i < last; i++) {
                for (int gi = 0; gi < groups; gi++) {
                    padInto(img, (i * c + gi * cg) * h * w, buf);
                    int src = (i * o + gi * og) * p;
                    for (int j = 0; j < p; j++) {
                        int t = j * ogPad;
                        for (int r = 0; r < og; r++) dyT[t + r] = map[src + r * p + j];
                        for (int r = og; r < ogPad; r++) dyT[t + r] = 0;
                    }
                    for (int vo = 0; vo < ogPad; vo += LN) {
                        for (int d = 0; d < depthPad; d += ConvLanesF64.DEPTHS) {
                            ConvLanesF64.weightBlock(oh, ow, bufW, dyT, vo, ogPad, buf, offsets, d, acc,
                                    (gi * depthPad + d) * ogPad + vo, i > first);
                        }
                    }
                }
            }
            double[] dst = s == 0 ? wt : partials;
            int base = s == 0 ? 0 : (s - 1) * o * q;
            for (int gi = 0; gi < groups; gi++) {
                for (int r = 0; r < og; r++) {
                    for (int d = 0; d < depth; d++) dst[base + (gi * og + r) * depth + d] = acc[(gi * depthPad + d) * ogPad + r];
                }
            }
        }

        /** Copies srcChans planes of srcH x srcW at srcOff into buf as bufH x bufW planes at (top, left), zeros around. */
        private void padInto(double[] src, int srcOff, double[] buf) {
            zeroRange(buf, 0, bufLen);
            for (int ch = 0; ch < srcChans; ch++) {
                for (int y = 0; y < srcH; y++) {
                    copyRow(src, srcOff + (ch * srcH + y) * srcW, buf, (ch * bufH + y + top) * bufW + left, srcW);
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
                                zeroRange(col, dst, dst + ow);
                                continue;
                            }
                            if (lo > 0) zeroRange(col, dst, dst + lo);
                            int src = xc + iy * w + shift;
                            if (sw == 1) {
                                if (hi > lo) copyRow(x, src + lo, col, dst + lo, hi - lo);
                            } else {
                                for (int ox = lo; ox < hi; ox++) col[dst + ox] = x[src + ox * sw];
                            }
                            if (hi < ow) zeroRange(col, dst + hi, dst + ow);
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

    /**
     * Whether the direct kernel should replace im2col + GEMM for a unit-stride call. Measured (float32, batch 128, AMD
     * EPYC Zen 4, best of 40 interleaved runs; see bench/ConvBench) the direct kernel is 2.5-8x faster on LeNet's 1→6
     * and 6→16 layers and 1.1-2x on a 32→64 3×3 layer, in all three passes, except where fewer than 4 result channels
     * leave most of its 6-row tile as padding (1→6's input gradient: 0.75x). The weight gradient keeps one vector of
     * partial sums per weight; beyond {@link #DIRECT_DW_BYTES} of them (unmeasured territory: 256→256 3×3 would
     * need 38 MB) every image would stream them through memory, and the GEMM takes over.
     */
    private static boolean preferDirect(Mode mode, Task t) {
        if (mode != Mode.GRAD_WEIGHT) return t.rows >= 4;
        long lanes = (long) t.groups * GemmGeometry.roundUp(t.og, 3) * GemmGeometry.roundUp(t.depth, DW_DEPTHS) * LN;
        return lanes * Double.BYTES <= DIRECT_DW_BYTES;
    }

    /**
     * Whether the scatter input gradient should replace the direct one: when it computes clearly fewer multiply-adds
     * (its col2im adds counted twice, a 10% margin for its extra passes). LeNet's 6→16 layer: 0.39M against 0.61M per
     * image, 1.34 against 1.58 ms per batch of 128; a 32→64 3×3 layer on 16×16: 5.5M against 6.0M, 15.9 against
     * 15.6 ms (float32, 1 thread, AMD EPYC Zen 4, bench/ConvBench). Where direct cannot run, im2col stays (unmeasured).
     */
    private static boolean preferScatter(Task t, boolean direct) {
        if (!direct) return false;
        long wide = GemmGeometry.roundUp(t.oh * (t.ow + (t.kw - 1) * t.dw), LN);
        long scatter = GemmGeometry.roundUp(t.q, ROWS) * wide * t.og + 2 * t.q * wide;
        long directWork = (long) GemmGeometry.roundUp(t.rows, ROWS) * t.wideCols * t.depth;
        return 1.1 * scatter < directWork;
    }

    /**
     * Whether the lanes kernels should replace the direct ones (unit stride, forward or weight gradient): when they
     * compute fewer multiply-adds, discounted by their rate relative to the direct kernel's (forward 0.72: one FMA
     * per broadcast instead of two; weight gradient 0.95). LeNet's 6→16 layer: forward 0.89 against 1.09 ms, weight
     * gradient 1.11 against 1.69 ms; a 32→64 3×3 layer: forward 16.9 against 13.8 ms (direct stays), weight gradient
     * 18.7 against 22.8 ms (float32, batch 128, 1 thread, AMD EPYC Zen 4, bench/ConvBench).
     */
    private static boolean preferLanes(Task t) {
        if ((long) t.p * t.ogPad > LANES_TRANSPOSED) return false;
        boolean fwd = t.mode == Mode.FORWARD;
        long cols = (long) t.ogPad * t.p;
        /*wide*/double lanes = fwd ? cols * t.depth / 0.72 : cols * GemmGeometry.roundUp(t.depth, ConvLanesF64.DEPTHS) / 0.95;
        /*wide*/double direct = fwd ? (/*wide*/double) GemmGeometry.roundUp(t.og, ROWS) * t.wideCols * t.depth
                : (/*wide*/double) GemmGeometry.roundUp(t.og, 3) * t.wideCols * GemmGeometry.roundUp(t.depth, DW_DEPTHS);
        return lanes < direct;
    }

    /** The lanes kernels' limit on an image's transposed output or dy (elements): within L2 here; beyond, unmeasured. */
    static final long LANES_TRANSPOSED = 1 << 15;

    /** The direct weight gradient's limit on its vector partial sums (32→64 3×3 needs 1.2 MB and is 1.3x faster). */
    static final long DIRECT_DW_BYTES = 4L << 20;

    /**
     * One weight's LN lane sums added in an order fixed by this code, whatever the compiler: four interleaved chains,
     * then pairwise. One chain of LN dependent adds was 80% of the native image's weight-gradient reduction time
     * (perf annotate: a loop of dependent scalar adds); four chains let the adds overlap.
     */
    static /*wide*/double sumLanes(double[] lanes, int l0) {
        if (LN < 4) {
            /*wide*/double sum = 0;
            for (int l = 0; l < LN; l++) sum += lanes[l0 + l];
            return sum;
        }
        /*wide*/double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int l = l0, end = l0 + LN; l < end; l += 4) {
            s0 += lanes[l];
            s1 += lanes[l + 1];
            s2 += lanes[l + 2];
            s3 += lanes[l + 3];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {@code System.arraycopy} of one short row (an image row, 10 to 32 elements in LeNet). In a native image arraycopy
     * is an out-of-line generic routine that copies 8 bytes a step, which cost twice what C2's inlined copies do on
     * LeNet's rows (perf, x86-64-v4); there a vector loop copies instead. Source and destination never overlap here.
     */
    static void copyRow(double[] src, int so, double[] dst, int d, int n) {
        if (SimdConfig.NATIVE_IMAGE) copyRowVector(src, so, dst, d, n);
        else System.arraycopy(src, so, dst, d, n);
    }

    static void copyRowVector(double[] src, int so, double[] dst, int d, int n) {
        // Whole vectors, the last one ending at n and overlapping the one before (the same values written twice):
        // no scalar tail, whose loads and stores cost more than the vectors on rows this short. (Not a 128-bit species
        // for rows shorter than one vector: one use of a second species made the native image run every vector
        // operation of the class as its allocating Java fallback, LeNet 60x slower.)
        if (n >= LN) {
            for (int i = 0; i < n - LN; i += LN) DoubleVector.fromArray(S, src, so + i).intoArray(dst, d + i);
            DoubleVector.fromArray(S, src, so + n - LN).intoArray(dst, d + n - LN);
        } else {
            for (int i = 0; i < n; i++) dst[d + i] = src[so + i];
        }
    }

    /** {@code Arrays.fill(a, from, to, 0)}, and in a native image a vector loop (its fill is a scalar loop), as {@link #copyRow}. */
    static void zeroRange(double[] a, int from, int to) {
        if (SimdConfig.NATIVE_IMAGE) zeroRangeVector(a, from, to);
        else java.util.Arrays.fill(a, from, to, 0);
    }

    static void zeroRangeVector(double[] a, int from, int to) {
        int n = to - from;
        if (n >= LN) {
            DoubleVector zero = DoubleVector.zero(S);
            for (int i = from; i < to - LN; i += LN) zero.intoArray(a, i);
            zero.intoArray(a, to - LN);
        } else {
            for (int i = from; i < to; i++) a[i] = 0;
        }
    }

    /**
     * C[6 x COLS] = Σ_d A[d, 0..6) · buf[off[d] + j ..], A packed [depth][6] from aO, C at cO with row stride ldc: the
     * direct kernel's micro-tile (6 rows of FMA accumulators by two vectors of wide output positions).
     */
    static void shifted6x2(int depth, double[] ap, int aO, double[] buf, int[] off, int j, double[] c, int cO, int ldc) {
        DoubleVector c0 = DoubleVector.zero(S), d0 = DoubleVector.zero(S);
        DoubleVector c1 = DoubleVector.zero(S), d1 = DoubleVector.zero(S);
        DoubleVector c2 = DoubleVector.zero(S), d2 = DoubleVector.zero(S);
        DoubleVector c3 = DoubleVector.zero(S), d3 = DoubleVector.zero(S);
        DoubleVector c4 = DoubleVector.zero(S), d4 = DoubleVector.zero(S);
        DoubleVector c5 = DoubleVector.zero(S), d5 = DoubleVector.zero(S);
        for (int d = 0; d < depth; d++, aO += ROWS) {
            int bO = off[d] + j;
            DoubleVector b0 = DoubleVector.fromArray(S, buf, bO), b1 = DoubleVector.fromArray(S, buf, bO + LN);
            DoubleVector a = DoubleVector.broadcast(S, ap[aO]);
            c0 = a.fma(b0, c0);
            d0 = a.fma(b1, d0);
            a = DoubleVector.broadcast(S, ap[aO + 1]);
            c1 = a.fma(b0, c1);
            d1 = a.fma(b1, d1);
            a = DoubleVector.broadcast(S, ap[aO + 2]);
            c2 = a.fma(b0, c2);
            d2 = a.fma(b1, d2);
            a = DoubleVector.broadcast(S, ap[aO + 3]);
            c3 = a.fma(b0, c3);
            d3 = a.fma(b1, d3);
            a = DoubleVector.broadcast(S, ap[aO + 4]);
            c4 = a.fma(b0, c4);
            d4 = a.fma(b1, d4);
            a = DoubleVector.broadcast(S, ap[aO + 5]);
            c5 = a.fma(b0, c5);
            d5 = a.fma(b1, d5);
        }
        c0.intoArray(c, cO);
        d0.intoArray(c, cO + LN);
        c1.intoArray(c, cO + ldc);
        d1.intoArray(c, cO + ldc + LN);
        c2.intoArray(c, cO + 2 * ldc);
        d2.intoArray(c, cO + 2 * ldc + LN);
        c3.intoArray(c, cO + 3 * ldc);
        d3.intoArray(c, cO + 3 * ldc + LN);
        c4.intoArray(c, cO + 4 * ldc);
        d4.intoArray(c, cO + 4 * ldc + LN);
        c5.intoArray(c, cO + 5 * ldc);
        d5.intoArray(c, cO + 5 * ldc + LN);
    }

    /** {@link #shifted6x2} for a last tile of one vector. */
    static void shifted6x1(int depth, double[] ap, int aO, double[] buf, int[] off, int j, double[] c, int cO, int ldc) {
        DoubleVector c0 = DoubleVector.zero(S), c1 = DoubleVector.zero(S), c2 = DoubleVector.zero(S);
        DoubleVector c3 = DoubleVector.zero(S), c4 = DoubleVector.zero(S), c5 = DoubleVector.zero(S);
        for (int d = 0; d < depth; d++, aO += ROWS) {
            DoubleVector b0 = DoubleVector.fromArray(S, buf, off[d] + j);
            c0 = DoubleVector.broadcast(S, ap[aO]).fma(b0, c0);
            c1 = DoubleVector.broadcast(S, ap[aO + 1]).fma(b0, c1);
            c2 = DoubleVector.broadcast(S, ap[aO + 2]).fma(b0, c2);
            c3 = DoubleVector.broadcast(S, ap[aO + 3]).fma(b0, c3);
            c4 = DoubleVector.broadcast(S, ap[aO + 4]).fma(b0, c4);
            c5 = DoubleVector.broadcast(S, ap[aO + 5]).fma(b0, c5);
        }
        c0.intoArray(c, cO);
        c1.intoArray(c, cO + ldc);
        c2.intoArray(c, cO + 2 * ldc);
        c3.intoArray(c, cO + 3 * ldc);
        c4.intoArray(c, cO + 4 * ldc);
        c5.intoArray(c, cO + 5 * ldc);
    }

    /**
     * lanes[v + rr·ld + dd·LN ..] (+)= y[yO + rr·len + j ..] ⊙ buf[off[d0 + dd] + j ..] summed over j in [0, len) step LN
     * (len a multiple of LN), for a 6 x 4 block: the weight gradient's dot products, kept as vectors of partial sums.
     * Six rows of dy share each shifted image load: with 3 rows the kernel waited on its (unaligned) loads, not on
     * its FMAs (24 accumulators, 4 image vectors and one dy vector fit AVX-512's 32 registers).
     */
    static void dots6x4(int len, double[] y, int yO, double[] buf, int[] off, int d0, double[] lanes, int v, int ld,
                        boolean acc) {
        DoubleVector s00 = DoubleVector.zero(S), s01 = DoubleVector.zero(S), s02 = DoubleVector.zero(S), s03 = DoubleVector.zero(S);
        DoubleVector s10 = DoubleVector.zero(S), s11 = DoubleVector.zero(S), s12 = DoubleVector.zero(S), s13 = DoubleVector.zero(S);
        DoubleVector s20 = DoubleVector.zero(S), s21 = DoubleVector.zero(S), s22 = DoubleVector.zero(S), s23 = DoubleVector.zero(S);
        DoubleVector s30 = DoubleVector.zero(S), s31 = DoubleVector.zero(S), s32 = DoubleVector.zero(S), s33 = DoubleVector.zero(S);
        DoubleVector s40 = DoubleVector.zero(S), s41 = DoubleVector.zero(S), s42 = DoubleVector.zero(S), s43 = DoubleVector.zero(S);
        DoubleVector s50 = DoubleVector.zero(S), s51 = DoubleVector.zero(S), s52 = DoubleVector.zero(S), s53 = DoubleVector.zero(S);
        if (acc) {
            s00 = DoubleVector.fromArray(S, lanes, v);
            s01 = DoubleVector.fromArray(S, lanes, v + LN);
            s02 = DoubleVector.fromArray(S, lanes, v + 2 * LN);
            s03 = DoubleVector.fromArray(S, lanes, v + 3 * LN);
            s10 = DoubleVector.fromArray(S, lanes, v + ld);
            s11 = DoubleVector.fromArray(S, lanes, v + ld + LN);
            s12 = DoubleVector.fromArray(S, lanes, v + ld + 2 * LN);
            s13 = DoubleVector.fromArray(S, lanes, v + ld + 3 * LN);
            s20 = DoubleVector.fromArray(S, lanes, v + 2 * ld);
            s21 = DoubleVector.fromArray(S, lanes, v + 2 * ld + LN);
            s22 = DoubleVector.fromArray(S, lanes, v + 2 * ld + 2 * LN);
            s23 = DoubleVector.fromArray(S, lanes, v + 2 * ld + 3 * LN);
            s30 = DoubleVector.fromArray(S, lanes, v + 3 * ld);
            s31 = DoubleVector.fromArray(S, lanes, v + 3 * ld + LN);
            s32 = DoubleVector.fromArray(S, lanes, v + 3 * ld + 2 * LN);
            s33 = DoubleVector.fromArray(S, lanes, v + 3 * ld + 3 * LN);
            s40 = DoubleVector.fromArray(S, lanes, v + 4 * ld);
            s41 = DoubleVector.fromArray(S, lanes, v + 4 * ld + LN);
            s42 = DoubleVector.fromArray(S, lanes, v + 4 * ld + 2 * LN);
            s43 = DoubleVector.fromArray(S, lanes, v + 4 * ld + 3 * LN);
            s50 = DoubleVector.fromArray(S, lanes, v + 5 * ld);
            s51 = DoubleVector.fromArray(S, lanes, v + 5 * ld + LN);
            s52 = DoubleVector.fromArray(S, lanes, v + 5 * ld + 2 * LN);
            s53 = DoubleVector.fromArray(S, lanes, v + 5 * ld + 3 * LN);
        }
        int o0 = off[d0], o1 = off[d0 + 1], o2 = off[d0 + 2], o3 = off[d0 + 3];
        for (int j = 0; j < len; j += LN) {
            DoubleVector x0 = DoubleVector.fromArray(S, buf, o0 + j), x1 = DoubleVector.fromArray(S, buf, o1 + j);
            DoubleVector x2 = DoubleVector.fromArray(S, buf, o2 + j), x3 = DoubleVector.fromArray(S, buf, o3 + j);
            DoubleVector yr = DoubleVector.fromArray(S, y, yO + j);
            s00 = yr.fma(x0, s00);
            s01 = yr.fma(x1, s01);
            s02 = yr.fma(x2, s02);
            s03 = yr.fma(x3, s03);
            yr = DoubleVector.fromArray(S, y, yO + len + j);
            s10 = yr.fma(x0, s10);
            s11 = yr.fma(x1, s11);
            s12 = yr.fma(x2, s12);
            s13 = yr.fma(x3, s13);
            yr = DoubleVector.fromArray(S, y, yO + 2 * len + j);
            s20 = yr.fma(x0, s20);
            s21 = yr.fma(x1, s21);
            s22 = yr.fma(x2, s22);
            s23 = yr.fma(x3, s23);
            yr = DoubleVector.fromArray(S, y, yO + 3 * len + j);
            s30 = yr.fma(x0, s30);
            s31 = yr.fma(x1, s31);
            s32 = yr.fma(x2, s32);
            s33 = yr.fma(x3, s33);
            yr = DoubleVector.fromArray(S, y, yO + 4 * len + j);
            s40 = yr.fma(x0, s40);
            s41 = yr.fma(x1, s41);
            s42 = yr.fma(x2, s42);
            s43 = yr.fma(x3, s43);
            yr = DoubleVector.fromArray(S, y, yO + 5 * len + j);
            s50 = yr.fma(x0, s50);
            s51 = yr.fma(x1, s51);
            s52 = yr.fma(x2, s52);
            s53 = yr.fma(x3, s53);
        }
        s00.intoArray(lanes, v);
        s01.intoArray(lanes, v + LN);
        s02.intoArray(lanes, v + 2 * LN);
        s03.intoArray(lanes, v + 3 * LN);
        s10.intoArray(lanes, v + ld);
        s11.intoArray(lanes, v + ld + LN);
        s12.intoArray(lanes, v + ld + 2 * LN);
        s13.intoArray(lanes, v + ld + 3 * LN);
        s20.intoArray(lanes, v + 2 * ld);
        s21.intoArray(lanes, v + 2 * ld + LN);
        s22.intoArray(lanes, v + 2 * ld + 2 * LN);
        s23.intoArray(lanes, v + 2 * ld + 3 * LN);
        s30.intoArray(lanes, v + 3 * ld);
        s31.intoArray(lanes, v + 3 * ld + LN);
        s32.intoArray(lanes, v + 3 * ld + 2 * LN);
        s33.intoArray(lanes, v + 3 * ld + 3 * LN);
        s40.intoArray(lanes, v + 4 * ld);
        s41.intoArray(lanes, v + 4 * ld + LN);
        s42.intoArray(lanes, v + 4 * ld + 2 * LN);
        s43.intoArray(lanes, v + 4 * ld + 3 * LN);
        s50.intoArray(lanes, v + 5 * ld);
        s51.intoArray(lanes, v + 5 * ld + LN);
        s52.intoArray(lanes, v + 5 * ld + 2 * LN);
        s53.intoArray(lanes, v + 5 * ld + 3 * LN);
    }

    /**
     * lanes[v + rr·ld + dd·LN ..] (+)= y[yO + rr·len + j ..] ⊙ buf[off[d0 + dd] + j ..] summed over j in [0, len) step LN
     * (len a multiple of LN), for a 3 x 4 block: the last rows when the output channels are not a multiple of 6.
     */
    static void dots3x4(int len, double[] y, int yO, double[] buf, int[] off, int d0, double[] lanes, int v, int ld,
                        boolean acc) {
        DoubleVector s00 = DoubleVector.zero(S), s01 = DoubleVector.zero(S), s02 = DoubleVector.zero(S), s03 = DoubleVector.zero(S);
        DoubleVector s10 = DoubleVector.zero(S), s11 = DoubleVector.zero(S), s12 = DoubleVector.zero(S), s13 = DoubleVector.zero(S);
        DoubleVector s20 = DoubleVector.zero(S), s21 = DoubleVector.zero(S), s22 = DoubleVector.zero(S), s23 = DoubleVector.zero(S);
        if (acc) {
            s00 = DoubleVector.fromArray(S, lanes, v);
            s01 = DoubleVector.fromArray(S, lanes, v + LN);
            s02 = DoubleVector.fromArray(S, lanes, v + 2 * LN);
            s03 = DoubleVector.fromArray(S, lanes, v + 3 * LN);
            s10 = DoubleVector.fromArray(S, lanes, v + ld);
            s11 = DoubleVector.fromArray(S, lanes, v + ld + LN);
            s12 = DoubleVector.fromArray(S, lanes, v + ld + 2 * LN);
            s13 = DoubleVector.fromArray(S, lanes, v + ld + 3 * LN);
            s20 = DoubleVector.fromArray(S, lanes, v + 2 * ld);
            s21 = DoubleVector.fromArray(S, lanes, v + 2 * ld + LN);
            s22 = DoubleVector.fromArray(S, lanes, v + 2 * ld + 2 * LN);
            s23 = DoubleVector.fromArray(S, lanes, v + 2 * ld + 3 * LN);
        }
        int o0 = off[d0], o1 = off[d0 + 1], o2 = off[d0 + 2], o3 = off[d0 + 3];
        for (int j = 0; j < len; j += LN) {
            DoubleVector x0 = DoubleVector.fromArray(S, buf, o0 + j), x1 = DoubleVector.fromArray(S, buf, o1 + j);
            DoubleVector x2 = DoubleVector.fromArray(S, buf, o2 + j), x3 = DoubleVector.fromArray(S, buf, o3 + j);
            DoubleVector y0 = DoubleVector.fromArray(S, y, yO + j);
            s00 = y0.fma(x0, s00);
            s01 = y0.fma(x1, s01);
            s02 = y0.fma(x2, s02);
            s03 = y0.fma(x3, s03);
            DoubleVector y1 = DoubleVector.fromArray(S, y, yO + len + j);
            s10 = y1.fma(x0, s10);
            s11 = y1.fma(x1, s11);
            s12 = y1.fma(x2, s12);
            s13 = y1.fma(x3, s13);
            DoubleVector y2 = DoubleVector.fromArray(S, y, yO + 2 * len + j);
            s20 = y2.fma(x0, s20);
            s21 = y2.fma(x1, s21);
            s22 = y2.fma(x2, s22);
            s23 = y2.fma(x3, s23);
        }
        s00.intoArray(lanes, v);
        s01.intoArray(lanes, v + LN);
        s02.intoArray(lanes, v + 2 * LN);
        s03.intoArray(lanes, v + 3 * LN);
        s10.intoArray(lanes, v + ld);
        s11.intoArray(lanes, v + ld + LN);
        s12.intoArray(lanes, v + ld + 2 * LN);
        s13.intoArray(lanes, v + ld + 3 * LN);
        s20.intoArray(lanes, v + 2 * ld);
        s21.intoArray(lanes, v + 2 * ld + LN);
        s22.intoArray(lanes, v + 2 * ld + 2 * LN);
        s23.intoArray(lanes, v + 2 * ld + 3 * LN);
    }
}
