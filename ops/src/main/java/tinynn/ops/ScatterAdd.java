package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tinynn.graph.DType;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * The transpose of {@link Gather}: ids [...] and g [..., D] give [rows, D], row v the sum of the rows of g at
 * the positions whose id is v (zero for ids that do not occur). Gather's table gradient; its own gradient is
 * gather of the upstream gradient at the same ids.
 */
public record ScatterAdd(int rows) implements Primitive {

    public ScatterAdd {
        if (rows < 1) throw new GraphException("scatter_add: rows must be at least 1, got " + rows);
    }

    public String type() { return "scatter_add"; }

    public Shape shape(List<Node> in) {
        Shape ids = in.get(0).shape(), g = in.get(1).shape();
        if (g.rank() != ids.rank() + 1 || !Arrays.equals(Arrays.copyOf(g.dims(), ids.rank()), ids.dims())) {
            throw new GraphException("scatter_add: values " + g + " must be the ids' shape " + ids + " plus one axis of columns");
        }
        return Shape.of(rows, g.dim(-1));
    }

    /** The values' type, whatever float type the ids come in. */
    public DType dtype(List<Node> in) { return in.get(1).dtype(); }

    public List<Node> vjp(Node self, Node g) { return Arrays.asList(null, Ops.gather(g, self.input(0))); }

    public Map<String, Object> attrs() { return Map.of("rows", rows); }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] ids = in[0], g = in[1];
        int d = out.dim(1);
        double[] r = new double[out.elements()];
        for (int p = 0; p < ids.length; p++) {
            int o = Gather.row(ids[p], rows) * d;
            for (int j = 0; j < d; j++) r[o + j] += g[p * d + j];
        }
        return r;
    }
}
