package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * For each max-pooling window of x, the element of v (shaped like x) where x's window takes its maximum: the
 * transpose of {@link MaxPool2dGrad}, so it appears when max pooling is differentiated twice. max_pool2d(x) is
 * max_pool2d_gather(x, x). Linear in v; x only selects.
 */
public record MaxPool2dGather(PoolWindow window) implements Primitive {

    public String type() { return "max_pool2d_gather"; }

    public Shape shape(List<Node> in) {
        Shape x = in.get(0).shape(), v = in.get(1).shape();
        if (!x.equals(v)) throw new GraphException("values " + v + " must have the pooled image's shape " + x);
        return window.output(x);
    }

    public List<Node> vjp(Node self, Node g) { return Arrays.asList(null, Ops.maxPool2dGrad(self.input(0), g, window)); }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] v = in[1], r = new double[out.elements()];
        MaxPool2d.forEachWindow(window, shapes[0], out, (o, argmax) -> r[o] = v[argmax], in[0]);
        return r;
    }

    public Map<String, Object> attrs() { return MaxPool2d.attrs(window); }
}
