package tinynn.ops;

import java.util.List;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * Mean over the batch of -Σ y·log softmax(x), fused so the forward pass uses log-sum-exp and the
 * gradient is the article's closed form (softmax(x) − y) / N.
 */
public record SoftmaxCrossEntropy() implements Primitive {

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
        Node dy = Ops.mul(Ops.div(Ops.neg(Ops.logSoftmax(x)), n), g);
        return List.of(Ops.softmaxCrossEntropyGrad(x, y, g), dy);
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] x = in[0], y = in[1];
        int rows = shapes[0].dim(0), cols = shapes[0].dim(1);
        double total = 0;
        for (int o = 0; o < x.length; o += cols) {
            double m = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < cols; c++) m = Math.max(m, x[o + c]);
            for (int c = 0; c < cols; c++) sum += Math.exp(x[o + c] - m);
            double lse = m + Math.log(sum);
            for (int c = 0; c < cols; c++) if (y[o + c] != 0) total -= y[o + c] * (x[o + c] - lse);
        }
        return new double[] {total / rows};
    }
}
