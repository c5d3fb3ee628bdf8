package tinynn.runtime.simd;

import java.lang.ref.Cleaner;
import tinynn.graph.Shape;
import tinynn.ops.Binary;
import tinynn.ops.ConvGeometry;
import tinynn.ops.Unary;
import tinynn.runtime.ArrayBackend;
import tinynn.runtime.Tensor;

/**
 * Kernels on the JDK Vector API: blocked, packed GEMM split over all cores, and vectorised fused
 * elementwise kernels for the hot paths of training (bias + ReLU, ReLU mask, softmax-CE, Adam).
 * Everything else falls back to the plain loops.
 *
 * <p>Each backend owns a pool of {@code threads - 1} worker threads: {@link #close()} stops them (a backend that is
 * dropped without closing has them stopped once it is garbage-collected).
 */
public final class SimdBackend extends ArrayBackend {
    /** Stops the pools of backends nobody closed; one daemon thread for the JVM. */
    private static final Cleaner POOLS = Cleaner.create();

    private final SimdConfig config;
    private final Parallelism par;
    private final Cleaner.Cleanable pool;
    private final ConvF64 conv64;
    private final ConvF32 conv32;
    private final RecurrenceF64 recurrenceKernel64;
    private final RecurrenceF32 recurrenceKernel32;

    /** The default configuration with {@code threads} threads. */
    public SimdBackend(int threads) {
        this(SimdConfig.defaults().withThreads(threads));
    }

    public SimdBackend(SimdConfig config) {
        if (!SimdInfo.vectorApiAvailable()) throw new IllegalStateException("SIMD backend unavailable: " + SimdInfo.unavailableReason());
        this.config = config;
        this.par = Parallelism.of(config.threads(), config.spinMicros());
        this.pool = POOLS.register(this, par::close);
        this.conv64 = new ConvF64(par, config.gemm());
        this.conv32 = new ConvF32(par, config.gemm());
        this.recurrenceKernel64 = new RecurrenceF64(par, config.gemm(), config.vectorExp());
        this.recurrenceKernel32 = new RecurrenceF32(par, config.gemm(), config.vectorExp());
    }

    public SimdConfig config() { return config; }

    /** Stops the worker threads; kernels called afterwards run on the calling thread only. */
    @Override public void close() { pool.clean(); }

    public String name() { return "simd"; }

    public String describe() {
        return "simd, " + SimdInfo.preferredBitSize() + "-bit vectors (float x" + SimdInfo.floatLanes() + "), " + par.threads() + " threads";
    }

    public int threads() { return par.threads(); }

    @Override public void matmul(Tensor a, boolean ta, Tensor b, boolean tb, Tensor c) {
        int m = c.shape().dim(0), n = c.shape().dim(1);
        int k = ta ? a.shape().dim(0) : a.shape().dim(1);
        if (c.isF32()) GemmF32.gemm(ta, tb, m, n, k, a.f32(), 0, b.f32(), 0, false, c.f32(), 0, par, config.gemm());
        else GemmF64.gemm(ta, tb, m, n, k, a.f64(), 0, b.f64(), 0, false, c.f64(), 0, par, config.gemm());
    }

    @Override public void binary(Binary.Kind kind, Tensor a, Tensor b, Tensor out) {
        int n = out.size();
        if (a.size() != n || b.size() != n) {
            if (!channelBinary(kind, a, b, out)) super.binary(kind, a, b, out);
            return;
        }
        boolean f32 = out.isF32();
        switch (kind) {
            case ADD -> { if (f32) VecF32.add(a.f32(), b.f32(), out.f32(), n); else VecF64.add(a.f64(), b.f64(), out.f64(), n); }
            case SUB -> { if (f32) VecF32.sub(a.f32(), b.f32(), out.f32(), n); else VecF64.sub(a.f64(), b.f64(), out.f64(), n); }
            case MUL -> { if (f32) VecF32.mul(a.f32(), b.f32(), out.f32(), n); else VecF64.mul(a.f64(), b.f64(), out.f64(), n); }
            case DIV -> super.binary(kind, a, b, out);
        }
    }

