package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import tinynn.graph.Node;
import tinynn.graph.Op;
import tinynn.graph.Shape;

/** Elementwise functions of one tensor. STEP and SIGN have zero gradient almost everywhere. */
public record Unary(Kind kind) implements Op {

    public enum Kind { NEG, EXP, LOG, RELU, STEP, SIGN, ABS, SQRT, TANH, SIGMOID }

    public String type() { return kind.name().toLowerCase(); }

    public Shape shape(List<Node> in) { return in.getFirst().shape(); }

    public List<Node> vjp(Node y, Node g) {
        Node x = y.input(0);
        Node dx = switch (kind) {
            case NEG -> Ops.neg(g);
            case EXP -> Ops.mul(g, y);
            case LOG -> Ops.div(g, x);
            // step(y) equals step(x) and lets the runtime fuse the pre-activation away.
            case RELU -> Ops.mul(g, Ops.step(y));
            case STEP, SIGN -> null;
            case ABS -> Ops.mul(g, Ops.sign(x));
            case SQRT -> Ops.div(g, Ops.mul(Ops.scalar(x, 2), y));
            case TANH -> Ops.mul(g, Ops.sub(Ops.scalar(x, 1), Ops.mul(y, y)));
            case SIGMOID -> Ops.mul(g, Ops.mul(y, Ops.sub(Ops.scalar(x, 1), y)));
        };
        return Arrays.asList(dx);
    }
}
