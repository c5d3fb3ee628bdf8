package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/** Sum over the given axes (sorted, non-negative), keeping them as size 1 when keepDims. */
public record Sum(int[] axes, boolean keepDims) implements Primitive {

    public String type() { return "sum"; }

    public Shape shape(List<Node> in) { return Axes.reduce(in.getFirst().shape(), axes, keepDims); }

    public List<Node> vjp(Node self, Node g) {
        Shape x = self.input(0).shape();
        Node kept = keepDims ? g : Ops.reshape(g, Axes.reduce(x, axes, true));
        return List.of(Ops.broadcastTo(kept, x));
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        int[] index = Reference.broadcastIndex(shapes[0], Axes.reduce(shapes[0], axes, true));
        double[] r = new double[out.elements()];
        for (int i = 0; i < index.length; i++) r[index[i]] += in[0][i];
        return r;
    }

    public Map<String, Object> attrs() { return Map.of("axes", axes.clone(), "keep_dims", keepDims); }

    @Override public boolean equals(Object o) { return o instanceof Sum s && Arrays.equals(axes, s.axes) && keepDims == s.keepDims; }

    @Override public int hashCode() { return Arrays.hashCode(axes) * 31 + Boolean.hashCode(keepDims); }

    @Override public String toString() { return "Sum" + Arrays.toString(axes) + (keepDims ? " keep" : ""); }

    /** Axis bookkeeping shared by the reductions. */
    static final class Axes {
        private Axes() {}

        static int[] normalize(Shape s, int... axes) {
            boolean[] seen = new boolean[s.rank()];
            for (int a : axes) {
                int k = a < 0 ? a + s.rank() : a;
                if (k < 0 || k >= s.rank()) throw new GraphException("axis " + a + " out of range for shape " + s);
                seen[k] = true;
            }
            int n = 0;
            for (boolean b : seen) if (b) n++;
            int[] out = new int[n];
            for (int i = 0, j = 0; i < seen.length; i++) if (seen[i]) out[j++] = i;
            return out;
        }

        static Shape reduce(Shape s, int[] axes, boolean keepDims) {
            int[] d = s.dims();
            int[] out = new int[keepDims ? d.length : d.length - axes.length];
            for (int i = 0, j = 0; i < d.length; i++) {
                boolean reduced = Arrays.binarySearch(axes, i) >= 0;
                if (!reduced) out[j++] = d[i];
                else if (keepDims) out[j++] = 1;
            }
            return new Shape(out);
        }
    }
}
