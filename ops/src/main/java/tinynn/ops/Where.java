package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/** cond != 0 ? a : b, elementwise over three tensors of one shape. */
public record Where() implements Primitive {

    public String type() { return "where"; }

    public Shape shape(List<Node> in) {
        Shape s = in.get(0).shape();
        if (!s.equals(in.get(1).shape()) || !s.equals(in.get(2).shape())) {
            throw new GraphException("condition and branches must share a shape, got " + s + ", " + in.get(1).shape() + ", " + in.get(2).shape());
        }
        return s;
    }

    public List<Node> vjp(Node self, Node g) {
        Node c = self.input(0);
        Node zero = Ops.zerosLike(g);
        return Arrays.asList(null, Ops.where(c, g, zero), Ops.where(c, zero, g));
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] r = new double[in[0].length];
        for (int i = 0; i < r.length; i++) r[i] = in[0][i] != 0 ? in[1][i] : in[2][i];
        return r;
    }
}