    /**
     * One operand with out's elements, the other one value per channel ([1, C, 1, 1] against [N, C, H, W], see
     * ChannelF64.channelInner): a conv layer's bias, batch-norm's scale and shift. False when that is not the case.
     */
    private boolean channelBinary(Binary.Kind kind, Tensor a, Tensor b, Tensor out) {
        int n = out.size();
        boolean swap = a.size() != n;
        Tensor full = swap ? b : a, per = swap ? a : b;
        if (full.size() != n || full.isF32() != out.isF32() || per.isF32() != out.isF32()) return false;
        int inner = ChannelF64.channelInner(per.shape(), out.shape());
        // Rows (inner 1, a dense bias) have their own kernel; a few elements per block leave nothing to vectorise.
        if (inner < MIN_CHANNEL_INNER) return false;
        int blocks = n / inner;
        channelTask.apply(kind, full, per, out, per.size(), inner, swap);
        if (par.threads() > 1 && n >= PARALLEL_ELEMENTS * 2) par.parallelFor(blocks, channelTask);
        else channelTask.run(0, blocks);
        channelTask.clear();
        return true;
    }

    /** A conv layer's bias and ReLU in one pass (see Fusion); the generic path when the shapes are not per channel. */
    @Override public void channelBiasAdd(Tensor x, Tensor bias, boolean relu, Tensor out) {
        int n = out.size(), inner = ChannelF64.channelInner(bias.shape(), out.shape());
        if (!relu || x.size() != n || inner < MIN_CHANNEL_INNER || x.isF32() != out.isF32() || bias.isF32() != out.isF32()) {
            super.channelBiasAdd(x, bias, relu, out);
            return;
        }
        int blocks = n / inner;
        channelTask.apply(null, x, bias, out, bias.size(), inner, false);
        if (par.threads() > 1 && n >= PARALLEL_ELEMENTS * 2) par.parallelFor(blocks, channelTask);
        else channelTask.run(0, blocks);
        channelTask.clear();
    }

    /** The bias gradient of a conv layer ([N, C, H, W] → [1, C, 1, 1]) as per-channel sums; other reductions as before. */
    @Override public void sumTo(Tensor x, Tensor out) {
        int inner = ChannelF64.channelInner(out.shape(), x.shape());
        if (inner < MIN_CHANNEL_INNER || x.isF32() != out.isF32()) {
            super.sumTo(x, out);
            return;
        }
        int ch = out.size();
        channelTask.sums(x, out, ch, inner, x.size() / (ch * inner));
        if (par.threads() > 1 && x.size() >= PARALLEL_ELEMENTS * 2) par.parallelFor(ch, channelTask);
        else channelTask.run(0, ch);
        channelTask.clear();
    }

    /** Per-channel blocks shorter than this take the generic broadcast loops. */
    private static final int MIN_CHANNEL_INNER = 4;

    private final ChannelTask channelTask = new ChannelTask();

    /** The reusable body of the per-channel kernels: blocks of one channel's elements, or whole channels for the sums. */
    private static final class ChannelTask implements IntRangeBody {
        private Binary.Kind kind;   // null: bias + ReLU
        private Tensor a, b, out;
        private int ch, inner, outer;
        private boolean swap, sums;

        void apply(Binary.Kind kind, Tensor a, Tensor b, Tensor out, int ch, int inner, boolean swap) {
            this.kind = kind; this.a = a; this.b = b; this.out = out; this.ch = ch; this.inner = inner; this.swap = swap; this.sums = false;
        }

        void sums(Tensor x, Tensor out, int ch, int inner, int outer) {
            this.a = x; this.out = out; this.ch = ch; this.inner = inner; this.outer = outer; this.sums = true;
        }

