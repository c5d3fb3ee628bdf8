package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import tinynn.graph.DType;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * Rows of a table picked by integer ids: table [V, D] and ids [...] (floats holding integers in [0, V)) give
 * [..., D], row ids[p] of the table at position p. An embedding lookup. The gradient with respect to the table
 * adds each position's gradient row into the row it read ({@link ScatterAdd}), so repeated ids accumulate and no
 * one-hot [positions, V] matrix is ever built; ids only select and get no gradient.
 */
public record Gather() implements Primitive {

    public String type() { return "gather"; }

    public Shape shape(List<Node> in) {
        Shape table = in.get(0).shape(), ids = in.get(1).shape();
        if (table.rank() != 2) throw new GraphException("gather: the table must be [rows, columns], got " + table);
        int[] out = Arrays.copyOf(ids.dims(), ids.rank() + 1);
        out[ids.rank()] = table.dim(1);
        return Shape.of(out);
    }

    /** The table's type: ids may be fed in either float type (both hold integers below 2^24 exactly). */
    public DType dtype(List<Node> in) { return in.get(0).dtype(); }

    public List<Node> vjp(Node self, Node g) {
        Node table = self.input(0), ids = self.input(1);
        return Arrays.asList(Ops.scatterAdd(ids, g, table.shape().dim(0)), null);
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] table = in[0], ids = in[1];
        int rows = shapes[0].dim(0), d = shapes[0].dim(1);
        double[] r = new double[out.elements()];
        for (int p = 0; p < ids.length; p++) System.arraycopy(table, row(ids[p], rows) * d, r, p * d, d);
        return r;
    }

    /**
     * The row an id names, checked: every kernel of gather and scatter_add goes through this, so a bad id is the
     * same one-line error on every backend instead of a wrong row or an index exception.
     */
    public static int row(double id, int rows) {
        if (!(id >= 0 && id < rows) || id != Math.rint(id)) {
            throw new IllegalArgumentException("gather: id " + (id == Math.rint(id) && Math.abs(id) < 1e15 ? String.valueOf((long) id) : String.valueOf(id))
                    + " is not an integer in [0, " + rows + "): ids must index the table's V = " + rows
                    + " rows (for an embedding, a token id below its vocab)");
        }
        return (int) id;
    }
}
