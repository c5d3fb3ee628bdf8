package tinynn.ops.loss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Ops;

/**
 * The losses, by spec name. All average over the batch (the first axis) and sum over the rest, except
 * weighted cross entropy, which divides by the summed weights of the samples' classes as PyTorch does.
 * Every one is a composite of primitives; plain softmax cross entropy is the fused primitive.
 */
public final class Losses {
    private Losses() {}

    public static final List<String> NAMES = List.of("softmax_cross_entropy", "sigmoid_cross_entropy", "nll", "kl_div", "mse", "mae", "huber", "dot");

    /** Softmax + cross entropy on logits and one-hot targets; gradient (softmax − y) / N. */
    public static Loss softmaxCrossEntropy() { return classIds(loss("softmax_cross_entropy", Map.of(), Losses::crossEntropy)); }

    /**
     * Softmax cross entropy with options; the defaults (null, 0, 1) give {@link #softmaxCrossEntropy()}.
     *
     * @param weights per-class weights (null = none): sample i counts w[y_i] and the sum is divided by Σ_i w[y_i]
     * @param labelSmoothing ε in [0, 1): the target becomes (1 − ε)·y + ε/C, as PyTorch's label_smoothing
     * @param temperature T > 0: the logits are divided by T before the softmax
     */
    public static Loss softmaxCrossEntropy(double[] weights, double labelSmoothing, double temperature) {
        if (weights != null) for (double w : weights) if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException("loss softmax_cross_entropy: weights must be finite and >= 0");
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new IllegalArgumentException("loss softmax_cross_entropy: label_smoothing must be in [0, 1), got " + labelSmoothing);
        if (!(temperature > 0) || Double.isInfinite(temperature)) throw new IllegalArgumentException("loss softmax_cross_entropy: temperature must be positive, got " + temperature);
        Map<String, Object> attrs = new LinkedHashMap<>();
        if (weights != null) attrs.put("weights", weights.clone());
        if (labelSmoothing != 0) attrs.put("label_smoothing", labelSmoothing);
        if (temperature != 1) attrs.put("temperature", temperature);
        if (attrs.isEmpty()) return softmaxCrossEntropy();
        double[] w = weights == null ? null : weights.clone();
        return classIds(loss("softmax_cross_entropy", attrs, (x, y) -> crossEntropy(x, y, w, labelSmoothing, temperature)));
    }

    /** Half the squared error, as in the article's tinynn, so the gradient is (p − y) / N. */
    public static Loss mse() {
        return loss("mse", Map.of(), (p, y) -> perSample(Ops.mul(Ops.square(Ops.sub(p, y)), Ops.scalar(p, 0.5))));
    }

    /**
     * sum(predictions · targets), not averaged: with targets = d(L)/d(predictions) computed elsewhere (another
     * model's input gradient), backward yields this model's chain-rule gradients of L, PyTorch's
     * {@code output.backward(grad)}. Chains a GAN's generator to its discriminator, an encoder to its decoder.
     */
    public static Loss dot() { return loss("dot", Map.of(), (p, y) -> Ops.sumAll(Ops.mul(p, y))); }

    public static Loss mae() { return loss("mae", Map.of(), (p, y) -> perSample(Ops.abs(Ops.sub(p, y)))); }

    /** Huber loss: ½e² within delta of the target, delta·(|e| − ½delta) outside (PyTorch's HuberLoss). */
    public static Loss huber(double delta) {
        if (!(delta > 0) || Double.isInfinite(delta)) throw new IllegalArgumentException("loss huber: delta must be positive, got " + delta);
        return loss("huber", delta == 1 ? Map.of() : Map.of("delta", delta), (p, y) -> {
            Node e = Ops.abs(Ops.sub(p, y));
            Node d = Ops.scalar(e, delta);
            Node quadratic = Ops.mul(Ops.square(e), Ops.scalar(e, 0.5));
            Node linear = Ops.mul(d, Ops.sub(e, Ops.scalar(e, 0.5 * delta)));
            Node small = Ops.step(Ops.sub(d, e));
            return perSample(Ops.where(small, quadratic, linear));
        });
    }

    /** Binary cross entropy on logits: max(x,0) − x·y + log(1 + e^−|x|), finite for any finite logit. */
    public static Loss sigmoidCrossEntropy() {
        return loss("sigmoid_cross_entropy", Map.of(), (x, y) -> perSample(Ops.sub(Ops.softplus(x), Ops.mul(x, y))));
    }