        void clear() { a = b = out = null; }

        @Override public void run(int from, int to) {
            if (sums) {
                if (a.isF32()) ChannelF32.sums(a.f32(), outer, ch, inner, out.f32(), from, to);
                else ChannelF64.sums(a.f64(), outer, ch, inner, out.f64(), from, to);
            } else if (kind == null) {   // bias + ReLU
                if (a.isF32()) ChannelF32.addRelu(a.f32(), b.f32(), out.f32(), ch, inner, from, to);
                else ChannelF64.addRelu(a.f64(), b.f64(), out.f64(), ch, inner, from, to);
            } else if (a.isF32()) {
                ChannelF32.apply(kind, a.f32(), b.f32(), out.f32(), ch, inner, swap, from, to);
            } else {
                ChannelF64.apply(kind, a.f64(), b.f64(), out.f64(), ch, inner, swap, from, to);
            }
        }
    }

    @Override public void unary(Unary.Kind kind, Tensor x, Tensor out) {
        switch (kind) {
            case RELU -> { if (x.isF32()) VecF32.relu(x.f32(), out.f32(), out.size()); else VecF64.relu(x.f64(), out.f64(), out.size()); }
            case NEG, EXP, LOG, STEP, SIGN, ABS, SQRT, TANH, SIGMOID, ERF, EXPM1 -> super.unary(kind, x, out);
        }
    }

    @Override public void biasAdd(Tensor x, Tensor bias, boolean relu, Tensor out) {
        int cols = bias.size(), rows = out.size() / Math.max(1, cols);
        if (par.threads() > 1 && out.size() >= PARALLEL_ELEMENTS * 2) {
            rowTask.biasAdd(x, bias, relu, out, cols);
            par.parallelFor(rows, rowTask);
            rowTask.clear();
        } else {
            biasAddRows(x, bias, relu, out, cols, 0, rows);
        }
    }

    private static void biasAddRows(Tensor x, Tensor bias, boolean relu, Tensor out, int cols, int from, int to) {
        int off = from * cols, rows = to - from;
        if (x.isF32()) {
            if (relu) VecF32.addBiasRelu(x.f32(), off, bias.f32(), out.f32(), rows, cols);
            else VecF32.addBias(x.f32(), off, bias.f32(), out.f32(), rows, cols);
        } else {
            if (relu) VecF64.addBiasRelu(x.f64(), off, bias.f64(), out.f64(), rows, cols);
            else VecF64.addBias(x.f64(), off, bias.f64(), out.f64(), rows, cols);
        }
    }

    @Override public void copy(Tensor x, Tensor out) {
        int n = out.size();
        if (par.threads() > 1 && n >= PARALLEL_ELEMENTS * 4 && x.size() == n && x.isF32() == out.isF32()) {
            // A whole test set fed to a plan is tens of megabytes: two cores copy it faster than one.
            rowTask.copy(x, out);
            par.parallelFor(n, PARALLEL_ELEMENTS, rowTask);
            rowTask.clear();
        } else {
            out.copyFrom(x);
        }
    }

    /** The one reusable loop body for the row-split kernels, so that large calls allocate nothing either. */
    private final RowTask rowTask = new RowTask();

    private static final class RowTask implements IntRangeBody {
        private Tensor x, bias, out;
        private boolean relu, copy;
        private int cols;

        void biasAdd(Tensor x, Tensor bias, boolean relu, Tensor out, int cols) {
            this.x = x; this.bias = bias; this.relu = relu; this.out = out; this.cols = cols; this.copy = false;
        }

        void copy(Tensor x, Tensor out) {
            this.x = x; this.out = out; this.copy = true;
        }

        void clear() { x = bias = out = null; }

        @Override public void run(int from, int to) {
            if (!copy) biasAddRows(x, bias, relu, out, cols, from, to);
            else if (x.isF32()) System.arraycopy(x.f32(), from, out.f32(), from, to - from);
            else System.arraycopy(x.f64(), from, out.f64(), from, to - from);
        }
    }

