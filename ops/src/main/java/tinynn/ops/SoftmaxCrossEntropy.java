package tinynn.ops;

import java.util.List;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Op;
import tinynn.graph.Shape;

/**
 * Mean over the batch of -Σ y·log softmax(x), fused so the forward pass uses log-sum-exp and the
 * gradient is the article's closed form (softmax(x) − y) / N.
 */
public record SoftmaxCrossEntropy() implements Op {

    public String type() { return "softmax_cross_entropy"; }

    public Shape shape(List<Node> in) {
        Shape x = in.get(0).shape(), y = in.get(1).shape();
        if (x.rank() != 2) throw new GraphException("logits must be [batch, classes], got " + x);
        if (!x.equals(y)) throw new GraphException("logits " + x + " and targets " + y + " differ; targets must be one-hot [batch, classes]");
        return Shape.SCALAR;
    }

    public List<Node> vjp(Node self, Node g) {
        Node x = self.input(0), y = self.input(1);
        Node n = Ops.scalar(x, x.shape().dim(0));
        Node dx = Ops.mul(Ops.div(Ops.sub(Ops.softmax(x), y), n), g);
        Node dy = Ops.mul(Ops.div(Ops.neg(Ops.logSoftmax(x)), n), g);
        return List.of(dx, dy);
    }
}
