package tinynn.graph;

import java.util.Collections;
import java.util.List;

/** Sum of same-shaped tensors; autodiff uses it where a value fans out to several consumers. */
public record AddN() implements Op {

    public String type() { return "add_n"; }

    public Shape shape(List<Node> inputs) {
        Shape s = inputs.getFirst().shape();
        for (Node n : inputs) {
            if (!n.shape().equals(s)) throw new GraphException("add_n: shapes differ: " + s + " and " + n.shape());
        }
        return s;
    }

    public List<Node> vjp(Node self, Node grad) { return Collections.nCopies(self.inputs().size(), grad); }
}
