package tinynn.ops;

import java.util.List;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Op;
import tinynn.graph.Shape;

/** Repeats a tensor along size-1 (or missing leading) dimensions; the adjoint of SumTo. */
public record BroadcastTo(Shape target) implements Op {

    public String type() { return "broadcast_to"; }

    public Shape shape(List<Node> in) {
        Shape s = in.getFirst().shape();
        if (!target.equals(Shape.broadcast(s, target))) throw new GraphException("cannot broadcast " + s + " to " + target);
        return target;
    }

    public List<Node> vjp(Node self, Node g) { return List.of(Ops.sumTo(g, self.input(0).shape())); }

    public Map<String, Object> attrs() { return Map.of("shape", target.dims()); }
}