    @Override public void reluBackward(Tensor g, Tensor y, Tensor out) {
        if (g.isF32()) VecF32.reluBackward(y.f32(), g.f32(), out.f32(), out.size());
        else VecF64.reluBackward(y.f64(), g.f64(), out.f64(), out.size());
    }

    @Override protected void columnSums(Tensor x, Tensor out) {
        int cols = out.size(), rows = x.size() / Math.max(1, cols);
        if (x.isF32()) VecF32.colSums(x.f32(), rows, cols, out.f32(), false);
        else VecF64.colSums(x.f64(), rows, cols, out.f64(), false);
    }

    @Override public void softmax(Tensor x, Tensor out) {
        if (x.shape().rank() != 2) { super.softmax(x, out); return; }
        int rows = x.shape().dim(0), cols = x.shape().dim(1);
        if (x.isF32()) VecF32.softmax(x.f32(), out.f32(), rows, cols, config.vectorExp());
        else VecF64.softmax(x.f64(), out.f64(), rows, cols, config.vectorExp());
    }

    @Override public void softmaxCrossEntropy(Tensor x, Tensor y, Tensor out) {
        int rows = x.shape().dim(0), cols = x.shape().dim(1);
        if (x.isF32()) out.set(0, VecF32.softmaxCrossEntropy(x.f32(), y.f32(), rows, cols, null, config.vectorExp()));
        else out.set(0, VecF64.softmaxCrossEntropy(x.f64(), y.f64(), rows, cols, null, config.vectorExp()));
    }

    @Override public void softmaxCrossEntropyBackward(Tensor x, Tensor y, double scale, Tensor out) {
        int rows = x.shape().dim(0), cols = x.shape().dim(1);
        // The kernel writes (softmax − y)/rows; rescale only when the upstream gradient is not 1.
        double extra = scale * rows;
        if (x.isF32()) {
            VecF32.softmaxCrossEntropy(x.f32(), y.f32(), rows, cols, out.f32(), config.vectorExp());
            if (extra != 1) VecF32.scale(out.f32(), (float) extra, out.f32(), out.size());
        } else {
            VecF64.softmaxCrossEntropy(x.f64(), y.f64(), rows, cols, out.f64(), config.vectorExp());
            if (extra != 1) VecF64.scale(out.f64(), extra, out.f64(), out.size());
        }
    }

    @Override public void adam(Tensor p, Tensor g, Tensor m, Tensor v, double lr, double b1, double b2, double eps,
                               double weightDecay, long t) {
        int n = p.size();
        if (par.threads() > 1 && n >= PARALLEL_ELEMENTS) {
            // Memory-bound: each core streams its own contiguous slice of p, g, m and v.
            adamTask.set(p, g, m, v, lr, b1, b2, eps, weightDecay, t);
            par.parallelFor(n, PARALLEL_ELEMENTS / 2, adamTask);
            adamTask.clear();
        } else {
            adamSlice(p, g, m, v, 0, n, lr, b1, b2, eps, weightDecay, t);
        }
    }

    private final AdamTask adamTask = new AdamTask();

    /** The reusable body of the split Adam update (a capturing lambda would allocate on every step). */
    private static final class AdamTask implements IntRangeBody {
        private Tensor p, g, m, v;
        private double lr, b1, b2, eps, weightDecay;
        private long t;

        void set(Tensor p, Tensor g, Tensor m, Tensor v, double lr, double b1, double b2, double eps, double weightDecay, long t) {
            this.p = p; this.g = g; this.m = m; this.v = v;
            this.lr = lr; this.b1 = b1; this.b2 = b2; this.eps = eps; this.weightDecay = weightDecay; this.t = t;
        }

        void clear() { p = g = m = v = null; }

