package tinynn.spark;

import java.io.Serializable;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;

/**
 * A tensor's elements as they travel between the driver and the executors, in the model's own precision: float[] for
 * an f32 model, double[] for an f64 one, so that an f64 run sums and averages in double as it would on one machine
 * (and an f32 run sends no more bytes than it needs). Exactly one of the two arrays is set.
 */
final class Values implements Serializable {
    private final float[] f32;
    private final double[] f64;

    private Values(float[] f32, double[] f64) {
        this.f32 = f32;
        this.f64 = f64;
    }

    /** A copy of the tensor's elements. */
    static Values of(Tensor t) { return scaled(t, 1); }

    /** A copy of the tensor's elements times {@code w} (in the tensor's precision; no multiplication when w is 1). */
    static Values scaled(Tensor t, double w) {
        if (t.isF32()) {
            float[] out = t.f32().clone();
            float fw = (float) w;
            if (fw != 1f) for (int i = 0; i < out.length; i++) out[i] *= fw;
            return new Values(out, null);
        }
        double[] out = t.f64().clone();
        if (w != 1) for (int i = 0; i < out.length; i++) out[i] *= w;
        return new Values(null, out);
    }

    /** As many zeros as {@code like} has elements, in its precision. */
    static Values zeros(Tensor like) {
        return like.isF32() ? new Values(new float[like.size()], null) : new Values(null, new double[like.size()]);
    }

    int size() { return f32 != null ? f32.length : f64.length; }

    /** Adds {@code other} (the same size and precision) into these values. */
    void add(Values other) {
        if ((f32 != null) != (other.f32 != null) || size() != other.size()) {
            throw new IllegalStateException("partitions returned arrays of different sizes or precisions (" + size() + " vs " + other.size() + ")");
        }
        if (f32 != null) {
            float[] y = other.f32;
            for (int i = 0; i < f32.length; i++) f32[i] += y[i];
        } else {
            double[] y = other.f64;
            for (int i = 0; i < f64.length; i++) f64[i] += y[i];
        }
    }

    /** Copies the values into {@code t}, which has this size and precision. */
    void into(Tensor t) {
        if (t.size() != size() || t.isF32() != (f32 != null)) {
            throw new IllegalStateException("cannot copy " + size() + (f32 != null ? " f32" : " f64") + " values into a " + t.dtype() + " tensor of "
                    + t.size() + " elements");
        }
        if (f32 != null) System.arraycopy(f32, 0, t.f32(), 0, f32.length);
        else System.arraycopy(f64, 0, t.f64(), 0, f64.length);
    }

    /** The values as a tensor of {@code shape}, without copying them. */
    Tensor wrap(Shape shape) { return f32 != null ? Tensor.wrap(shape, f32) : Tensor.wrap(shape, f64); }
}
