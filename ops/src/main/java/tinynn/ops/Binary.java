package tinynn.ops;

import java.util.List;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Op;
import tinynn.graph.Shape;

/** Elementwise arithmetic with numpy broadcasting; gradients are summed back to each input's shape. */
public record Binary(Kind kind) implements Op {

    public enum Kind { ADD, SUB, MUL, DIV }

    public String type() { return kind.name().toLowerCase(); }

    public Shape shape(List<Node> in) {
        Shape s = Shape.broadcast(in.get(0).shape(), in.get(1).shape());
        if (s == null) throw new GraphException("shapes " + in.get(0).shape() + " and " + in.get(1).shape() + " do not broadcast");
        return s;
    }

    public List<Node> vjp(Node self, Node g) {
        Node a = self.input(0), b = self.input(1);
        return switch (kind) {
            case ADD -> List.of(Ops.sumTo(g, a.shape()), Ops.sumTo(g, b.shape()));
            case SUB -> List.of(Ops.sumTo(g, a.shape()), Ops.sumTo(Ops.neg(g), b.shape()));
            case MUL -> List.of(Ops.sumTo(Ops.mul(g, b), a.shape()), Ops.sumTo(Ops.mul(g, a), b.shape()));
            case DIV -> List.of(Ops.sumTo(Ops.div(g, b), a.shape()),
                    Ops.sumTo(Ops.neg(Ops.div(Ops.mul(g, self), b)), b.shape()));
        };
    }
}
