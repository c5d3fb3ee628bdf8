package tinynn.ops;

import java.util.List;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/** Elementwise arithmetic with numpy broadcasting; gradients are summed back to each input's shape. */
public record Binary(Kind kind) implements Primitive {

    /** Each kind's reference forward, in float64. */
    public enum Kind {
        ADD { public double apply(double a, double b) { return a + b; } },
        SUB { public double apply(double a, double b) { return a - b; } },
        MUL { public double apply(double a, double b) { return a * b; } },
        DIV { public double apply(double a, double b) { return a / b; } };

        public abstract double apply(double a, double b);
    }

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

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        int[] ia = Reference.broadcastIndex(out, shapes[0]), ib = Reference.broadcastIndex(out, shapes[1]);
        double[] r = new double[ia.length];
        for (int i = 0; i < r.length; i++) r[i] = kind.apply(in[0][ia[i]], in[1][ib[i]]);
        return r;
    }
}
