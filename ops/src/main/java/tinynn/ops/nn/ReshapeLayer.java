package tinynn.ops.nn;

import java.util.Arrays;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Ops;

/**
 * The spec's {@code reshape {shape}} layer: each example (the batch dimension stays) to {@code shape}, as
 * Keras' Reshape; one entry may be -1 and is inferred from the example's size. A view, so its gradient is
 * the inverse reshape ({@link tinynn.ops.Reshape}).
 */
public record ReshapeLayer(int[] shape) implements Layer {

    /** Checks the target once, so every error about it arrives when the spec is read, not at the first batch. */
    public ReshapeLayer {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("reshape needs attribute 'shape', the target without the batch dimension, e.g. ints [1, 28, 28]");
        }
        shape = shape.clone();
        int inferred = 0;
        for (int d : shape) {
            if (d == -1) inferred++;
            else if (d < 1) throw new IllegalArgumentException("reshape: shape " + Arrays.toString(shape) + " has " + d + "; sizes are positive, or -1 once");
        }
        if (inferred > 1) throw new IllegalArgumentException("reshape: shape " + Arrays.toString(shape) + " has " + inferred + " entries -1; at most one may be inferred");
    }

    public String type() { return "reshape"; }

    public Node build(Node x, String name) {
        Shape s = x.shape();
        if (s.rank() < 1) throw new GraphException("layer '" + name + "': reshape needs [batch, ...] input, got a scalar");
        long per = s.size() / Math.max(1, s.dim(0));
        long known = 1;
        int free = -1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) free = i;
            else known *= shape[i];
        }
        int[] dims = new int[shape.length + 1];
        dims[0] = s.dim(0);
        System.arraycopy(shape, 0, dims, 1, shape.length);
        if (free >= 0 ? per % known != 0 : per != known) {
            throw new GraphException("layer '" + name + "': reshape cannot turn " + s + " (" + per + " elements per example) into "
                    + Arrays.toString(shape) + " (" + (free >= 0 ? "a multiple of " : "") + known + "); fix its 'shape'");
        }
        if (free >= 0) dims[free + 1] = (int) (per / known);
        return x.graph().scoped(name, () -> Ops.reshape(x, Shape.of(dims)));
    }

    /** The shape as given, -1 included, so a saved layer rebuilds to the same rule. */
    public Map<String, Object> attrs() { return Map.of("shape", shape.clone()); }

    @Override public boolean equals(Object o) { return o instanceof ReshapeLayer r && Arrays.equals(shape, r.shape); }

    @Override public int hashCode() { return Arrays.hashCode(shape); }

    @Override public String toString() { return "ReshapeLayer" + Arrays.toString(shape); }
}
