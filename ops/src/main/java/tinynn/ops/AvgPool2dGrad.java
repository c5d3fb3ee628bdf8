package tinynn.ops;

import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * Average pooling's backward pass as one op: each window's g spread evenly back over the inputs it averaged (the
 * transpose of {@link AvgPool2d}), summed where windows overlap, zero on rows and columns no window covers. The
 * image's height and width are attributes, since floor mode cannot recover them from g.
 */
public record AvgPool2dGrad(PoolWindow window, boolean countIncludePad, int height, int width) implements Primitive {

    public String type() { return "avg_pool2d_grad"; }

    public Shape shape(List<Node> in) {
        Shape g = in.getFirst().shape();
        if (g.rank() != 4) throw new GraphException("needs an NCHW gradient, got " + g);
        Shape x = Shape.of(g.dim(0), g.dim(1), height, width);
        Shape pooled = window.output(x);
        if (!pooled.equals(g)) throw new GraphException("gradient " + g + " does not match the pooled shape " + pooled + " of " + x);
        return x;
    }

    public List<Node> vjp(Node self, Node g) { return List.of(Ops.avgPool2d(g, window, countIncludePad)); }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] g = in[0], r = new double[out.elements()];
        AvgPool2d.forEachWindow(window, countIncludePad, out, shapes[0], (o, k, weight) -> r[k] += weight * g[o]);
        return r;
    }

    public Map<String, Object> attrs() {
        Map<String, Object> a = AvgPool2d.attrs(window, countIncludePad);
        a.put("height", height);
        a.put("width", width);
        return a;
    }
}
