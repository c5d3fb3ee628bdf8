package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * Max pooling's backward pass as one op: inputs x (the pooled image) and g (the gradient of the pooled output);
 * each g goes to the element its window took from x (see {@link MaxPool2d}), summed where windows overlap, zero
 * elsewhere. Linear in g: its transpose is {@link MaxPool2dGather}; x only selects, so it gets no gradient.
 */
public record MaxPool2dGrad(PoolWindow window) implements Primitive {

    public String type() { return "max_pool2d_grad"; }

    public Shape shape(List<Node> in) {
        Shape x = in.get(0).shape(), g = in.get(1).shape();
        Shape pooled = window.output(x);
        if (!pooled.equals(g)) throw new GraphException("gradient " + g + " does not match the pooled shape " + pooled + " of " + x);
        return x;
    }

    public List<Node> vjp(Node self, Node g) { return Arrays.asList(null, Ops.maxPool2dGather(self.input(0), g, window)); }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] g = in[1], r = new double[out.elements()];
        MaxPool2d.forEachWindow(window, shapes[0], shapes[1], (o, argmax) -> r[argmax] += g[o], in[0]);
        return r;
    }

    public Map<String, Object> attrs() { return MaxPool2d.attrs(window); }
}
