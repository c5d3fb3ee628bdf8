package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * The ReLU's backward pass as one op: g where the ReLU's output y is positive, else 0. Linear in g,
 * so its own gradient is relu_grad again; y only selects, so it gets none.
 */
public record ReluGrad() implements Primitive {

    public String type() { return "relu_grad"; }

    public Shape shape(List<Node> in) {
        Shape g = in.get(0).shape(), y = in.get(1).shape();
        if (!g.equals(y)) throw new GraphException("gradient " + g + " and ReLU output " + y + " must share a shape");
        return g;
    }

    public List<Node> vjp(Node self, Node g) { return Arrays.asList(Ops.reluGrad(g, self.input(1)), null); }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] g = in[0], y = in[1], r = new double[g.length];
        for (int i = 0; i < r.length; i++) r[i] = y[i] > 0 ? g[i] : 0;
        return r;
    }
}
