package tinynn.ops;

import java.util.List;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Op;
import tinynn.graph.Shape;

/** Swaps the two axes of a matrix. */
public record Transpose() implements Op {

    public String type() { return "transpose"; }

    public Shape shape(List<Node> in) {
        Shape s = in.getFirst().shape();
        if (s.rank() != 2) throw new GraphException("needs a 2-D input, got " + s);
        return Shape.of(s.dim(1), s.dim(0));
    }

    public List<Node> vjp(Node self, Node g) { return List.of(Ops.transpose(g)); }
}
