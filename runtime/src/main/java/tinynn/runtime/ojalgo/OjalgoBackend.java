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