    /**
     * Binary cross entropy on logits with PyTorch BCEWithLogits' pos_weight p (one value, or one per class, the
     * last axis): −[p·y·log σ(x) + (1 − y)·log(1 − σ(x))] = (1 − y + p·y)·softplus(x) − p·y·x.
     */
    public static Loss sigmoidCrossEntropy(double[] posWeight) {
        if (posWeight == null || (posWeight.length == 1 && posWeight[0] == 1)) return sigmoidCrossEntropy();
        for (double w : posWeight) if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException("loss sigmoid_cross_entropy: pos_weight must be finite and >= 0");
        double[] pw = posWeight.clone();
        return loss("sigmoid_cross_entropy", Map.of("pos_weight", pw.clone()), (x, y) -> {
            Node p = pw.length == 1 ? Ops.scalar(x, pw[0]) : row(x, pw, "sigmoid_cross_entropy: pos_weight");
            Node py = Ops.mul(y, p);
            Node coef = Ops.add(Ops.sub(Ops.scalar(x, 1), y), py);
            return perSample(Ops.sub(Ops.mul(coef, Ops.softplus(x)), Ops.mul(py, x)));
        });
    }

    /** Negative log likelihood on log-probabilities (e.g. a log_softmax layer's output): −Σ y·log p / N. */
    public static Loss nll() {
        return loss("nll", Map.of(), (logp, y) -> perSample(Ops.neg(Ops.mul(oneHot(logp, y), logp))));
    }

    /**
     * KL(p ‖ q) in PyTorch's kl_div(input = log q, target = p) convention with reduction "batchmean":
     * Σ p·(log p − log q) / N; terms with p = 0 are 0.
     */
    public static Loss klDiv() {
        return loss("kl_div", Map.of(), (logq, p) -> {
            // log of p where p > 0 and of 1 elsewhere, so 0·log 0 is 0 in the value and the gradient.
            Node safe = Ops.where(Ops.step(p), p, Ops.constant(p.graph(), p, 1));
            return perSample(Ops.mul(p, Ops.sub(Ops.log(safe), logq)));
        });
    }

    public static Loss byName(String name) { return create(name, Map.of()); }

