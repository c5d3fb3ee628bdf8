package tinynn.ops.loss;

import tinynn.graph.Node;
import tinynn.ops.Ops;

/** The article's losses. All average over the batch (the first axis) and sum over the rest. */
public final class Losses {
    private Losses() {}

    /** Softmax + cross entropy on logits and one-hot targets; gradient (softmax − y) / N. */
    public static Loss softmaxCrossEntropy() { return loss("softmax_cross_entropy", Ops::softmaxCrossEntropy); }

    /** Half the squared error, as in the article's tinynn, so the gradient is (p − y) / N. */
    public static Loss mse() {
        return loss("mse", (p, y) -> perSample(Ops.mul(Ops.square(Ops.sub(p, y)), Ops.scalar(p, 0.5))));
    }

    public static Loss mae() { return loss("mae", (p, y) -> perSample(Ops.abs(Ops.sub(p, y)))); }

    /** Huber loss: quadratic within delta of the target, linear outside. */
    public static Loss huber(double delta) {
        return loss("huber", (p, y) -> {
            Node e = Ops.abs(Ops.sub(p, y));
            Node d = Ops.scalar(e, delta);
            Node quadratic = Ops.mul(Ops.square(e), Ops.scalar(e, 0.5));
            Node linear = Ops.mul(d, Ops.sub(e, Ops.scalar(e, 0.5 * delta)));
            Node small = Ops.step(Ops.sub(d, e));
            return perSample(Ops.where(small, quadratic, linear));
        });
    }

    /** Binary cross entropy on logits: max(x,0) − x·y + log(1 + e^−|x|). */
    public static Loss sigmoidCrossEntropy() {
        return loss("sigmoid_cross_entropy", (x, y) -> perSample(Ops.sub(Ops.softplus(x), Ops.mul(x, y))));
    }

    public static Loss byName(String name) {
        return switch (name) {
            case "softmax_cross_entropy" -> softmaxCrossEntropy();
            case "mse" -> mse();
            case "mae" -> mae();
            case "huber" -> huber(1.0);
            case "sigmoid_cross_entropy" -> sigmoidCrossEntropy();
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'; use softmax_cross_entropy, sigmoid_cross_entropy, mse, mae or huber");
        };
    }

    private static Node perSample(Node elementwise) {
        return Ops.div(Ops.sumAll(elementwise), Ops.scalar(elementwise, elementwise.shape().dim(0)));
    }

    private static Loss loss(String type, java.util.function.BinaryOperator<Node> f) {
        return new Loss() {
            public String type() { return type; }
            public Node build(Node p, Node y) {
                return p.graph().scoped(type, () -> f.apply(p, y));
            }
        };
    }
}
