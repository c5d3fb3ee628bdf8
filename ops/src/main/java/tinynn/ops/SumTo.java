package tinynn.ops;

import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/** Sums a broadcast tensor back down to the shape it was broadcast from; the adjoint of BroadcastTo. */
public record SumTo(Shape target) implements Primitive {

    public String type() { return "sum_to"; }

    public Shape shape(List<Node> in) {
        Shape s = in.getFirst().shape();
        if (!s.equals(Shape.broadcast(s, target))) throw new GraphException("cannot sum " + s + " down to " + target);
        return target;
    }

    public List<Node> vjp(Node self, Node g) { return List.of(Ops.broadcastTo(g, self.input(0).shape())); }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        int[] index = Reference.broadcastIndex(shapes[0], out);
        double[] r = new double[out.elements()];
        for (int i = 0; i < index.length; i++) r[index[i]] += in[0][i];
        return r;
    }

    public Map<String, Object> attrs() { return Map.of("shape", target.dims()); }
}
