package tinynn.ops;

import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/** Repeats a tensor along size-1 (or missing leading) dimensions; the adjoint of SumTo. */
public record BroadcastTo(Shape target) implements Primitive {

    public String type() { return "broadcast_to"; }

    public Shape shape(List<Node> in) {
        Shape s = in.getFirst().shape();
        if (!target.equals(Shape.broadcast(s, target))) throw new GraphException("cannot broadcast " + s + " to " + target);
        return target;
    }

    public List<Node> vjp(Node self, Node g) { return List.of(Ops.sumTo(g, self.input(0).shape())); }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        int[] index = Reference.broadcastIndex(out, shapes[0]);
        double[] r = new double[index.length];
        for (int i = 0; i < r.length; i++) r[i] = in[0][index[i]];
        return r;
    }

    public Map<String, Object> attrs() { return Map.of("shape", target.dims()); }
}
