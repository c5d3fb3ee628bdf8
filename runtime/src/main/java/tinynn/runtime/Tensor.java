package tinynn.runtime;

import java.util.Arrays;
import tinynn.graph.DType;
import tinynn.graph.Shape;

/**
 * A dense row-major tensor backed by exactly one of a float[] (F32) or double[] (F64). Kernels
 * read the arrays directly; get/set serve the generic, slower paths.
 */
public final class Tensor {
    private final Shape shape;
    private final DType dtype;
    private final float[] f32;
    private final double[] f64;

    private Tensor(Shape shape, DType dtype, float[] f32, double[] f64) {
        this.shape = shape;
        this.dtype = dtype;
        this.f32 = f32;
        this.f64 = f64;
    }

    public static Tensor zeros(DType dtype, Shape shape) {
        int n = shape.elements();
        return dtype == DType.F32 ? new Tensor(shape, dtype, new float[n], null) : new Tensor(shape, dtype, null, new double[n]);
    }

    /** Wraps (does not copy) an array; its length must match the shape. */
    public static Tensor wrap(Shape shape, float[] data) {
        check(shape, data.length);
        return new Tensor(shape, DType.F32, data, null);
    }

    public static Tensor wrap(Shape shape, double[] data) {
        check(shape, data.length);
        return new Tensor(shape, DType.F64, null, data);
    }

    /** A tensor of the given dtype holding these values, converted. */
    public static Tensor of(DType dtype, Shape shape, double... values) {
        Tensor t = zeros(dtype, shape);
        check(shape, values.length);
        for (int i = 0; i < values.length; i++) t.set(i, values[i]);
        return t;
    }

    private static void check(Shape shape, int length) {
        if (shape.size() != length) throw new IllegalArgumentException("shape " + shape + " needs " + shape.size() + " values, got " + length);
    }

    /** The same elements under another shape of equal size; shares the array. */
    public Tensor view(Shape other) {
        check(other, size());
        return new Tensor(other, dtype, f32, f64);
    }

    public Shape shape() { return shape; }
    public DType dtype() { return dtype; }
    public int size() { return f32 != null ? f32.length : f64.length; }

    public float[] f32() {
        if (f32 == null) throw new IllegalStateException("tensor " + shape + " is F64, not F32");
        return f32;
    }

    public double[] f64() {
        if (f64 == null) throw new IllegalStateException("tensor " + shape + " is F32, not F64");
        return f64;
    }

    /** True when backed by float[] (F32). */
    public boolean isF32() { return f32 != null; }

    public double get(int i) { return f32 != null ? f32[i] : f64[i]; }

    public void set(int i, double v) {
        if (f32 != null) f32[i] = (float) v;
        else f64[i] = v;
    }

    public double item() {
        if (size() != 1) throw new IllegalStateException("item() needs a one-element tensor, got " + shape);
        return get(0);
    }

    public double[] toDoubles() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) out[i] = get(i);
        return out;
    }

    /** Copies values from a tensor of the same size (any dtype). */
    public void copyFrom(Tensor src) {
        if (src.size() != size()) throw new IllegalArgumentException("cannot copy " + src.shape + " into " + shape);
        if (f32 != null && src.f32 != null) System.arraycopy(src.f32, 0, f32, 0, f32.length);
        else if (f64 != null && src.f64 != null) System.arraycopy(src.f64, 0, f64, 0, f64.length);
        else for (int i = 0; i < size(); i++) set(i, src.get(i));
    }

    public Tensor copy() {
        Tensor t = zeros(dtype, shape);
        t.copyFrom(this);
        return t;
    }

    /** Index of the largest value in each row of a [rows, cols] tensor. */
    public int[] argmaxRows() {
        int rows = shape.dim(0);
        return argmax(rows, shape.elements() / Math.max(1, rows));
    }

    /**
     * Index of the largest value along the last axis at every position: [N, C] gives N indices (as
     * {@link #argmaxRows}), [N, T, C] gives N·T, row-major; the first on ties.
     */
    public int[] argmaxLastAxis() {
        int cols = shape.rank() == 0 ? 1 : shape.dim(-1);
        return argmax(shape.elements() / Math.max(1, cols), cols);
    }

    private int[] argmax(int rows, int cols) {
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < cols; c++) if (get(r * cols + c) > get(r * cols + best)) best = c;
            out[r] = best;
        }
        return out;
    }

    @Override public String toString() {
        double[] v = toDoubles();
        return dtype + shape.toString() + (v.length <= 16 ? Arrays.toString(v) : "");
    }
}