        @Override public void run(int from, int to) { adamSlice(p, g, m, v, from, to, lr, b1, b2, eps, weightDecay, t); }
    }

    // ---- copyBlock (slice, pad, a fused concat): rows split across the threads when there are many ----

    private final CopyTask copyTask = new CopyTask();

    @Override public void copyBlock(Tensor src, int[] from, Tensor dst, int[] at, tinynn.graph.Shape block) {
        int rows = blockRows(block);
        if (par.threads() == 1 || block.elements() < PARALLEL_ELEMENTS * 2) {
            copyRows(src, from, dst, at, block, 0, rows);
            return;
        }
        // Latency-bound rather than bandwidth-bound when the rows are short and strided (a recurrence's h columns
        // out of its workspace): a second core doubles the loads in flight.
        copyTask.set(src, from, dst, at, block);
        par.parallelFor(rows, Math.max(1, PARALLEL_ELEMENTS / Math.max(1, block.dim(-1))), copyTask);
        copyTask.clear();
    }

    /** The reusable body of the split copyBlock (a capturing lambda would allocate on every step). */
    private static final class CopyTask implements IntRangeBody {
        private Tensor src, dst;
        private int[] from, at;
        private tinynn.graph.Shape block;

        void set(Tensor src, int[] from, Tensor dst, int[] at, tinynn.graph.Shape block) {
            this.src = src; this.from = from; this.dst = dst; this.at = at; this.block = block;
        }

        void clear() { src = dst = null; from = at = null; block = null; }

        @Override public void run(int r0, int r1) { copyRows(src, from, dst, at, block, r0, r1); }
    }

    /** Below this many parameters a single core updates them faster than two can be woken. */
    private static final int PARALLEL_ELEMENTS = 1 << 15;

    private static void adamSlice(Tensor p, Tensor g, Tensor m, Tensor v, int from, int to, double lr, double b1, double b2,
                                  double eps, double weightDecay, long t) {
        // The article's weight decay is decoupled (p −= wd·p with the old p, beside the Adam step), not added to the gradient.
        if (p.isF32()) {
            if (weightDecay != 0) for (int i = from; i < to; i++) p.f32()[i] *= (float) (1 - weightDecay);
            VecF32.adam(p.f32(), g.f32(), m.f32(), v.f32(), from, to, (float) lr, (float) b1, (float) b2, (float) eps, 0f, (int) t);
        } else {
            if (weightDecay != 0) for (int i = from; i < to; i++) p.f64()[i] *= 1 - weightDecay;
            VecF64.adam(p.f64(), g.f64(), m.f64(), v.f64(), from, to, lr, b1, b2, eps, 0, (int) t);
        }
    }

    // ---- pooling: PoolF64/PoolF32 over the N·C planes, split across the threads ----

    @Override public void maxPool2d(Tensor x, tinynn.ops.PoolWindow w, Tensor out) { pool(PoolTask.MAX, x, null, w, false, out); }

    @Override public void maxPool2dGrad(Tensor x, Tensor g, tinynn.ops.PoolWindow w, Tensor dx) { pool(PoolTask.MAX_GRAD, x, g, w, false, dx); }

    @Override public void maxPool2dGradRelu(Tensor x, Tensor g, tinynn.ops.PoolWindow w, Tensor dx) {
        pool(PoolTask.MAX_GRAD_RELU, x, g, w, false, dx);
    }

    @Override public void avgPool2d(Tensor x, tinynn.ops.PoolWindow w, boolean countIncludePad, Tensor out) {
        pool(PoolTask.AVG, x, null, w, countIncludePad, out);
    }

    @Override public void avgPool2dGrad(Tensor g, tinynn.ops.PoolWindow w, boolean countIncludePad, Tensor dx) {
        pool(PoolTask.AVG_GRAD, null, g, w, countIncludePad, dx);
    }

    private final PoolTask poolTask = new PoolTask();

