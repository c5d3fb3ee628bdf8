package tinynn.ops;

import java.util.List;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/** Swaps the two axes of a matrix. */
public record Transpose() implements Primitive {

    public String type() { return "transpose"; }

    public Shape shape(List<Node> in) {
        Shape s = in.getFirst().shape();
        if (s.rank() != 2) throw new GraphException("needs a 2-D input, got " + s);
        return Shape.of(s.dim(1), s.dim(0));
    }

    public List<Node> vjp(Node self, Node g) { return List.of(Ops.transpose(g)); }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        int rows = shapes[0].dim(0), cols = shapes[0].dim(1);
        double[] r = new double[in[0].length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) r[j * rows + i] = in[0][i * cols + j];
        return r;
    }
}
