package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/** 1 where a == b, else 0 (broadcasting); a comparison, so it passes no gradient. */
public record Equal() implements Primitive {

    public String type() { return "equal"; }

    public Shape shape(List<Node> in) {
        Shape s = Shape.broadcast(in.get(0).shape(), in.get(1).shape());
        if (s == null) throw new GraphException("shapes " + in.get(0).shape() + " and " + in.get(1).shape() + " do not broadcast");
        return s;
    }

    public List<Node> vjp(Node self, Node g) { return Arrays.asList(null, null); }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        int[] ia = Reference.broadcastIndex(out, shapes[0]), ib = Reference.broadcastIndex(out, shapes[1]);
        double[] r = new double[ia.length];
        for (int i = 0; i < r.length; i++) r[i] = in[0][ia[i]] == in[1][ib[i]] ? 1 : 0;
        return r;
    }
}
