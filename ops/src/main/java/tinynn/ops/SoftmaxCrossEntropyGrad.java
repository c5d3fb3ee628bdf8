package tinynn.ops;

import java.util.List;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * The softmax-cross-entropy gradient with respect to the logits as one op: (softmax(x) − y) · g / N
 * for logits x, targets y and the scalar upstream gradient g, the article's closed form.
 */
public record SoftmaxCrossEntropyGrad() implements Primitive {

    public String type() { return "softmax_cross_entropy_grad"; }

    public Shape shape(List<Node> in) {
        Shape x = in.get(0).shape(), y = in.get(1).shape(), g = in.get(2).shape();
        if (x.rank() != 2 || !x.equals(y)) throw new GraphException("logits " + x + " and targets " + y + " must both be [batch, classes]");
        if (g.rank() != 0) throw new GraphException("the upstream gradient must be a scalar, got " + g);
        return x;
    }

    public List<Node> vjp(Node self, Node grad) {
        Node x = self.input(0), y = self.input(1), g = self.input(2);
        Node p = Ops.softmax(x);
        Node scale = Ops.div(g, Ops.scalar(x, x.shape().dim(0)));
        // Through softmax: p ⊙ (G − Σ G⊙p) per row; the targets enter linearly, the scale as a factor.
        Node dx = Ops.mul(Ops.mul(p, Ops.sub(grad, Ops.sum(Ops.mul(grad, p), true, -1))), scale);
        Node dy = Ops.neg(Ops.mul(grad, scale));
        Node dg = Ops.div(Ops.sumAll(Ops.mul(grad, Ops.sub(p, y))), Ops.scalar(x, x.shape().dim(0)));
        return List.of(dx, dy, dg);
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] p = Reference.softmaxRows(in[0], out.dim(1)), y = in[1];
        double scale = in[2][0] / out.dim(0);
        for (int i = 0; i < p.length; i++) p[i] = (p[i] - y[i]) * scale;
        return p;
    }
}