    /** Runs one pooling kernel over all planes; image is x for the forward passes and max's gradient, else dx. */
    private void pool(int kind, Tensor x, Tensor g, tinynn.ops.PoolWindow w, boolean countIncludePad, Tensor out) {
        Tensor image = kind == PoolTask.AVG_GRAD ? out : x;
        var s = image.shape();
        int planes = s.dim(0) * s.dim(1), planeSize = s.dim(2) * s.dim(3);
        poolTask.set(kind, x, g, out, s.dim(2), s.dim(3), w, countIncludePad);
        // Memory-bound: a second core pays only once each has a few hundred kilobytes to stream.
        par.parallelFor(planes, Math.max(1, PARALLEL_ELEMENTS / 2 / Math.max(1, planeSize)), poolTask);
        poolTask.clear();
    }

    /** The reusable body of the plane-split pooling kernels (a capturing lambda would allocate on every step). */
    private static final class PoolTask implements IntRangeBody {
        static final int MAX = 0, MAX_GRAD = 1, AVG = 2, AVG_GRAD = 3, MAX_GRAD_RELU = 4;
        private int kind, h, w;
        private Tensor x, g, out;
        private tinynn.ops.PoolWindow win;
        private boolean countIncludePad;

        void set(int kind, Tensor x, Tensor g, Tensor out, int h, int w, tinynn.ops.PoolWindow win, boolean countIncludePad) {
            this.kind = kind; this.x = x; this.g = g; this.out = out; this.h = h; this.w = w; this.win = win; this.countIncludePad = countIncludePad;
        }

        void clear() { x = g = out = null; win = null; }

        @Override public void run(int from, int to) {
            if (out.isF32()) {
                switch (kind) {
                    case MAX -> PoolF32.max(x.f32(), out.f32(), h, w, win, from, to);
                    case MAX_GRAD, MAX_GRAD_RELU -> PoolF32.maxGrad(x.f32(), g.f32(), out.f32(), h, w, win, kind == MAX_GRAD_RELU, from, to);
                    case AVG -> PoolF32.avg(x.f32(), out.f32(), h, w, win, countIncludePad, from, to);
                    default -> PoolF32.avgGrad(g.f32(), out.f32(), h, w, win, countIncludePad, from, to);
                }
            } else {
                switch (kind) {
                    case MAX -> PoolF64.max(x.f64(), out.f64(), h, w, win, from, to);
                    case MAX_GRAD, MAX_GRAD_RELU -> PoolF64.maxGrad(x.f64(), g.f64(), out.f64(), h, w, win, kind == MAX_GRAD_RELU, from, to);
                    case AVG -> PoolF64.avg(x.f64(), out.f64(), h, w, win, countIncludePad, from, to);
                    default -> PoolF64.avgGrad(g.f64(), out.f64(), h, w, win, countIncludePad, from, to);
                }
            }
        }
    }

    // ---- convolution: a direct implicit-GEMM kernel or im2col into the packed GEMM (see ConvF64) ----

    @Override public void conv2d(Tensor x, Tensor w, ConvGeometry g, Tensor out) { convForward(x, w, null, g, out); }

    @Override public void conv2dBiasRelu(Tensor x, Tensor w, Tensor bias, ConvGeometry g, Tensor out) {
        if (bias.size() != w.shape().dim(0) || x.isF32() != out.isF32() || bias.isF32() != out.isF32()) {
            super.conv2dBiasRelu(x, w, bias, g, out);
            return;
        }
        convForward(x, w, bias, g, out);
    }

    /** conv2d, with relu(· + bias) per output channel when bias is not null. */
    private void convForward(Tensor x, Tensor w, Tensor bias, ConvGeometry g, Tensor out) {
        Shape xs = x.shape(), ws = w.shape();
        int n = xs.dim(0), c = xs.dim(1), h = xs.dim(2), wd = xs.dim(3), o = ws.dim(0), kh = ws.dim(2), kw = ws.dim(3);
        if (out.isF32()) conv32.forward(x.f32(), n, c, h, wd, w.f32(), o, kh, kw, g, out.f32(), bias == null ? null : bias.f32());
        else conv64.forward(x.f64(), n, c, h, wd, w.f64(), o, kh, kw, g, out.f64(), bias == null ? null : bias.f64());
    }

