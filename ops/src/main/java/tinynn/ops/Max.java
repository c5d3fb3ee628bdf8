package tinynn.ops;

import java.util.List;
import java.util.Map;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/** Maximum along one axis; ties share the gradient equally. */
public record Max(int axis, boolean keepDims) implements Primitive {

    public String type() { return "max"; }

    public Shape shape(List<Node> in) { return Sum.Axes.reduce(in.getFirst().shape(), new int[] {axis}, keepDims); }

    public List<Node> vjp(Node self, Node g) {
        Node x = self.input(0);
        Shape kept = Sum.Axes.reduce(x.shape(), new int[] {axis}, true);
        Node mask = Ops.equal(x, Ops.broadcastTo(Ops.reshape(self, kept), x.shape()));
        Node count = Ops.sum(mask, true, axis);
        Node share = Ops.div(Ops.reshape(g, kept), count);
        return List.of(Ops.mul(mask, Ops.broadcastTo(share, x.shape())));
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        int[] index = Reference.broadcastIndex(shapes[0], Sum.Axes.reduce(shapes[0], new int[] {axis}, true));
        double[] r = new double[out.elements()];
        java.util.Arrays.fill(r, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < index.length; i++) r[index[i]] = Math.max(r[index[i]], in[0][i]);
        return r;
    }

    public Map<String, Object> attrs() { return Map.of("axis", axis, "keep_dims", keepDims); }
}