    /**
     * The loss a model file or spec names, with its attributes (numbers, or number lists for weights and
     * pos_weight); absent attributes take their defaults.
     */
    public static Loss create(String name, Map<String, ?> attrs) {
        Set<String> allowed = switch (name) {
            case "softmax_cross_entropy" -> Set.of("weights", "label_smoothing", "temperature");
            case "sigmoid_cross_entropy" -> Set.of("pos_weight");
            case "huber" -> Set.of("delta");
            case "mse", "mae", "nll", "kl_div", "dot" -> Set.of();
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'; use " + String.join(", ", NAMES));
        };
        for (String k : attrs.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("loss " + name + ": unknown attribute '" + k + "'"
                        + (allowed.isEmpty() ? "; it has none" : "; use " + String.join(", ", allowed.stream().sorted().toList())));
            }
        }
        return switch (name) {
            case "softmax_cross_entropy" -> softmaxCrossEntropy(doubles(name, "weights", attrs.get("weights")),
                    number(name, "label_smoothing", attrs.get("label_smoothing"), 0), number(name, "temperature", attrs.get("temperature"), 1));
            case "sigmoid_cross_entropy" -> sigmoidCrossEntropy(doubles(name, "pos_weight", attrs.get("pos_weight")));
            case "huber" -> huber(number(name, "delta", attrs.get("delta"), 1));
            case "mse" -> mse();
            case "mae" -> mae();
            case "nll" -> nll();
            case "dot" -> dot();
            default -> klDiv();
        };
    }

    private static Node crossEntropy(Node x, Node y) { return Ops.softmaxCrossEntropy(x, oneHot(x, y)); }

    /**
     * Softmax cross entropy over the last axis of logits [N, T, ..., C]: targets are class ids [N, T, ...] (or one-hot
     * like the logits), and the loss is the mean over all N·T·... positions, PyTorch's CrossEntropyLoss on the
     * logits flattened to [N·T, C]. A composite: one-hot by comparing the ids [N, T, 1] with 0..C−1, then both
     * reshaped to [N·T, C] for the 2-D loss (the fused primitive, or the weighted / smoothed composite).
     */
    private static Loss classIds(Loss flat) {
        return new Loss() {
            public String type() { return flat.type(); }
            public Map<String, Object> attrs() { return flat.attrs(); }
            public Shape targetShape(Shape p) { return p.rank() < 3 ? p : new Shape(java.util.Arrays.copyOf(p.dims(), p.rank() - 1)); }
            public Node build(Node p, Node y) {
                Shape ps = p.shape();
                if (ps.rank() < 3) return flat.build(p, y);
                int c = ps.dim(-1), rows = (int) (ps.size() / c);
                Shape ids = targetShape(ps), ys = y.shape();
                if (!ys.equals(ids) && !ys.equals(ps)) {
                    throw new GraphException("loss " + type() + ": targets " + ys + " are neither class ids " + ids + " nor one-hot " + ps
                            + " for logits " + ps);
                }
                return p.graph().scoped(type(), () -> {
                    Node onehot = ys.equals(ps) ? y : Ops.equal(Ops.reshape(y, ps.with(-1, 1)), classRange(y, ps.rank(), c));
                    return flat.build(Ops.reshape(p, Shape.of(rows, c)), Ops.reshape(onehot, Shape.of(rows, c)));
                });
            }
        };
    }

    /**
     * Σ_i [(1 − ε)·w[y_i]·(−log p_i,y_i) + ε/C·Σ_c w_c·(−log p_ic)] / Σ_i w[y_i] with p = softmax(x / T)
     * (PyTorch's weighted, label-smoothed cross entropy); without weights w = 1 and the divisor is N.
     */
    private static Node crossEntropy(Node x, Node targets, double[] weights, double eps, double temperature) {
        Node y = oneHot(x, targets);
        int classes = x.shape().dim(1);
        Node z = temperature == 1 ? x : Ops.mul(x, Ops.scalar(x, 1 / temperature));
        Node nlogp = Ops.neg(Ops.logSoftmax(z));
        Node q = eps == 0 ? y : Ops.add(Ops.mul(y, Ops.scalar(y, 1 - eps)), Ops.scalar(y, eps / classes));
        if (weights == null) return perSample(Ops.mul(q, nlogp));
        // Broadcast by mul, not broadcast_to, so batch sizes 1 and 2 build the same graph (model files need that).
        Node w = row(x, weights, "softmax_cross_entropy: weights");
        return Ops.div(Ops.sumAll(Ops.mul(Ops.mul(q, w), nlogp)), Ops.sumAll(Ops.mul(y, w)));
    }

    /** Targets as one-hot [N, C]: given so, or class ids [N] / [N, 1] compared with 0..C−1. */
    private static Node oneHot(Node x, Node y) {
        Shape xs = x.shape(), ys = y.shape();
        if (ys.equals(xs) || xs.rank() != 2) return y;
        int n = xs.dim(0), c = xs.dim(1);
        if (!(ys.rank() == 1 && ys.dim(0) == n) && !(ys.rank() == 2 && ys.dim(0) == n && ys.dim(1) == 1)) {
            throw new GraphException("loss: targets " + ys + " are neither one-hot " + xs + " nor class ids [" + n + "]");
        }
        double[] ids = new double[c];
        for (int k = 0; k < c; k++) ids[k] = k;
        // [N, 1] == [1, C] broadcasts to [N, C]; no broadcast_to, which batch size 1 would skip.
        return Ops.equal(Ops.reshape(y, Shape.of(n, 1)), x.graph().constant(ids, y.dtype(), Shape.of(1, c)));
    }

    /** The class ids 0..C−1 as a [1, ..., 1, C] constant of the given rank, to compare ids [N, T, 1] with. */
    private static Node classRange(Node like, int rank, int c) {
        double[] ids = new double[c];
        for (int k = 0; k < c; k++) ids[k] = k;
        int[] dims = new int[rank];
        java.util.Arrays.fill(dims, 1);
        dims[rank - 1] = c;
        return like.graph().constant(ids, like.dtype(), Shape.of(dims));
    }

    /** A [1, C] constant of per-class values for logits [N, C]. */
    private static Node row(Node x, double[] values, String what) {
        int c = x.shape().dim(x.shape().rank() - 1);
        if (values.length != c) throw new GraphException(what + " has " + values.length + " values for " + c + " classes");
        return x.graph().constant(values, x.dtype(), Shape.of(1, c));
    }

    private static Node perSample(Node elementwise) {
        return Ops.div(Ops.sumAll(elementwise), Ops.scalar(elementwise, elementwise.shape().dim(0)));
    }

    private static double number(String loss, String key, Object v, double fallback) {
        if (v == null) return fallback;
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("loss " + loss + ": " + key + " must be a number, got " + v);
    }

    private static double[] doubles(String loss, String key, Object v) {
        return switch (v) {
            case null -> null;
            case double[] d -> d.clone();
            case Number n -> new double[] {n.doubleValue()};
            case List<?> l when l.stream().allMatch(e -> e instanceof Number) -> l.stream().mapToDouble(e -> ((Number) e).doubleValue()).toArray();
            default -> throw new IllegalArgumentException("loss " + loss + ": " + key + " must be a list of numbers, got " + v);
        };
    }

    private static Loss loss(String type, Map<String, Object> attrs, BinaryOperator<Node> f) {
        Map<String, Object> copy = Map.copyOf(attrs);
        return new Loss() {
            public String type() { return type; }
            public Map<String, Object> attrs() { return copy; }
            public Node build(Node p, Node y) {
                return p.graph().scoped(type, () -> f.apply(p, y));
            }
        };
    }
}