    @Override public void conv2dGradInput(Tensor dy, Tensor w, ConvGeometry g, Tensor dx) {
        Shape xs = dx.shape(), ws = w.shape();
        int n = xs.dim(0), c = xs.dim(1), h = xs.dim(2), wd = xs.dim(3), o = ws.dim(0), kh = ws.dim(2), kw = ws.dim(3);
        if (dx.isF32()) conv32.gradInput(dy.f32(), w.f32(), n, c, h, wd, o, kh, kw, g, dx.f32());
        else conv64.gradInput(dy.f64(), w.f64(), n, c, h, wd, o, kh, kw, g, dx.f64());
    }

    @Override public void conv2dGradWeight(Tensor x, Tensor dy, ConvGeometry g, Tensor dw) {
        Shape xs = x.shape(), ws = dw.shape();
        int n = xs.dim(0), c = xs.dim(1), h = xs.dim(2), wd = xs.dim(3), o = ws.dim(0), kh = ws.dim(2), kw = ws.dim(3);
        if (dw.isF32()) conv32.gradWeight(x.f32(), dy.f32(), n, c, h, wd, o, kh, kw, g, dw.f32());
        else conv64.gradWeight(x.f64(), dy.f64(), n, c, h, wd, o, kh, kw, g, dw.f64());
    }

    // ---- recurrences: RecurrenceF64 / RecurrenceF32, batch rows split over the threads once per call ----

    @Override public void recurrence(tinynn.ops.Recurrence.Kind kind, boolean reverse, Tensor xp, Tensor wHh, Tensor h0, Tensor c0,
                                     Tensor bHh, Tensor ws) {
        int n = xp.shape().dim(0), t = xp.shape().dim(1), h = wHh.shape().dim(0), k = recurrenceKind(kind);
        if (ws.isF32()) {
            recurrenceKernel32.forward(k, reverse, n, t, h, xp.f32(), wHh.f32(), h0.f32(), c0 == null ? null : c0.f32(),
                    bHh == null ? null : bHh.f32(), ws.f32());
        } else {
            recurrenceKernel64.forward(k, reverse, n, t, h, xp.f64(), wHh.f64(), h0.f64(), c0 == null ? null : c0.f64(),
                    bHh == null ? null : bHh.f64(), ws.f64());
        }
    }

    @Override public void recurrenceGrad(tinynn.ops.Recurrence.Kind kind, boolean reverse, Tensor ws, Tensor dws, Tensor wHh, Tensor h0,
                                         Tensor c0, Tensor out) {
        int n = ws.shape().dim(0), t = ws.shape().dim(1), h = wHh.shape().dim(0), k = recurrenceKind(kind);
        boolean state = out.shape().dim(1) > t;
        if (out.isF32()) {
            recurrenceKernel32.backward(k, reverse, n, t, h, ws.f32(), dws.f32(), wHh.f32(), h0.f32(), c0 == null ? null : c0.f32(), state, out.f32());
        } else {
            recurrenceKernel64.backward(k, reverse, n, t, h, ws.f64(), dws.f64(), wHh.f64(), h0.f64(), c0 == null ? null : c0.f64(), state, out.f64());
        }
    }

    private static int recurrenceKind(tinynn.ops.Recurrence.Kind kind) {
        return switch (kind) {
            case RNN_TANH -> RecurrenceF64.RNN_TANH;
            case RNN_RELU -> RecurrenceF64.RNN_RELU;
            case LSTM -> RecurrenceF64.LSTM;
            case GRU -> RecurrenceF64.GRU;
        };
    }
}
