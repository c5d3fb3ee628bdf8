package tinynn.runtime.simd;

import static tinynn.runtime.simd.GemmGeometry.ceilDiv;
import static tinynn.runtime.simd.GemmGeometry.clamp;
import static tinynn.runtime.simd.GemmGeometry.gcd;
import static tinynn.runtime.simd.GemmGeometry.roundUp;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * General matrix multiply of {@code double} arrays on the JDK Vector API.
 *
 * <p>Computes {@code C = op(A) * op(B)} or {@code C += op(A) * op(B)} for row-major matrices, where
 * {@code op(X)} is {@code X} or {@code X}<sup>T</sup>. Transposed operands are never materialised: panels of
 * A and B are packed (cache-blocked, {@code MC x KC} and {@code KC x NC}) into reusable thread-local buffers
 * in the layout of a register-blocked micro-kernel ({@link #MR} rows x {@link #NR} columns of FMA
 * accumulators), BLIS style. Small problems take an unpacked path.
 *
 * <p>The float32 twin is generated from this file by {@code runtime/src/build/GenerateF32.java}; edit this one.
 * Blocking and thresholds come from a {@link GemmConfig}.
 */
public final class GemmF64 {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Lanes per vector of the preferred species. */
    static final int LN = S.length();
    /**
     * Rows of the micro-tile: 12 with 32 vector registers (AVX-512: 24 accumulators), 4 with 16 (AVX2: 8). A 6-row
     * AVX2 tile needs 12 accumulators, 2 B vectors and the broadcasts C2 schedules ahead (three): one more than 16
     * registers, so C2 kept one accumulator on the stack and every depth step waited on a store and a reload
     * (AMD EPYC Zen 3, float 1024³: 28 GFLOP/s with 6 rows, 40-68 with 4; docs/native.md).
     */
    public static final int MR = S.vectorBitSize() >= 512 ? 12 : 4;
    /** Columns of the micro-tile (two vectors). */
    public static final int NR = 2 * LN;

    /** Gathering a packed A sliver: GATHER_P depths of MR rows are GATHER_V vectors (lcm(MR, LN) elements). */
    static final int GATHER_LEN = MR / gcd(MR, LN) * LN;
    static final int GATHER_P = GATHER_LEN / MR;
    static final int GATHER_V = GATHER_LEN / LN;

    /** Problems with at most this many rows use the unpacked path (row-vector kernels, no MR-row padding). */
    static final int SMALL_M = 4;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private GemmF64() {
    }

    /**
     * {@code C = op(A) * op(B)} (or {@code C += ...} when {@code accumulate}) for dense row-major operands.
     *
     * @param transA     if false A is stored as m x k (leading dimension k), if true as k x m (leading dim m)
     * @param transB     if false B is stored as k x n (leading dimension n), if true as n x k (leading dim k)
     * @param m          rows of op(A) and C
     * @param n          columns of op(B) and C
     * @param k          inner dimension
     * @param a          storage of A, starting at {@code aOff}
     * @param b          storage of B, starting at {@code bOff}
     * @param accumulate if true, add the product to C; if false, overwrite C (C's old contents are ignored,
     *                   NaNs included)
     * @param c          storage of C (m x n, leading dimension n), starting at {@code cOff}; must not overlap
     *                   A or B
     * @param par        threads to use; {@code null} means {@link Parallelism#serial()}
     * @param cfg        blocking, size thresholds and packing
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double[] a, int aOff, double[] b, int bOff,
                            boolean accumulate, double[] c, int cOff, Parallelism par, GemmConfig cfg) {
        gemm(transA, transB, m, n, k, a, aOff, transA ? m : k, b, bOff, transB ? k : n,
                accumulate, c, cOff, n, par, cfg);
    }

    /**
     * As {@link #gemm(boolean, boolean, int, int, int, double[], int, double[], int, boolean, double[], int,
     * Parallelism, GemmConfig)} with explicit leading dimensions (row strides): element (r, s) of the stored A is
     * {@code a[aOff + r * lda + s]}, likewise for B and C ({@code ldc >= n}).
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            boolean accumulate, double[] c, int cOff, int ldc, Parallelism par, GemmConfig cfg) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative dimension: m=" + m + " n=" + n + " k=" + k);
        if (m == 0 || n == 0) return;
        checkMatrix("C", c, cOff, m, n, ldc);
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0);
            return;
        }
        if (transA) checkMatrix("A", a, aOff, k, m, lda); else checkMatrix("A", a, aOff, m, k, lda);
        if (transB) checkMatrix("B", b, bOff, n, k, ldb); else checkMatrix("B", b, bOff, k, n, ldb);
        long macs = (long) m * n * k;
        boolean scalarOnly = transB && (transA || k < LN); // the unpacked path has no vector loop for these
        if (macs < cfg.smallMacs() || (m <= SMALL_M && !scalarOnly)) {
            // Packing would cost more than it saves (a packed micro-tile of MR rows would be mostly padding).
            if (par != null && par.threads() > 1 && macs >= cfg.parallelSmallMacs() && n >= 2 * NR) {
                SmallTask task = WORKSPACE.get().smallTask;
                task.set(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
                par.parallelFor(ceilDiv(n, NR), task);
                task.clear();
            } else {
                small(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            }
            return;
        }
        if (par == null || macs < cfg.parallelMacs()) par = Parallelism.serial();
        blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, par, cfg);
    }

    /**
     * The packed, cache-blocked path regardless of problem size (no argument checks), with the block sizes of
     * {@code cfg} ({@code mc} is rounded up to a multiple of MR, {@code nc} to a multiple of NR) and its budget for
     * the L2-resident B order. Used directly by tests to exercise every blocking edge with small shapes.
     *
     * <p>With several threads, C is split into one contiguous band of rows (or of columns) per thread, and each
     * thread runs the whole loop nest on its band with its own packing buffers: no barrier, one dispatch per
     * call. The price is that every thread packs all of B (row split) or all of A (column split); the split
     * direction is chosen to minimise that plus the load imbalance of whole micro-tiles. Sharing one packed
     * panel instead is slower here: rewriting lines that the other core has cached costs more than packing.
     */
    static void blocked(boolean transA, boolean transB, int m, int n, int k,
                        double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                        boolean accumulate, double[] c, int cOff, int ldc, Parallelism par, GemmConfig cfg) {
        if (par == null) par = Parallelism.serial();
        int mcBlock = roundUp(cfg.mc(), MR), ncBlock = roundUp(cfg.nc(), NR), kcBlock = cfg.kc();
        long residentB = cfg.residentBBytes() / Double.BYTES;
        boolean gather = cfg.gather();
        int threads = par.threads();
        Workspace ws = WORKSPACE.get();
        if (threads == 1) {
            range(ws, transA, transB, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, 0, m, 0, n,
                    kcBlock, mcBlock, ncBlock, residentB, gather);
            return;
        }
        int rowSlivers = ceilDiv(m, MR), colSlivers = ceilDiv(n, NR);
        boolean splitRows = GemmGeometry.splitRows(m, n, k, threads, rowSlivers, colSlivers);
        BandTask task = ws.bandTask;
        task.set(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, splitRows,
                kcBlock, mcBlock, ncBlock, residentB, gather);
        int kBlocks = ceilDiv(k, kcBlock);
        long residentSize = (long) kBlocks * ceilDiv(k, kBlocks) * roundUp(n, NR);
        try {
            if (splitRows && n <= ncBlock && residentSize <= residentB) {
                // Every thread packs all of B once, then takes blocks of rows from its own contiguous share and
                // then from the others' (WorkShares): robust against a core being busy with something else,
                // balanced to a few micro-tiles, and each core's rows stay where the next kernel reads them.
                int block = clamp(roundUp(ceilDiv(m, 4 * threads), MR), MR, mcBlock);
                task.dynamic(block, ceilDiv(m, block), threads);
                par.parallelFor(threads, task);
            } else if (!splitRows && m <= mcBlock && (long) kBlocks * ceilDiv(k, kBlocks) * roundUp(m, MR) <= residentB) {
                // Mirror image: every thread packs all of A once, blocks of columns are handed out dynamically.
                int block = clamp(roundUp(ceilDiv(n, 4 * threads), NR), NR, ncBlock);
                task.dynamic(block, ceilDiv(n, block), threads);
                par.parallelFor(threads, task);
            } else {
                par.parallelFor(splitRows ? rowSlivers : colSlivers, task);
            }
        } finally {
            task.clear();
        }
    }

    /** Number of {@code double}s of packing workspace the calling thread currently holds (for diagnostics). */
    public static long workspaceFloats() {
        Workspace ws = WORKSPACE.get();
        return (long) ws.aPack.length + ws.bPack.length;
    }

    // ---------------------------------------------------------------------------------------------------
    // Blocked driver

    /** C[i0:i1, j0:j1] (+)= op(A)[i0:i1, :] * op(B)[:, j0:j1]: the BLIS loop nest on one thread's band. */
    static void range(Workspace ws, boolean transA, boolean transB, int k,
                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                      boolean accumulate, double[] c, int cOff, int ldc, int i0, int i1, int j0, int j1,
                      int kcBlock, int mcBlock, int ncBlock, long residentB, boolean gather) {
        int m = i1 - i0, n = j1 - j0;
        if (m <= 0 || n <= 0) return;
        int kBlocks = ceilDiv(k, kcBlock), kcMax = ceilDiv(k, kBlocks);
        int mBlocks = ceilDiv(m, mcBlock), mcMax = roundUp(ceilDiv(m, mBlocks), MR);
        int nBlocks = ceilDiv(n, ncBlock), ncMax = roundUp(ceilDiv(n, nBlocks), NR);
        double[] ap = ws.aPack(mcMax * kcMax);
        int panel = kcMax * ncMax;
        if ((long) kBlocks * panel <= residentB) {
            // All of B[:, jc-block] fits in L2: pack it once, then finish each block of C rows over the whole
            // depth while it is cache-resident (instead of streaming all of C once per depth block).
            double[] bp = ws.bPack(kBlocks * panel);
            for (int jc = j0; jc < j1; jc += ncMax) {
                int nc = Math.min(ncMax, j1 - jc);
                for (int pc = 0, q = 0; pc < k; pc += kcMax, q++) {
                    packB(transB, b, bOff, ldb, pc, Math.min(kcMax, k - pc), jc, nc, bp, q * panel, 0, ceilDiv(nc, NR), gather, ws.idx);
                }
                for (int ic = i0; ic < i1; ic += mcMax) {
                    int mc = Math.min(mcMax, i1 - ic);
                    for (int pc = 0, q = 0; pc < k; pc += kcMax, q++) {
                        int kc = Math.min(kcMax, k - pc);
                        packA(transA, a, aOff, lda, ic, mc, pc, kc, ap, 0, gather, ws.idx);
                        macro(mc, nc, kc, ap, 0, bp, q * panel, c, cOff + ic * ldc + jc, ldc, accumulate || pc > 0, ws.tile);
                    }
                }
            }
            return;
        }
        double[] bp = ws.bPack(panel);
        for (int jc = j0; jc < j1; jc += ncMax) {
            int nc = Math.min(ncMax, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, 0, 0, ceilDiv(nc, NR), gather, ws.idx);
                boolean acc = accumulate || pc > 0;
                for (int ic = i0; ic < i1; ic += mcMax) {
                    int mc = Math.min(mcMax, i1 - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, ap, 0, gather, ws.idx);
                    macro(mc, nc, kc, ap, 0, bp, 0, c, cOff + ic * ldc + jc, ldc, acc, ws.tile);
                }
            }
        }
    }

    /** One band of rows (or columns) of C per thread. */
    private static final class BandTask implements IntRangeBody {
        boolean transA, transB, acc, splitRows, gather;
        double[] a, b, c;
        int m, n, k, aOff, lda, bOff, ldb, cOff, ldc, kcBlock, mcBlock, ncBlock;
        long residentB;

        void set(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                 double[] b, int bOff, int ldb, boolean acc, double[] c, int cOff, int ldc, boolean splitRows,
                 int kcBlock, int mcBlock, int ncBlock, long residentB, boolean gather) {
            this.residentB = residentB;
            this.gather = gather;
            this.block = 0;
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.acc = acc;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.splitRows = splitRows;
            this.kcBlock = kcBlock;
            this.mcBlock = mcBlock;
            this.ncBlock = ncBlock;
        }

        void clear() {
            a = b = c = null;
        }

        /** Rows (or columns) per block handed out through {@link #shares}; 0 = static bands. */
        int block;
        final WorkShares shares = new WorkShares();

        void dynamic(int block, int units, int threads) {
            this.block = block;
            shares.reset(units, threads);
        }

        @Override
        public void run(int from, int to) {
            Workspace ws = WORKSPACE.get();
            if (block > 0) {
                if (splitRows) rowsDynamic(ws, from);
                else colsDynamic(ws, from);
            } else if (splitRows) {
                range(ws, transA, transB, k, a, aOff, lda, b, bOff, ldb, acc, c, cOff, ldc,
                        from * MR, Math.min(m, to * MR), 0, n, kcBlock, mcBlock, ncBlock, residentB, gather);
            } else {
                range(ws, transA, transB, k, a, aOff, lda, b, bOff, ldb, acc, c, cOff, ldc,
                        0, m, from * NR, Math.min(n, to * NR), kcBlock, mcBlock, ncBlock, residentB, gather);
            }
        }

        /** All of B packed (resident), then row blocks taken from {@link #shares} until none is left. */
        private void rowsDynamic(Workspace ws, int thread) {
            int kBlocks = ceilDiv(k, kcBlock), kcMax = ceilDiv(k, kBlocks);
            int panel = kcMax * roundUp(n, NR);
            double[] bp = null, ap = null;
            for (int blk; (blk = shares.claim(thread)) >= 0; ) {
                if (bp == null) {
                    bp = ws.bPack(kBlocks * panel);
                    ap = ws.aPack(block * kcMax);
                    for (int pc = 0, q = 0; pc < k; pc += kcMax, q++) {
                        packB(transB, b, bOff, ldb, pc, Math.min(kcMax, k - pc), 0, n, bp, q * panel, 0, ceilDiv(n, NR), gather, ws.idx);
                    }
                }
                int ic = blk * block, mc = Math.min(block, m - ic);
                for (int pc = 0, q = 0; pc < k; pc += kcMax, q++) {
                    int kc = Math.min(kcMax, k - pc);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, ap, 0, gather, ws.idx);
                    macro(mc, n, kc, ap, 0, bp, q * panel, c, cOff + ic * ldc, ldc, acc || pc > 0, ws.tile);
                }
            }
        }

        /** All of A packed (resident), then column blocks taken from {@link #shares} until none is left. */
        private void colsDynamic(Workspace ws, int thread) {
            int kBlocks = ceilDiv(k, kcBlock), kcMax = ceilDiv(k, kBlocks);
            int panel = kcMax * roundUp(m, MR);
            double[] bp = null, ap = null;
            for (int blk; (blk = shares.claim(thread)) >= 0; ) {
                if (ap == null) {
                    ap = ws.aPack(kBlocks * panel);
                    bp = ws.bPack(block * kcMax);
                    for (int pc = 0, q = 0; pc < k; pc += kcMax, q++) {
                        packA(transA, a, aOff, lda, 0, m, pc, Math.min(kcMax, k - pc), ap, q * panel, gather, ws.idx);
                    }
                }
                int jc = blk * block, nc = Math.min(block, n - jc);
                for (int pc = 0, q = 0; pc < k; pc += kcMax, q++) {
                    int kc = Math.min(kcMax, k - pc);
                    packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, 0, 0, ceilDiv(nc, NR), gather, ws.idx);
                    macro(m, nc, kc, ap, q * panel, bp, 0, c, cOff + jc, ldc, acc || pc > 0, ws.tile);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // One B for many products: packed once (a recurrence's W_hh, once per sequence instead of once per time step)

    /** Elements of the buffer {@link #packB(boolean, int, int, double[], int, int, double[], GemmConfig)} fills. */
    public static int packedBSize(int k, int n, GemmConfig cfg) {
        int kBlocks = ceilDiv(k, cfg.kc()), kcMax = ceilDiv(k, kBlocks);
        int nBlocks = ceilDiv(n, roundUp(cfg.nc(), NR)), ncMax = roundUp(ceilDiv(n, nBlocks), NR);
        return nBlocks * kBlocks * kcMax * ncMax;
    }

    /**
     * Packs op(B) ({@code k x n}; B stored {@code k x n}, or {@code n x k} when transB, row stride ldb) into dst in the
     * blocked layout of {@link #gemmPacked}; dst holds {@link #packedBSize} elements and may then be read by any thread.
     */
    public static void packB(boolean transB, int k, int n, double[] b, int bOff, int ldb, double[] dst, GemmConfig cfg) {
        int kBlocks = ceilDiv(k, cfg.kc()), kcMax = ceilDiv(k, kBlocks);
        int nBlocks = ceilDiv(n, roundUp(cfg.nc(), NR)), ncMax = roundUp(ceilDiv(n, nBlocks), NR);
        int panel = kcMax * ncMax;
        int[] idx = WORKSPACE.get().idx;
        for (int jc = 0, jb = 0; jc < n; jc += ncMax, jb++) {
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0, q = 0; pc < k; pc += kcMax, q++) {
                packB(transB, b, bOff, ldb, pc, Math.min(kcMax, k - pc), jc, nc, dst, (jb * kBlocks + q) * panel, 0, ceilDiv(nc, NR), cfg.gather(), idx);
            }
        }
    }

    /**
     * {@code C (+)= op(A) * B} on the calling thread, with B packed by {@link #packB} for the same k, n and cfg: the packed
     * path without packing B. (For a few rows, {@link #gemm} on the unpacked B is faster: it pads no micro-tile.)
     */
    public static void gemmPacked(boolean transA, int m, int n, int k, double[] a, int aOff, int lda, double[] bp,
                                  boolean accumulate, double[] c, int cOff, int ldc, GemmConfig cfg) {
        if (m <= 0 || n <= 0) return;
        int kBlocks = ceilDiv(k, cfg.kc()), kcMax = ceilDiv(k, kBlocks);
        int nBlocks = ceilDiv(n, roundUp(cfg.nc(), NR)), ncMax = roundUp(ceilDiv(n, nBlocks), NR);
        int mcBlock = roundUp(cfg.mc(), MR), mBlocks = ceilDiv(m, mcBlock), mcMax = roundUp(ceilDiv(m, mBlocks), MR);
        int panel = kcMax * ncMax;
        Workspace ws = WORKSPACE.get();
        double[] ap = ws.aPack(mcMax * kcMax);
        for (int jc = 0, jb = 0; jc < n; jc += ncMax, jb++) {
            int nc = Math.min(ncMax, n - jc);
            for (int ic = 0; ic < m; ic += mcMax) {
                int mc = Math.min(mcMax, m - ic);
                for (int pc = 0, q = 0; pc < k; pc += kcMax, q++) {
                    int kc = Math.min(kcMax, k - pc);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, ap, 0, cfg.gather(), ws.idx);
                    macro(mc, nc, kc, ap, 0, bp, (jb * kBlocks + q) * panel, c, cOff + ic * ldc + jc, ldc, accumulate || pc > 0, ws.tile);
                }
            }
        }
    }

    /**
     * C[mc x nc] (+)= A[mc x kc] · packed B (a panel at bpOff, as {@link #macro} reads it), A non-transposed at aO (its
     * row 0, depth 0) with stride lda: whole micro-tiles read A in place; rows and columns that do not fill one go
     * through a packed sliver and the edge tile.
     */
    static void inPlaceA(double[] a, int aO, int lda, int mc, int nc, int kc, double[] bp, int bpOff, double[] c, int cO,
                         int ldc, boolean acc, Workspace ws, boolean gather) {
        int mFull = mc - mc % MR, ncFull = nc - nc % NR;
        for (int jr = 0; jr < ncFull; jr += NR) {
            for (int ir = 0; ir < mFull; ir += MR) {
                if (MR == 12) kernel12x2A(kc, a, aO + ir * lda, lda, bp, bpOff + jr * kc, c, cO + ir * ldc + jr, ldc, acc);
                else kernel4x2A(kc, a, aO + ir * lda, lda, bp, bpOff + jr * kc, c, cO + ir * ldc + jr, ldc, acc);
            }
        }
        if (ncFull < nc && mFull > 0) {
            double[] ap = ws.aPack(mFull * kc);
            packA(false, a, aO, lda, 0, mFull, 0, kc, ap, 0, gather, ws.idx);
            macro(mFull, nc - ncFull, kc, ap, 0, bp, bpOff + ncFull * kc, c, cO + ncFull, ldc, acc, ws.tile);
        }
        if (mFull < mc) {
            double[] ap = ws.aPack(MR * kc);
            packA(false, a, aO, lda, mFull, mc - mFull, 0, kc, ap, 0, gather, ws.idx);
            macro(mc - mFull, nc, kc, ap, 0, bp, bpOff, c, cO + mFull * ldc, ldc, acc, ws.tile);
        }
    }

    /** The most column panels of NR for which {@link #gemmPackedB} reads A in place rather than packing it. */
    static final int IN_PLACE_PANELS = 8;

    /**
     * {@link #gemmPacked} for a non-transposed A, which it reads where it lies instead of packing it when A is used for
     * few column panels (at most {@link #IN_PLACE_PANELS}): whole micro-tiles broadcast A's elements straight from its
     * MR rows (stride lda), rows and columns that do not fill a micro-tile go through the packed path. For a
     * recurrence's per-step products (a band of h_prev or d rec rows times W_hh or W_hhᵀ, packed once per call),
     * packing A every step cost more than it saves in the backward pass (N = H: 4 panels; RecurrenceBench 5-10%
     * faster in place) but not in the forward pass (N = 4H: 16 panels; packed 5-15% faster). Nor for the general GEMM:
     * with A reused over many panels, the in-place kernel ran at 66-85% of the packed one's rate (1024³, LeNet/MLP shapes).
     */
    public static void gemmPackedB(int m, int n, int k, double[] a, int aOff, int lda, double[] bp,
                                   boolean accumulate, double[] c, int cOff, int ldc, GemmConfig cfg) {
        if (m <= 0 || n <= 0) return;
        if (ceilDiv(n, NR) > IN_PLACE_PANELS) {
            gemmPacked(false, m, n, k, a, aOff, lda, bp, accumulate, c, cOff, ldc, cfg);
            return;
        }
        int kBlocks = ceilDiv(k, cfg.kc()), kcMax = ceilDiv(k, kBlocks);
        int nBlocks = ceilDiv(n, roundUp(cfg.nc(), NR)), ncMax = roundUp(ceilDiv(n, nBlocks), NR);
        int panel = kcMax * ncMax;
        Workspace ws = WORKSPACE.get();
        for (int jc = 0, jb = 0; jc < n; jc += ncMax, jb++) {
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0, q = 0; pc < k; pc += kcMax, q++) {
                inPlaceA(a, aOff + pc, lda, m, nc, Math.min(kcMax, k - pc), bp, (jb * kBlocks + q) * panel, c, cOff + jc, ldc,
                        accumulate || pc > 0, ws, cfg.gather());
            }
        }
    }

    private static final class Workspace {
        double[] aPack = new double[0];
        double[] bPack = new double[0];
        final double[] tile = new double[MR * NR];
        /** One vector's lanes, for the scalar end of a narrow column tail. */
        final double[] lanes = new double[LN];
        final int[] idx = new int[Math.max(GATHER_LEN, NR)];
        final BandTask bandTask = new BandTask();
        final SmallTask smallTask = new SmallTask();

        double[] aPack(int size) {
            if (aPack.length < size) aPack = new double[size];
            return aPack;
        }

        double[] bPack(int size) {
            if (bPack.length < size) bPack = new double[size];
            return bPack;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Packing

    /**
     * Packs rows {@code [i0, i0+mc)} x depth {@code [p0, p0+kc)} of op(A) into slivers of MR rows:
     * sliver s starts at {@code s*MR*kc}, element (ii, p) of it at {@code p*MR + ii}; missing rows are zero.
     */
    static void packA(boolean transA, double[] a, int aOff, int lda, int i0, int mc, int p0, int kc, double[] dst,
                      int dstOff, boolean gather, int[] idx) {
        if (!transA) {
            // lane g of a GATHER_P x MR group reads row g % MR, depth g / MR
            for (int g = 0; g < GATHER_LEN; g++) idx[g] = (g % MR) * lda + g / MR;
        }
        for (int s = 0; s < mc; s += MR) {
            int rows = Math.min(MR, mc - s);
            int d = dstOff + s * kc;
            if (!transA) {
                int src = aOff + (i0 + s) * lda + p0;
                if (rows == MR && !gather) {
                    packByDepth(a, src, lda, kc, dst, d, MR);
                } else {
                    int p = rows == MR ? gatherA(a, src, kc, dst, d, idx) : 0;
                    for (int ii = 0; ii < rows; ii++) {
                        int so = src + ii * lda, dd = d + ii;
                        for (int q = p; q < kc; q++) dst[dd + q * MR] = a[so + q];
                    }
                }
            } else {
                int src = aOff + p0 * lda + i0 + s;
                if (rows == MR) {
                    for (int p = 0; p < kc; p++) {
                        int so = src + p * lda, dd = d + p * MR;
                        for (int ii = 0; ii < MR; ii++) dst[dd + ii] = a[so + ii];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int so = src + p * lda, dd = d + p * MR;
                        for (int ii = 0; ii < rows; ii++) dst[dd + ii] = a[so + ii];
                    }
                }
            }
            if (rows < MR) {
                for (int p = 0; p < kc; p++) {
                    int dd = d + p * MR;
                    for (int ii = rows; ii < MR; ii++) dst[dd + ii] = 0;
                }
            }
        }
    }

    /**
     * A full sliver of mr rows of non-transposed A, depth by depth: for each depth its mr values side by side, so the
     * stores run in order. The scalar packing (no gathers, as natively) measured twice as fast this way as row by row,
     * whose stores stride by mr: in a native image
     * (x86-64-v4, float, 12 rows) 29–47 µs against 81–100 µs for 120 × 768 of the MLP's 128 × 784 input. The rows
     * are spelled out for the two kernel heights (12 and 4) because a native image does not unroll a loop over MR (its value is
     * known only at run time there); another mr takes the loop. Package-private for the test of every branch.
     */
    static void packByDepth(double[] a, int src, int lda, int kc, double[] dst, int d, int mr) {
        if (mr == 12) {
            for (int q = 0, o = d, x = src; q < kc; q++, o += 12, x++) {
                dst[o] = a[x];
                dst[o + 1] = a[x + lda];
                dst[o + 2] = a[x + 2 * lda];
                dst[o + 3] = a[x + 3 * lda];
                dst[o + 4] = a[x + 4 * lda];
                dst[o + 5] = a[x + 5 * lda];
                dst[o + 6] = a[x + 6 * lda];
                dst[o + 7] = a[x + 7 * lda];
                dst[o + 8] = a[x + 8 * lda];
                dst[o + 9] = a[x + 9 * lda];
                dst[o + 10] = a[x + 10 * lda];
                dst[o + 11] = a[x + 11 * lda];
            }
        } else if (mr == 4) {
            for (int q = 0, o = d, x = src; q < kc; q++, o += 4, x++) {
                dst[o] = a[x];
                dst[o + 1] = a[x + lda];
                dst[o + 2] = a[x + 2 * lda];
                dst[o + 3] = a[x + 3 * lda];
            }
        } else {
            for (int q = 0, o = d; q < kc; q++) {
                for (int ii = 0, x = src + q; ii < mr; ii++, x += lda) dst[o++] = a[x];
            }
        }
    }

    /** The depths of a full A sliver that whole gathers cover, packed; returns how many it packed. */
    private static int gatherA(double[] a, int src, int kc, double[] dst, int d, int[] idx) {
        int p = 0;
        for (; p + GATHER_P <= kc; p += GATHER_P) {
            int so = src + p, dd = d + p * MR;
            for (int v = 0; v < GATHER_V; v++) {
                DoubleVector.fromArray(S, a, so, idx, v * LN).intoArray(dst, dd + v * LN);
            }
        }
        return p;
    }

    /**
     * Packs slivers {@code [sFrom, sTo)} of depth {@code [p0, p0+kc)} x columns {@code [j0, j0+nc)} of op(B):
     * sliver s covers columns {@code s*NR ..} and starts at {@code s*NR*kc}; element (p, jj) is at
     * {@code p*w + jj} where the width w is NR, or LN for a last sliver of at most LN columns. Missing columns
     * are zero.
     */
    static void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      double[] dst, int dstOff, int sFrom, int sTo, boolean gather, int[] idx) {
        if (transB) for (int j = 0; j < NR; j++) idx[j] = j * ldb;
        for (int s = sFrom; s < sTo; s++) {
            int jr = s * NR;
            int cols = Math.min(NR, nc - jr);
            int w = cols <= LN ? LN : NR;
            int d = dstOff + jr * kc;
            if (!transB) {
                int src = bOff + p0 * ldb + j0 + jr;
                // Full-width copies while they stay inside the array. Lanes past `cols` then hold neighbouring
                // elements instead of zeros: harmless, they only reach micro-tile columns that are never stored.
                int safe = cols == NR ? kc : clamp(Math.floorDiv(b.length - w - src, ldb) + 1, 0, kc);
                int p = 0;
                if (w == NR) {
                    for (; p < safe; p++) {
                        int so = src + p * ldb, dd = d + p * NR;
                        DoubleVector.fromArray(S, b, so).intoArray(dst, dd);
                        DoubleVector.fromArray(S, b, so + LN).intoArray(dst, dd + LN);
                    }
                } else {
                    for (; p < safe; p++) DoubleVector.fromArray(S, b, src + p * ldb).intoArray(dst, d + p * LN);
                }
                for (; p < kc; p++) {
                    int so = src + p * ldb, dd = d + p * w;
                    for (int jj = 0; jj < cols; jj++) dst[dd + jj] = b[so + jj];
                    for (int jj = cols; jj < w; jj++) dst[dd + jj] = 0;
                }
            } else if (cols == w && gather) {
                gatherB(b, bOff + (j0 + jr) * ldb + p0, kc, w, dst, d, idx);
            } else {
                for (int jj = 0; jj < cols; jj++) {
                    int so = bOff + (j0 + jr + jj) * ldb + p0, dd = d + jj;
                    for (int p = 0; p < kc; p++) dst[dd + p * w] = b[so + p];
                }
                if (cols < w) {
                    for (int p = 0; p < kc; p++) {
                        int dd = d + p * w;
                        for (int jj = cols; jj < w; jj++) dst[dd + jj] = 0;
                    }
                }
            }
        }
    }

    /** A full sliver of transposed B: B(p, j) = b[src + j * ldb + p], gathered for each depth. */
    private static void gatherB(double[] b, int src, int kc, int w, double[] dst, int d, int[] idx) {
        if (w == NR) {
            for (int p = 0; p < kc; p++) {
                DoubleVector.fromArray(S, b, src + p, idx, 0).intoArray(dst, d + p * NR);
                DoubleVector.fromArray(S, b, src + p, idx, LN).intoArray(dst, d + p * NR + LN);
            }
        } else {
            for (int p = 0; p < kc; p++) DoubleVector.fromArray(S, b, src + p, idx, 0).intoArray(dst, d + p * LN);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Macro- and micro-kernels

    /**
     * C[mc x nc] (+)= packedA[mc x kc] * packedB[kc x nc]. Full micro-tiles are written straight into C; edge
     * tiles are computed into {@code tile} (MR x NR scratch) and then copied / added. (Masked stores inside the
     * micro-kernel make C2 box the accumulators, which costs two orders of magnitude: keep kernels simple.)
     */
    static void macro(int mc, int nc, int kc, double[] ap, int apOff, double[] bp, int bpOff, double[] c, int cO,
                      int ldc, boolean acc, double[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int bO = bpOff + jr * kc;
            boolean narrow = cols <= LN;
            int w = narrow ? LN : NR;
            for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                int co = cO + ir * ldc + jr;
                if (rows == MR && cols == w) {
                    micro(narrow, kc, ap, apOff + ir * kc, bp, bO, c, co, ldc, acc);
                } else {
                    micro(narrow, kc, ap, apOff + ir * kc, bp, bO, tile, 0, w, false);
                    for (int i = 0; i < rows; i++) {
                        int ci = co + i * ldc, ti = i * w;
                        if (acc) {
                            for (int j = 0; j < cols; j++) c[ci + j] += tile[ti + j];
                        } else {
                            System.arraycopy(tile, ti, c, ci, cols);
                        }
                    }
                }
            }
        }
    }

    private static void micro(boolean narrow, int kc, double[] ap, int aO, double[] bp, int bO,
                              double[] c, int cO, int ldc, boolean acc) {
        if (MR == 12) {
            if (narrow) kernel12x1(kc, ap, aO, bp, bO, c, cO, ldc, acc);
            else kernel12x2(kc, ap, aO, bp, bO, c, cO, ldc, acc);
        } else {
            if (narrow) kernel4x1(kc, ap, aO, bp, bO, c, cO, ldc, acc);
            else kernel4x2(kc, ap, aO, bp, bO, c, cO, ldc, acc);
        }
    }

    /** 12 x 2 vectors micro-kernel: C[12 x 2*LN] (+)= Ap[12 x kc] * Bp[kc x 2*LN]. */
    private static void kernel12x2(int kc, double[] ap, int aO, double[] bp, int bO,
                               double[] c, int cO, int ldc, boolean acc) {
        DoubleVector c0_0 = DoubleVector.zero(S); DoubleVector c0_1 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S); DoubleVector c1_1 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S); DoubleVector c2_1 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S); DoubleVector c3_1 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S); DoubleVector c4_1 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S); DoubleVector c5_1 = DoubleVector.zero(S);
        DoubleVector c6_0 = DoubleVector.zero(S); DoubleVector c6_1 = DoubleVector.zero(S);
        DoubleVector c7_0 = DoubleVector.zero(S); DoubleVector c7_1 = DoubleVector.zero(S);
        DoubleVector c8_0 = DoubleVector.zero(S); DoubleVector c8_1 = DoubleVector.zero(S);
        DoubleVector c9_0 = DoubleVector.zero(S); DoubleVector c9_1 = DoubleVector.zero(S);
        DoubleVector c10_0 = DoubleVector.zero(S); DoubleVector c10_1 = DoubleVector.zero(S);
        DoubleVector c11_0 = DoubleVector.zero(S); DoubleVector c11_1 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bO);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bO + 1 * LN);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[aO]);
            c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[aO + 1]);
            c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[aO + 2]);
            c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[aO + 3]);
            c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
            DoubleVector a4 = DoubleVector.broadcast(S, ap[aO + 4]);
            c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1);
            DoubleVector a5 = DoubleVector.broadcast(S, ap[aO + 5]);
            c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1);
            DoubleVector a6 = DoubleVector.broadcast(S, ap[aO + 6]);
            c6_0 = a6.fma(b0, c6_0); c6_1 = a6.fma(b1, c6_1);
            DoubleVector a7 = DoubleVector.broadcast(S, ap[aO + 7]);
            c7_0 = a7.fma(b0, c7_0); c7_1 = a7.fma(b1, c7_1);
            DoubleVector a8 = DoubleVector.broadcast(S, ap[aO + 8]);
            c8_0 = a8.fma(b0, c8_0); c8_1 = a8.fma(b1, c8_1);
            DoubleVector a9 = DoubleVector.broadcast(S, ap[aO + 9]);
            c9_0 = a9.fma(b0, c9_0); c9_1 = a9.fma(b1, c9_1);
            DoubleVector a10 = DoubleVector.broadcast(S, ap[aO + 10]);
            c10_0 = a10.fma(b0, c10_0); c10_1 = a10.fma(b1, c10_1);
            DoubleVector a11 = DoubleVector.broadcast(S, ap[aO + 11]);
            c11_0 = a11.fma(b0, c11_0); c11_1 = a11.fma(b1, c11_1);
            aO += 12;
            bO += 2 * LN;
        }
        if (acc) {
            c0_0.add(DoubleVector.fromArray(S, c, cO)).intoArray(c, cO);
            c0_1.add(DoubleVector.fromArray(S, c, cO + 1 * LN)).intoArray(c, cO + 1 * LN);
            c1_0.add(DoubleVector.fromArray(S, c, cO + 1 * ldc)).intoArray(c, cO + 1 * ldc);
            c1_1.add(DoubleVector.fromArray(S, c, cO + 1 * ldc + 1 * LN)).intoArray(c, cO + 1 * ldc + 1 * LN);
            c2_0.add(DoubleVector.fromArray(S, c, cO + 2 * ldc)).intoArray(c, cO + 2 * ldc);
            c2_1.add(DoubleVector.fromArray(S, c, cO + 2 * ldc + 1 * LN)).intoArray(c, cO + 2 * ldc + 1 * LN);
            c3_0.add(DoubleVector.fromArray(S, c, cO + 3 * ldc)).intoArray(c, cO + 3 * ldc);
            c3_1.add(DoubleVector.fromArray(S, c, cO + 3 * ldc + 1 * LN)).intoArray(c, cO + 3 * ldc + 1 * LN);
            c4_0.add(DoubleVector.fromArray(S, c, cO + 4 * ldc)).intoArray(c, cO + 4 * ldc);
            c4_1.add(DoubleVector.fromArray(S, c, cO + 4 * ldc + 1 * LN)).intoArray(c, cO + 4 * ldc + 1 * LN);
            c5_0.add(DoubleVector.fromArray(S, c, cO + 5 * ldc)).intoArray(c, cO + 5 * ldc);
            c5_1.add(DoubleVector.fromArray(S, c, cO + 5 * ldc + 1 * LN)).intoArray(c, cO + 5 * ldc + 1 * LN);
            c6_0.add(DoubleVector.fromArray(S, c, cO + 6 * ldc)).intoArray(c, cO + 6 * ldc);
            c6_1.add(DoubleVector.fromArray(S, c, cO + 6 * ldc + 1 * LN)).intoArray(c, cO + 6 * ldc + 1 * LN);
            c7_0.add(DoubleVector.fromArray(S, c, cO + 7 * ldc)).intoArray(c, cO + 7 * ldc);
            c7_1.add(DoubleVector.fromArray(S, c, cO + 7 * ldc + 1 * LN)).intoArray(c, cO + 7 * ldc + 1 * LN);
            c8_0.add(DoubleVector.fromArray(S, c, cO + 8 * ldc)).intoArray(c, cO + 8 * ldc);
            c8_1.add(DoubleVector.fromArray(S, c, cO + 8 * ldc + 1 * LN)).intoArray(c, cO + 8 * ldc + 1 * LN);
            c9_0.add(DoubleVector.fromArray(S, c, cO + 9 * ldc)).intoArray(c, cO + 9 * ldc);
            c9_1.add(DoubleVector.fromArray(S, c, cO + 9 * ldc + 1 * LN)).intoArray(c, cO + 9 * ldc + 1 * LN);
            c10_0.add(DoubleVector.fromArray(S, c, cO + 10 * ldc)).intoArray(c, cO + 10 * ldc);
            c10_1.add(DoubleVector.fromArray(S, c, cO + 10 * ldc + 1 * LN)).intoArray(c, cO + 10 * ldc + 1 * LN);
            c11_0.add(DoubleVector.fromArray(S, c, cO + 11 * ldc)).intoArray(c, cO + 11 * ldc);
            c11_1.add(DoubleVector.fromArray(S, c, cO + 11 * ldc + 1 * LN)).intoArray(c, cO + 11 * ldc + 1 * LN);
        } else {
            c0_0.intoArray(c, cO);
            c0_1.intoArray(c, cO + 1 * LN);
            c1_0.intoArray(c, cO + 1 * ldc);
            c1_1.intoArray(c, cO + 1 * ldc + 1 * LN);
            c2_0.intoArray(c, cO + 2 * ldc);
            c2_1.intoArray(c, cO + 2 * ldc + 1 * LN);
            c3_0.intoArray(c, cO + 3 * ldc);
            c3_1.intoArray(c, cO + 3 * ldc + 1 * LN);
            c4_0.intoArray(c, cO + 4 * ldc);
            c4_1.intoArray(c, cO + 4 * ldc + 1 * LN);
            c5_0.intoArray(c, cO + 5 * ldc);
            c5_1.intoArray(c, cO + 5 * ldc + 1 * LN);
            c6_0.intoArray(c, cO + 6 * ldc);
            c6_1.intoArray(c, cO + 6 * ldc + 1 * LN);
            c7_0.intoArray(c, cO + 7 * ldc);
            c7_1.intoArray(c, cO + 7 * ldc + 1 * LN);
            c8_0.intoArray(c, cO + 8 * ldc);
            c8_1.intoArray(c, cO + 8 * ldc + 1 * LN);
            c9_0.intoArray(c, cO + 9 * ldc);
            c9_1.intoArray(c, cO + 9 * ldc + 1 * LN);
            c10_0.intoArray(c, cO + 10 * ldc);
            c10_1.intoArray(c, cO + 10 * ldc + 1 * LN);
            c11_0.intoArray(c, cO + 11 * ldc);
            c11_1.intoArray(c, cO + 11 * ldc + 1 * LN);
        }
    }

    /** 12 x 2 vectors micro-kernel with A in place (rows aO + i·lda): C[12 x 2*LN] (+)= A[12 x kc] * Bp[kc x 2*LN]. */
    private static void kernel12x2A(int kc, double[] a, int aO, int lda, double[] bp, int bO,
                               double[] c, int cO, int ldc, boolean acc) {
        DoubleVector c0_0 = DoubleVector.zero(S); DoubleVector c0_1 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S); DoubleVector c1_1 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S); DoubleVector c2_1 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S); DoubleVector c3_1 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S); DoubleVector c4_1 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S); DoubleVector c5_1 = DoubleVector.zero(S);
        DoubleVector c6_0 = DoubleVector.zero(S); DoubleVector c6_1 = DoubleVector.zero(S);
        DoubleVector c7_0 = DoubleVector.zero(S); DoubleVector c7_1 = DoubleVector.zero(S);
        DoubleVector c8_0 = DoubleVector.zero(S); DoubleVector c8_1 = DoubleVector.zero(S);
        DoubleVector c9_0 = DoubleVector.zero(S); DoubleVector c9_1 = DoubleVector.zero(S);
        DoubleVector c10_0 = DoubleVector.zero(S); DoubleVector c10_1 = DoubleVector.zero(S);
        DoubleVector c11_0 = DoubleVector.zero(S); DoubleVector c11_1 = DoubleVector.zero(S);
        int r0 = aO, r1 = aO + lda, r2 = aO + 2 * lda, r3 = aO + 3 * lda, r4 = aO + 4 * lda, r5 = aO + 5 * lda;
        int r6 = aO + 6 * lda, r7 = aO + 7 * lda, r8 = aO + 8 * lda, r9 = aO + 9 * lda, r10 = aO + 10 * lda, r11 = aO + 11 * lda;
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bO);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bO + 1 * LN);
            DoubleVector a0 = DoubleVector.broadcast(S, a[r0 + p]);
            c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
            DoubleVector a1 = DoubleVector.broadcast(S, a[r1 + p]);
            c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
            DoubleVector a2 = DoubleVector.broadcast(S, a[r2 + p]);
            c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
            DoubleVector a3 = DoubleVector.broadcast(S, a[r3 + p]);
            c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
            DoubleVector a4 = DoubleVector.broadcast(S, a[r4 + p]);
            c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1);
            DoubleVector a5 = DoubleVector.broadcast(S, a[r5 + p]);
            c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1);
            DoubleVector a6 = DoubleVector.broadcast(S, a[r6 + p]);
            c6_0 = a6.fma(b0, c6_0); c6_1 = a6.fma(b1, c6_1);
            DoubleVector a7 = DoubleVector.broadcast(S, a[r7 + p]);
            c7_0 = a7.fma(b0, c7_0); c7_1 = a7.fma(b1, c7_1);
            DoubleVector a8 = DoubleVector.broadcast(S, a[r8 + p]);
            c8_0 = a8.fma(b0, c8_0); c8_1 = a8.fma(b1, c8_1);
            DoubleVector a9 = DoubleVector.broadcast(S, a[r9 + p]);
            c9_0 = a9.fma(b0, c9_0); c9_1 = a9.fma(b1, c9_1);
            DoubleVector a10 = DoubleVector.broadcast(S, a[r10 + p]);
            c10_0 = a10.fma(b0, c10_0); c10_1 = a10.fma(b1, c10_1);
            DoubleVector a11 = DoubleVector.broadcast(S, a[r11 + p]);
            c11_0 = a11.fma(b0, c11_0); c11_1 = a11.fma(b1, c11_1);
            bO += 2 * LN;
        }
        if (acc) {
            c0_0.add(DoubleVector.fromArray(S, c, cO)).intoArray(c, cO);
            c0_1.add(DoubleVector.fromArray(S, c, cO + 1 * LN)).intoArray(c, cO + 1 * LN);
            c1_0.add(DoubleVector.fromArray(S, c, cO + 1 * ldc)).intoArray(c, cO + 1 * ldc);
            c1_1.add(DoubleVector.fromArray(S, c, cO + 1 * ldc + 1 * LN)).intoArray(c, cO + 1 * ldc + 1 * LN);
            c2_0.add(DoubleVector.fromArray(S, c, cO + 2 * ldc)).intoArray(c, cO + 2 * ldc);
            c2_1.add(DoubleVector.fromArray(S, c, cO + 2 * ldc + 1 * LN)).intoArray(c, cO + 2 * ldc + 1 * LN);
            c3_0.add(DoubleVector.fromArray(S, c, cO + 3 * ldc)).intoArray(c, cO + 3 * ldc);
            c3_1.add(DoubleVector.fromArray(S, c, cO + 3 * ldc + 1 * LN)).intoArray(c, cO + 3 * ldc + 1 * LN);
            c4_0.add(DoubleVector.fromArray(S, c, cO + 4 * ldc)).intoArray(c, cO + 4 * ldc);
            c4_1.add(DoubleVector.fromArray(S, c, cO + 4 * ldc + 1 * LN)).intoArray(c, cO + 4 * ldc + 1 * LN);
            c5_0.add(DoubleVector.fromArray(S, c, cO + 5 * ldc)).intoArray(c, cO + 5 * ldc);
            c5_1.add(DoubleVector.fromArray(S, c, cO + 5 * ldc + 1 * LN)).intoArray(c, cO + 5 * ldc + 1 * LN);
            c6_0.add(DoubleVector.fromArray(S, c, cO + 6 * ldc)).intoArray(c, cO + 6 * ldc);
            c6_1.add(DoubleVector.fromArray(S, c, cO + 6 * ldc + 1 * LN)).intoArray(c, cO + 6 * ldc + 1 * LN);
            c7_0.add(DoubleVector.fromArray(S, c, cO + 7 * ldc)).intoArray(c, cO + 7 * ldc);
            c7_1.add(DoubleVector.fromArray(S, c, cO + 7 * ldc + 1 * LN)).intoArray(c, cO + 7 * ldc + 1 * LN);
            c8_0.add(DoubleVector.fromArray(S, c, cO + 8 * ldc)).intoArray(c, cO + 8 * ldc);
            c8_1.add(DoubleVector.fromArray(S, c, cO + 8 * ldc + 1 * LN)).intoArray(c, cO + 8 * ldc + 1 * LN);
            c9_0.add(DoubleVector.fromArray(S, c, cO + 9 * ldc)).intoArray(c, cO + 9 * ldc);
            c9_1.add(DoubleVector.fromArray(S, c, cO + 9 * ldc + 1 * LN)).intoArray(c, cO + 9 * ldc + 1 * LN);
            c10_0.add(DoubleVector.fromArray(S, c, cO + 10 * ldc)).intoArray(c, cO + 10 * ldc);
            c10_1.add(DoubleVector.fromArray(S, c, cO + 10 * ldc + 1 * LN)).intoArray(c, cO + 10 * ldc + 1 * LN);
            c11_0.add(DoubleVector.fromArray(S, c, cO + 11 * ldc)).intoArray(c, cO + 11 * ldc);
            c11_1.add(DoubleVector.fromArray(S, c, cO + 11 * ldc + 1 * LN)).intoArray(c, cO + 11 * ldc + 1 * LN);
        } else {
            c0_0.intoArray(c, cO);
            c0_1.intoArray(c, cO + 1 * LN);
            c1_0.intoArray(c, cO + 1 * ldc);
            c1_1.intoArray(c, cO + 1 * ldc + 1 * LN);
            c2_0.intoArray(c, cO + 2 * ldc);
            c2_1.intoArray(c, cO + 2 * ldc + 1 * LN);
            c3_0.intoArray(c, cO + 3 * ldc);
            c3_1.intoArray(c, cO + 3 * ldc + 1 * LN);
            c4_0.intoArray(c, cO + 4 * ldc);
            c4_1.intoArray(c, cO + 4 * ldc + 1 * LN);
            c5_0.intoArray(c, cO + 5 * ldc);
            c5_1.intoArray(c, cO + 5 * ldc + 1 * LN);
            c6_0.intoArray(c, cO + 6 * ldc);
            c6_1.intoArray(c, cO + 6 * ldc + 1 * LN);
            c7_0.intoArray(c, cO + 7 * ldc);
            c7_1.intoArray(c, cO + 7 * ldc + 1 * LN);
            c8_0.intoArray(c, cO + 8 * ldc);
            c8_1.intoArray(c, cO + 8 * ldc + 1 * LN);
            c9_0.intoArray(c, cO + 9 * ldc);
            c9_1.intoArray(c, cO + 9 * ldc + 1 * LN);
            c10_0.intoArray(c, cO + 10 * ldc);
            c10_1.intoArray(c, cO + 10 * ldc + 1 * LN);
            c11_0.intoArray(c, cO + 11 * ldc);
            c11_1.intoArray(c, cO + 11 * ldc + 1 * LN);
        }
    }


    /** 12 x 1 vectors micro-kernel: C[12 x 1*LN] (+)= Ap[12 x kc] * Bp[kc x 1*LN]. */
    private static void kernel12x1(int kc, double[] ap, int aO, double[] bp, int bO,
                               double[] c, int cO, int ldc, boolean acc) {
        DoubleVector c0_0 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S);
        DoubleVector c4_0 = DoubleVector.zero(S);
        DoubleVector c5_0 = DoubleVector.zero(S);
        DoubleVector c6_0 = DoubleVector.zero(S);
        DoubleVector c7_0 = DoubleVector.zero(S);
        DoubleVector c8_0 = DoubleVector.zero(S);
        DoubleVector c9_0 = DoubleVector.zero(S);
        DoubleVector c10_0 = DoubleVector.zero(S);
        DoubleVector c11_0 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bO);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[aO]);
            c0_0 = a0.fma(b0, c0_0);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[aO + 1]);
            c1_0 = a1.fma(b0, c1_0);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[aO + 2]);
            c2_0 = a2.fma(b0, c2_0);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[aO + 3]);
            c3_0 = a3.fma(b0, c3_0);
            DoubleVector a4 = DoubleVector.broadcast(S, ap[aO + 4]);
            c4_0 = a4.fma(b0, c4_0);
            DoubleVector a5 = DoubleVector.broadcast(S, ap[aO + 5]);
            c5_0 = a5.fma(b0, c5_0);
            DoubleVector a6 = DoubleVector.broadcast(S, ap[aO + 6]);
            c6_0 = a6.fma(b0, c6_0);
            DoubleVector a7 = DoubleVector.broadcast(S, ap[aO + 7]);
            c7_0 = a7.fma(b0, c7_0);
            DoubleVector a8 = DoubleVector.broadcast(S, ap[aO + 8]);
            c8_0 = a8.fma(b0, c8_0);
            DoubleVector a9 = DoubleVector.broadcast(S, ap[aO + 9]);
            c9_0 = a9.fma(b0, c9_0);
            DoubleVector a10 = DoubleVector.broadcast(S, ap[aO + 10]);
            c10_0 = a10.fma(b0, c10_0);
            DoubleVector a11 = DoubleVector.broadcast(S, ap[aO + 11]);
            c11_0 = a11.fma(b0, c11_0);
            aO += 12;
            bO += LN;
        }
        if (acc) {
            c0_0.add(DoubleVector.fromArray(S, c, cO)).intoArray(c, cO);
            c1_0.add(DoubleVector.fromArray(S, c, cO + 1 * ldc)).intoArray(c, cO + 1 * ldc);
            c2_0.add(DoubleVector.fromArray(S, c, cO + 2 * ldc)).intoArray(c, cO + 2 * ldc);
            c3_0.add(DoubleVector.fromArray(S, c, cO + 3 * ldc)).intoArray(c, cO + 3 * ldc);
            c4_0.add(DoubleVector.fromArray(S, c, cO + 4 * ldc)).intoArray(c, cO + 4 * ldc);
            c5_0.add(DoubleVector.fromArray(S, c, cO + 5 * ldc)).intoArray(c, cO + 5 * ldc);
            c6_0.add(DoubleVector.fromArray(S, c, cO + 6 * ldc)).intoArray(c, cO + 6 * ldc);
            c7_0.add(DoubleVector.fromArray(S, c, cO + 7 * ldc)).intoArray(c, cO + 7 * ldc);
            c8_0.add(DoubleVector.fromArray(S, c, cO + 8 * ldc)).intoArray(c, cO + 8 * ldc);
            c9_0.add(DoubleVector.fromArray(S, c, cO + 9 * ldc)).intoArray(c, cO + 9 * ldc);
            c10_0.add(DoubleVector.fromArray(S, c, cO + 10 * ldc)).intoArray(c, cO + 10 * ldc);
            c11_0.add(DoubleVector.fromArray(S, c, cO + 11 * ldc)).intoArray(c, cO + 11 * ldc);
        } else {
            c0_0.intoArray(c, cO);
            c1_0.intoArray(c, cO + 1 * ldc);
            c2_0.intoArray(c, cO + 2 * ldc);
            c3_0.intoArray(c, cO + 3 * ldc);
            c4_0.intoArray(c, cO + 4 * ldc);
            c5_0.intoArray(c, cO + 5 * ldc);
            c6_0.intoArray(c, cO + 6 * ldc);
            c7_0.intoArray(c, cO + 7 * ldc);
            c8_0.intoArray(c, cO + 8 * ldc);
            c9_0.intoArray(c, cO + 9 * ldc);
            c10_0.intoArray(c, cO + 10 * ldc);
            c11_0.intoArray(c, cO + 11 * ldc);
        }
    }

    /** 4 x 2 vectors micro-kernel: C[4 x 2*LN] (+)= Ap[4 x kc] * Bp[kc x 2*LN]. */
    private static void kernel4x2(int kc, double[] ap, int aO, double[] bp, int bO,
                               double[] c, int cO, int ldc, boolean acc) {
        DoubleVector c0_0 = DoubleVector.zero(S); DoubleVector c0_1 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S); DoubleVector c1_1 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S); DoubleVector c2_1 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S); DoubleVector c3_1 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bO);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bO + 1 * LN);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[aO]);
            c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[aO + 1]);
            c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[aO + 2]);
            c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[aO + 3]);
            c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
            aO += 4;
            bO += 2 * LN;
        }
        if (acc) {
            c0_0.add(DoubleVector.fromArray(S, c, cO)).intoArray(c, cO);
            c0_1.add(DoubleVector.fromArray(S, c, cO + 1 * LN)).intoArray(c, cO + 1 * LN);
            c1_0.add(DoubleVector.fromArray(S, c, cO + 1 * ldc)).intoArray(c, cO + 1 * ldc);
            c1_1.add(DoubleVector.fromArray(S, c, cO + 1 * ldc + 1 * LN)).intoArray(c, cO + 1 * ldc + 1 * LN);
            c2_0.add(DoubleVector.fromArray(S, c, cO + 2 * ldc)).intoArray(c, cO + 2 * ldc);
            c2_1.add(DoubleVector.fromArray(S, c, cO + 2 * ldc + 1 * LN)).intoArray(c, cO + 2 * ldc + 1 * LN);
            c3_0.add(DoubleVector.fromArray(S, c, cO + 3 * ldc)).intoArray(c, cO + 3 * ldc);
            c3_1.add(DoubleVector.fromArray(S, c, cO + 3 * ldc + 1 * LN)).intoArray(c, cO + 3 * ldc + 1 * LN);
        } else {
            c0_0.intoArray(c, cO);
            c0_1.intoArray(c, cO + 1 * LN);
            c1_0.intoArray(c, cO + 1 * ldc);
            c1_1.intoArray(c, cO + 1 * ldc + 1 * LN);
            c2_0.intoArray(c, cO + 2 * ldc);
            c2_1.intoArray(c, cO + 2 * ldc + 1 * LN);
            c3_0.intoArray(c, cO + 3 * ldc);
            c3_1.intoArray(c, cO + 3 * ldc + 1 * LN);
        }
    }


    /** 4 x 2 vectors micro-kernel with A in place (rows aO + i·lda): C[4 x 2*LN] (+)= A[4 x kc] * Bp[kc x 2*LN]. */
    private static void kernel4x2A(int kc, double[] a, int aO, int lda, double[] bp, int bO,
                               double[] c, int cO, int ldc, boolean acc) {
        DoubleVector c0_0 = DoubleVector.zero(S); DoubleVector c0_1 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S); DoubleVector c1_1 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S); DoubleVector c2_1 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S); DoubleVector c3_1 = DoubleVector.zero(S);
        int r0 = aO, r1 = aO + lda, r2 = aO + 2 * lda, r3 = aO + 3 * lda;
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bO);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bO + 1 * LN);
            DoubleVector a0 = DoubleVector.broadcast(S, a[r0 + p]);
            c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
            DoubleVector a1 = DoubleVector.broadcast(S, a[r1 + p]);
            c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
            DoubleVector a2 = DoubleVector.broadcast(S, a[r2 + p]);
            c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
            DoubleVector a3 = DoubleVector.broadcast(S, a[r3 + p]);
            c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
            bO += 2 * LN;
        }
        if (acc) {
            c0_0.add(DoubleVector.fromArray(S, c, cO)).intoArray(c, cO);
            c0_1.add(DoubleVector.fromArray(S, c, cO + 1 * LN)).intoArray(c, cO + 1 * LN);
            c1_0.add(DoubleVector.fromArray(S, c, cO + 1 * ldc)).intoArray(c, cO + 1 * ldc);
            c1_1.add(DoubleVector.fromArray(S, c, cO + 1 * ldc + 1 * LN)).intoArray(c, cO + 1 * ldc + 1 * LN);
            c2_0.add(DoubleVector.fromArray(S, c, cO + 2 * ldc)).intoArray(c, cO + 2 * ldc);
            c2_1.add(DoubleVector.fromArray(S, c, cO + 2 * ldc + 1 * LN)).intoArray(c, cO + 2 * ldc + 1 * LN);
            c3_0.add(DoubleVector.fromArray(S, c, cO + 3 * ldc)).intoArray(c, cO + 3 * ldc);
            c3_1.add(DoubleVector.fromArray(S, c, cO + 3 * ldc + 1 * LN)).intoArray(c, cO + 3 * ldc + 1 * LN);
        } else {
            c0_0.intoArray(c, cO);
            c0_1.intoArray(c, cO + 1 * LN);
            c1_0.intoArray(c, cO + 1 * ldc);
            c1_1.intoArray(c, cO + 1 * ldc + 1 * LN);
            c2_0.intoArray(c, cO + 2 * ldc);
            c2_1.intoArray(c, cO + 2 * ldc + 1 * LN);
            c3_0.intoArray(c, cO + 3 * ldc);
            c3_1.intoArray(c, cO + 3 * ldc + 1 * LN);
        }
    }

    /** 4 x 1 vectors micro-kernel: C[4 x 1*LN] (+)= Ap[4 x kc] * Bp[kc x 1*LN]. */
    private static void kernel4x1(int kc, double[] ap, int aO, double[] bp, int bO,
                               double[] c, int cO, int ldc, boolean acc) {
        DoubleVector c0_0 = DoubleVector.zero(S);
        DoubleVector c1_0 = DoubleVector.zero(S);
        DoubleVector c2_0 = DoubleVector.zero(S);
        DoubleVector c3_0 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bO);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[aO]);
            c0_0 = a0.fma(b0, c0_0);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[aO + 1]);
            c1_0 = a1.fma(b0, c1_0);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[aO + 2]);
            c2_0 = a2.fma(b0, c2_0);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[aO + 3]);
            c3_0 = a3.fma(b0, c3_0);
            aO += 4;
            bO += LN;
        }
        if (acc) {
            c0_0.add(DoubleVector.fromArray(S, c, cO)).intoArray(c, cO);
            c1_0.add(DoubleVector.fromArray(S, c, cO + 1 * ldc)).intoArray(c, cO + 1 * ldc);
            c2_0.add(DoubleVector.fromArray(S, c, cO + 2 * ldc)).intoArray(c, cO + 2 * ldc);
            c3_0.add(DoubleVector.fromArray(S, c, cO + 3 * ldc)).intoArray(c, cO + 3 * ldc);
        } else {
            c0_0.intoArray(c, cO);
            c1_0.intoArray(c, cO + 1 * ldc);
            c2_0.intoArray(c, cO + 2 * ldc);
            c3_0.intoArray(c, cO + 3 * ldc);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Unpacked path for small problems

    static void small(boolean transA, boolean transB, int m, int n, int k,
                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                      boolean acc, double[] c, int cOff, int ldc) {
        small(transA, transB, m, k, a, aOff, lda, b, bOff, ldb, acc, c, cOff, ldc, 0, n);
    }

    /** The unpacked path for columns {@code [j0, j1)} of C. */
    static void small(boolean transA, boolean transB, int m, int k,
                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                      boolean acc, double[] c, int cOff, int ldc, int j0, int j1) {
        int ais = transA ? 1 : lda, aps = transA ? lda : 1;
        if (!transB) {
            int i = 0;
            for (; i + 4 <= m; i += 4) smallRows4(aOff + i * ais, ais, aps, k, a, b, bOff, ldb, acc, c, cOff + i * ldc, ldc, j0, j1);
            for (; i < m; i++) smallRow(aOff + i * ais, aps, k, a, b, bOff, ldb, acc, c, cOff + i * ldc, j0, j1);
        } else if (!transA && k >= LN) {
            // Dot products of contiguous rows: C(i,j) = a[i, :] . b[j, :]
            int kv = k - k % LN;
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * lda, ci = cOff + i * ldc;
                for (int j = j0; j < j1; j++) {
                    int bj = bOff + j * ldb;
                    DoubleVector v = DoubleVector.zero(S);
                    int p = 0;
                    for (; p < kv; p += LN) {
                        v = DoubleVector.fromArray(S, a, ai + p).fma(DoubleVector.fromArray(S, b, bj + p), v);
                    }
                    double s = v.reduceLanes(VectorOperators.ADD);
                    for (; p < k; p++) s += a[ai + p] * b[bj + p];
                    c[ci + j] = acc ? c[ci + j] + s : s;
                }
            }
        } else {
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * ais, ci = cOff + i * ldc;
                for (int j = j0; j < j1; j++) {
                    int bj = bOff + j * ldb;
                    double s = 0;
                    for (int p = 0; p < k; p++) s += a[ai + p * aps] * b[bj + p];
                    c[ci + j] = acc ? c[ci + j] + s : s;
                }
            }
        }
    }

    /** Four rows of C, columns [j0, j1): c[r, j..] = sum_p A(r, p) * b[p, j..], B row-major k x n. */
    private static void smallRows4(int ai, int ais, int aps, int k, double[] a, double[] b, int bOff, int ldb,
                                   boolean acc, double[] c, int ci, int ldc, int j0, int j1) {
        int j = j0;
        for (; j + NR <= j1; j += NR) {
            DoubleVector v00 = DoubleVector.zero(S), v01 = DoubleVector.zero(S), v10 = DoubleVector.zero(S), v11 = DoubleVector.zero(S);
            DoubleVector v20 = DoubleVector.zero(S), v21 = DoubleVector.zero(S), v30 = DoubleVector.zero(S), v31 = DoubleVector.zero(S);
            for (int p = 0, bo = bOff + j, ao = ai; p < k; p++, bo += ldb, ao += aps) {
                DoubleVector b0 = DoubleVector.fromArray(S, b, bo), b1 = DoubleVector.fromArray(S, b, bo + LN);
                DoubleVector x = DoubleVector.broadcast(S, a[ao]);
                v00 = x.fma(b0, v00);
                v01 = x.fma(b1, v01);
                x = DoubleVector.broadcast(S, a[ao + ais]);
                v10 = x.fma(b0, v10);
                v11 = x.fma(b1, v11);
                x = DoubleVector.broadcast(S, a[ao + 2 * ais]);
                v20 = x.fma(b0, v20);
                v21 = x.fma(b1, v21);
                x = DoubleVector.broadcast(S, a[ao + 3 * ais]);
                v30 = x.fma(b0, v30);
                v31 = x.fma(b1, v31);
            }
            int o = ci + j;
            if (acc) {
                v00 = v00.add(DoubleVector.fromArray(S, c, o));
                v01 = v01.add(DoubleVector.fromArray(S, c, o + LN));
                v10 = v10.add(DoubleVector.fromArray(S, c, o + ldc));
                v11 = v11.add(DoubleVector.fromArray(S, c, o + ldc + LN));
                v20 = v20.add(DoubleVector.fromArray(S, c, o + 2 * ldc));
                v21 = v21.add(DoubleVector.fromArray(S, c, o + 2 * ldc + LN));
                v30 = v30.add(DoubleVector.fromArray(S, c, o + 3 * ldc));
                v31 = v31.add(DoubleVector.fromArray(S, c, o + 3 * ldc + LN));
            }
            v00.intoArray(c, o);
            v01.intoArray(c, o + LN);
            v10.intoArray(c, o + ldc);
            v11.intoArray(c, o + ldc + LN);
            v20.intoArray(c, o + 2 * ldc);
            v21.intoArray(c, o + 2 * ldc + LN);
            v30.intoArray(c, o + 3 * ldc);
            v31.intoArray(c, o + 3 * ldc + LN);
        }
        if (j < j1) {
            for (int r = 0; r < 4; r++) smallRow(ai + r * ais, aps, k, a, b, bOff, ldb, acc, c, ci + r * ldc, j, j1);
        }
    }

    /** One row of C, columns [j0, j1): c[j..] = sum_p A(p) * b[p, j..], B row-major k x n. */
    private static void smallRow(int ai, int aps, int k, double[] a, double[] b, int bOff, int ldb,
                                 boolean acc, double[] c, int ci, int j0, int j1) {
        int j = j0;
        // A single row has no row reuse to hide the FMA latency behind, so run eight independent chains:
        // four vectors of columns times two interleaved halves of the depth.
        for (; j + 4 * LN <= j1; j += 4 * LN) {
            DoubleVector v0 = DoubleVector.zero(S), v1 = DoubleVector.zero(S), v2 = DoubleVector.zero(S), v3 = DoubleVector.zero(S);
            DoubleVector w0 = DoubleVector.zero(S), w1 = DoubleVector.zero(S), w2 = DoubleVector.zero(S), w3 = DoubleVector.zero(S);
            int p = 0, bo = bOff + j, ao = ai;
            for (; p + 1 < k; p += 2, bo += 2 * ldb, ao += 2 * aps) {
                DoubleVector x = DoubleVector.broadcast(S, a[ao]), y = DoubleVector.broadcast(S, a[ao + aps]);
                int bo1 = bo + ldb;
                v0 = x.fma(DoubleVector.fromArray(S, b, bo), v0);
                v1 = x.fma(DoubleVector.fromArray(S, b, bo + LN), v1);
                v2 = x.fma(DoubleVector.fromArray(S, b, bo + 2 * LN), v2);
                v3 = x.fma(DoubleVector.fromArray(S, b, bo + 3 * LN), v3);
                w0 = y.fma(DoubleVector.fromArray(S, b, bo1), w0);
                w1 = y.fma(DoubleVector.fromArray(S, b, bo1 + LN), w1);
                w2 = y.fma(DoubleVector.fromArray(S, b, bo1 + 2 * LN), w2);
                w3 = y.fma(DoubleVector.fromArray(S, b, bo1 + 3 * LN), w3);
            }
            if (p < k) {
                DoubleVector x = DoubleVector.broadcast(S, a[ao]);
                v0 = x.fma(DoubleVector.fromArray(S, b, bo), v0);
                v1 = x.fma(DoubleVector.fromArray(S, b, bo + LN), v1);
                v2 = x.fma(DoubleVector.fromArray(S, b, bo + 2 * LN), v2);
                v3 = x.fma(DoubleVector.fromArray(S, b, bo + 3 * LN), v3);
            }
            v0 = v0.add(w0);
            v1 = v1.add(w1);
            v2 = v2.add(w2);
            v3 = v3.add(w3);
            if (acc) {
                v0 = v0.add(DoubleVector.fromArray(S, c, ci + j));
                v1 = v1.add(DoubleVector.fromArray(S, c, ci + j + LN));
                v2 = v2.add(DoubleVector.fromArray(S, c, ci + j + 2 * LN));
                v3 = v3.add(DoubleVector.fromArray(S, c, ci + j + 3 * LN));
            }
            v0.intoArray(c, ci + j);
            v1.intoArray(c, ci + j + LN);
            v2.intoArray(c, ci + j + 2 * LN);
            v3.intoArray(c, ci + j + 3 * LN);
        }
        for (; j + NR <= j1; j += NR) {
            DoubleVector v0 = DoubleVector.zero(S), v1 = DoubleVector.zero(S);
            for (int p = 0, bo = bOff + j, ao = ai; p < k; p++, bo += ldb, ao += aps) {
                DoubleVector x = DoubleVector.broadcast(S, a[ao]);
                v0 = x.fma(DoubleVector.fromArray(S, b, bo), v0);
                v1 = x.fma(DoubleVector.fromArray(S, b, bo + LN), v1);
            }
            if (acc) {
                v0 = v0.add(DoubleVector.fromArray(S, c, ci + j));
                v1 = v1.add(DoubleVector.fromArray(S, c, ci + j + LN));
            }
            v0.intoArray(c, ci + j);
            v1.intoArray(c, ci + j + LN);
        }
        for (; j + LN <= j1; j += LN) {
            DoubleVector v = DoubleVector.zero(S), u = DoubleVector.zero(S);
            int p = 0, bo = bOff + j, ao = ai;
            for (; p + 1 < k; p += 2, bo += 2 * ldb, ao += 2 * aps) {
                v = DoubleVector.broadcast(S, a[ao]).fma(DoubleVector.fromArray(S, b, bo), v);
                u = DoubleVector.broadcast(S, a[ao + aps]).fma(DoubleVector.fromArray(S, b, bo + ldb), u);
            }
            if (p < k) v = DoubleVector.broadcast(S, a[ao]).fma(DoubleVector.fromArray(S, b, bo), v);
            v = v.add(u);
            if (acc) v = v.add(DoubleVector.fromArray(S, c, ci + j));
            v.intoArray(c, ci + j);
        }
        if (j < j1) smallRowTail(ai, aps, k, a, b, bOff, ldb, acc, c, ci, j, j1);
    }

    /**
     * Columns [j, j1) of one row, fewer than LN. No masked loads or stores: a native image compiles those to a Java
     * fallback that allocates per vector and drags every vector operation of the method into it (one image through the
     * MNIST MLP's 100 x 10 output layer: about 300 allocations). Full-width loads while they stay inside the array (the
     * extra lanes are junk from the next row and are never stored), then the lanes go through {@code lanes} and the
     * last depths, whose full-width loads would leave the array, are added in scalar code.
     */
    private static void smallRowTail(int ai, int aps, int k, double[] a, double[] b, int bOff, int ldb,
                                     boolean acc, double[] c, int ci, int j, int j1) {
        int cols = j1 - j;
        int safe = clamp(Math.floorDiv(b.length - LN - bOff - j, ldb) + 1, 0, k);
        DoubleVector v = DoubleVector.zero(S);
        int p = 0, bo = bOff + j, ao = ai;
        for (; p < safe; p++, bo += ldb, ao += aps) {
            v = DoubleVector.broadcast(S, a[ao]).fma(DoubleVector.fromArray(S, b, bo), v);
        }
        double[] lanes = WORKSPACE.get().lanes;
        v.intoArray(lanes, 0);
        for (; p < k; p++, bo += ldb, ao += aps) {
            double x = a[ao];
            for (int jj = 0; jj < cols; jj++) lanes[jj] = Math.fma(x, b[bo + jj], lanes[jj]);
        }
        for (int jj = 0; jj < cols; jj++) c[ci + j + jj] = acc ? c[ci + j + jj] + lanes[jj] : lanes[jj];
    }

    /** Column chunks of the unpacked path, for short-and-wide problems on several threads. */
    private static final class SmallTask implements IntRangeBody {
        boolean transA, transB, acc;
        double[] a, b, c;
        int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;

        void set(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                 double[] b, int bOff, int ldb, boolean acc, double[] c, int cOff, int ldc) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.acc = acc;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
        }

        void clear() {
            a = b = c = null;
        }

        @Override
        public void run(int from, int to) {
            small(transA, transB, m, k, a, aOff, lda, b, bOff, ldb, acc, c, cOff, ldc, from * NR, Math.min(n, to * NR));
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Helpers

    private static void checkMatrix(String name, double[] x, int off, int rows, int cols, int ld) {
        if (x == null) throw new NullPointerException(name);
        if (ld < cols) throw new IllegalArgumentException(name + ": leading dimension " + ld + " < " + cols + " columns");
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IndexOutOfBoundsException(name + ": " + rows + "x" + cols + " (ld " + ld + ") at offset " + off
                    + " needs " + last + " elements, array has " + x.length);
        }
    }
}
