package tinynn.runtime.ojalgo;

import org.ojalgo.OjAlgoUtils;
import org.ojalgo.machine.VirtualMachine;
import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;
import tinynn.ops.ConvGeometry;
import tinynn.runtime.ArrayBackend;
import tinynn.runtime.ConvDims;
import tinynn.runtime.Tensor;

/**
 * Matrix products through ojalgo's dense stores and its parallel multiply; everything else from
 * the plain loops. ojalgo is column-major, so a row-major m×n array wrapped as a store is the
 * transpose: C = op(A)·op(B) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ with no copies in the common case.
 */
public class OjalgoBackend extends ArrayBackend {

    /** ojalgo's environment before tinynn changed anything, so that a thread count can be raised again. */
    private static final VirtualMachine JVM_DEFAULT = OjAlgoUtils.ENVIRONMENT;

    /**
     * Sets the number of threads ojalgo uses, in the whole JVM ({@code OjAlgoUtils.ENVIRONMENT}: ojalgo has no
     * per-call setting), to {@code threads} capped at what ojalgo found at start. Unlike
     * {@code OjAlgoUtils.limitThreadsTo}, which only ever lowers it, a later call can raise it again.
     */
    public static synchronized void setJvmThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        int n = Math.min(threads, JVM_DEFAULT.threads);
        OjAlgoUtils.ENVIRONMENT = JVM_DEFAULT.limitBy(n / (double) JVM_DEFAULT.threads);
    }

    public String name() { return "ojalgo"; }

    public String describe() {
        return "ojalgo " + OjAlgoUtils.getVersion() + " (threads " + OjAlgoUtils.ENVIRONMENT.threads + ")";
    }

    @Override public void matmul(Tensor a, boolean ta, Tensor b, boolean tb, Tensor c) {
        int m = c.shape().dim(0), n = c.shape().dim(1);
        int k = ta ? a.shape().dim(0) : a.shape().dim(1);
        if (c.isF32()) {
            // op(B)ᵀ as an n×k column-major store: B's own array when not transposed.
            R032Store left = tb ? R032Store.wrap(transposed(b.f32(), n, k), n) : R032Store.wrap(b.f32(), n);
            R032Store right = ta ? R032Store.wrap(transposed(a.f32(), k, m), k) : R032Store.wrap(a.f32(), k);
            R032Store.wrap(c.f32(), n).fillByMultiplying(left, right);
        } else {
            R064Store left = tb ? R064Store.wrap(transposed(b.f64(), n, k), n) : R064Store.wrap(b.f64(), n);
            R064Store right = ta ? R064Store.wrap(transposed(a.f64(), k, m), k) : R064Store.wrap(a.f64(), k);
            R064Store.wrap(c.f64(), n).fillByMultiplying(left, right);
        }
    }

    // ---- convolution: im2col and ojalgo's multiply (see Im2col) ----

    @Override public void conv2d(Tensor x, Tensor w, ConvGeometry g, Tensor out) {
        Im2col.forward(this, x, w, out, ConvDims.of(x.shape(), w.shape(), out.shape(), g));
    }

    @Override public void conv2dGradInput(Tensor dy, Tensor w, ConvGeometry g, Tensor dx) {
        Im2col.gradInput(this, dy, w, dx, ConvDims.of(dx.shape(), w.shape(), dy.shape(), g));
    }

    @Override public void conv2dGradWeight(Tensor x, Tensor dy, ConvGeometry g, Tensor dw) {
        Im2col.gradWeight(this, x, dy, dw, ConvDims.of(x.shape(), dw.shape(), dy.shape(), g));
    }

    // ---- recurrences: RecurrenceLoops with ojalgo's multiply for the per-step products ----

    @Override protected tinynn.runtime.RecurrenceLoopsF64.Gemm recurrenceGemmF64() { return OjalgoBackend::stridedGemm; }

    @Override protected tinynn.runtime.RecurrenceLoopsF32.Gemm recurrenceGemmF32() { return OjalgoBackend::stridedGemm; }

    /**
     * C (=|+=) op(A)·op(B) on strided rows (a step's rows of the recurrence workspace): ojalgo multiplies whole dense
     * stores, so op(A) and op(B) are gathered into dense row-major arrays (W_hh, already one, is used as it is) and
     * the product scattered into C. This allocates per call, as ojalgo's wrappers do anyway.
     */
    static void stridedGemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            boolean accumulate, double[] c, int cOff, int ldc) {
        double[] left = dense(b, bOff, ldb, tb, k, n), right = dense(a, aOff, lda, ta, m, k), product = new double[m * n];
        R064Store.wrap(product, n).fillByMultiplying(R064Store.wrap(left, n), R064Store.wrap(right, k));
        for (int i = 0; i < m; i++) {
            for (int j = 0, at = cOff + i * ldc; j < n; j++, at++) c[at] = accumulate ? c[at] + product[i * n + j] : product[i * n + j];
        }
    }

    static void stridedGemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            boolean accumulate, float[] c, int cOff, int ldc) {
        float[] left = dense(b, bOff, ldb, tb, k, n), right = dense(a, aOff, lda, ta, m, k), product = new float[m * n];
        R032Store.wrap(product, n).fillByMultiplying(R032Store.wrap(left, n), R032Store.wrap(right, k));
        for (int i = 0; i < m; i++) {
            for (int j = 0, at = cOff + i * ldc; j < n; j++, at++) c[at] = accumulate ? c[at] + product[i * n + j] : product[i * n + j];
        }
    }

    /** op(X) as a dense row-major rows×cols array; X's element (r, s) is x[off + r·ld + s] (stored cols×rows when trans). */
    private static double[] dense(double[] x, int off, int ld, boolean trans, int rows, int cols) {
        if (!trans && off == 0 && ld == cols && x.length == rows * cols) return x;
        double[] d = new double[rows * cols];
        for (int r = 0; r < rows; r++) for (int s = 0; s < cols; s++) d[r * cols + s] = trans ? x[off + s * ld + r] : x[off + r * ld + s];
        return d;
    }

    private static float[] dense(float[] x, int off, int ld, boolean trans, int rows, int cols) {
        if (!trans && off == 0 && ld == cols && x.length == rows * cols) return x;
        float[] d = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int s = 0; s < cols; s++) d[r * cols + s] = trans ? x[off + s * ld + r] : x[off + r * ld + s];
        return d;
    }

    /** Row-major rows×cols → row-major cols×rows. */
    private static float[] transposed(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c];
        return t;
    }

    private static double[] transposed(double[] x, int rows, int cols) {
        double[] t = new double[x.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c];
        return t;
    }
}
