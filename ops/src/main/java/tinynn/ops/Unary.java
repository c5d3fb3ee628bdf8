package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * Elementwise functions of one tensor. STEP and SIGN have zero gradient almost everywhere. ERF (for the
 * exact GELU) and EXPM1 (eˣ − 1 without the cancellation near 0, for ELU and SELU) have no exact
 * composite.
 */
public record Unary(Kind kind) implements Primitive {

    /** Each kind's reference forward, in float64. */
    public enum Kind {
        NEG { public double apply(double v) { return -v; } },
        EXP { public double apply(double v) { return Math.exp(v); } },
        LOG { public double apply(double v) { return Math.log(v); } },
        RELU { public double apply(double v) { return v > 0 ? v : 0.0; } },
        STEP { public double apply(double v) { return v > 0 ? 1.0 : 0.0; } },
        SIGN { public double apply(double v) { return Math.signum(v); } },
        ABS { public double apply(double v) { return Math.abs(v); } },
        SQRT { public double apply(double v) { return Math.sqrt(v); } },
        TANH { public double apply(double v) { return Math.tanh(v); } },
        SIGMOID { public double apply(double v) { return v >= 0 ? 1.0 / (1.0 + Math.exp(-v)) : Math.exp(v) / (1.0 + Math.exp(v)); } },
        ERF { public double apply(double v) { return Erf.erf(v); } },
        EXPM1 { public double apply(double v) { return Math.expm1(v); } };

        public abstract double apply(double v);
    }

    public String type() { return kind.name().toLowerCase(); }

    public Shape shape(List<Node> in) { return in.getFirst().shape(); }

    public List<Node> vjp(Node y, Node g) {
        Node x = y.input(0);
        Node dx = switch (kind) {
            case NEG -> Ops.neg(g);
            case EXP -> Ops.mul(g, y);
            case LOG -> Ops.div(g, x);
            // relu_grad reads the ReLU's output, which the fused bias+ReLU keeps, not its input, which it absorbs.
            case RELU -> Ops.reluGrad(g, y);
            case STEP, SIGN -> null;
            case ABS -> Ops.mul(g, Ops.sign(x));
            case SQRT -> Ops.div(g, Ops.mul(Ops.scalar(x, 2), y));
            case TANH -> Ops.mul(g, Ops.sub(Ops.scalar(x, 1), Ops.mul(y, y)));
            case SIGMOID -> Ops.mul(g, Ops.mul(y, Ops.sub(Ops.scalar(x, 1), y)));
            // d erf/dx = 2/√π · e^(−x²)
            case ERF -> Ops.mul(g, Ops.mul(Ops.scalar(x, 1.1283791670955126), Ops.exp(Ops.neg(Ops.mul(x, x)))));
            case EXPM1 -> Ops.mul(g, Ops.add(y, Ops.scalar(x, 1)));
        };
        return Arrays.asList(dx);
    }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] x = in[0], r = new double[x.length];
        for (int i = 0; i < r.length; i++) r[i] = kind.apply(x[i]);
        return r;
    }
}
