package tinynn.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import tinynn.graph.Autodiff;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * The one gradient check every op goes through: autodiff gradients of
 * L = Σ f(inputs) ⊙ W (W random and fixed, so no gradient is trivially all ones) against central
 * finite differences, in float64, computed by the primitives' reference forwards. A failure names the
 * input, the element and both values.
 */
public final class GradCheck {
    private GradCheck() {}

    /**
     * An input to check: its shape and how to draw values (e.g. positive only for log). {@code distinct} inputs have no two
     * values closer than a fifth of (high − low)/elements, for ops like max that have no derivative at a tie: independent
     * draws can come within the finite-difference step of each other (SplittableRandom(−119) draws 1.6675038 and 1.6675041).
     */
    public record Input(String name, Shape shape, double low, double high, boolean distinct) {
        public static Input between(String name, double low, double high, int... dims) { return new Input(name, Shape.of(dims), low, high, false); }
        public static Input of(String name, int... dims) { return between(name, -2, 2, dims); }
        public static Input distinctBetween(String name, double low, double high, int... dims) { return new Input(name, Shape.of(dims), low, high, true); }
        public static Input distinct(String name, int... dims) { return distinctBetween(name, -2, 2, dims); }

        double[] draw(SplittableRandom rng) {
            double[] v = new double[shape.elements()];
            if (!distinct) {
                for (int i = 0; i < v.length; i++) v[i] = low + (high - low) * rng.nextDouble();
                return v;
            }
            // Slot k of n evenly spaced slots, jittered by at most ±0.4 of a slot, the slots shuffled (Fisher–Yates).
            int[] slot = new int[v.length];
            for (int i = 0; i < slot.length; i++) slot[i] = i;
            for (int i = slot.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1), t = slot[i];
                slot[i] = slot[j];
                slot[j] = t;
            }
            for (int i = 0; i < v.length; i++) v[i] = low + (high - low) * (slot[i] + 0.5 + 0.8 * (rng.nextDouble() - 0.5)) / v.length;
            return v;
        }
    }

    public static final double TOLERANCE = 1e-6;

    /** Throws AssertionError describing the worst element when any gradient is off. */
    public static void check(String what, long seed, Function<List<Node>, Node> f, Input... inputs) {
        check(what, seed, ReferenceEval.REFERENCE, f, inputs);
    }

    static void check(String what, long seed, ReferenceEval.Kernels kernels, Function<List<Node>, Node> f, Input... inputs) {
        SplittableRandom rng = new SplittableRandom(seed);
        Graph g = new Graph();
        List<Node> xs = new ArrayList<>();
        Map<Node, double[]> feeds = new HashMap<>();
        for (Input in : inputs) {
            Node x = g.placeholder(in.name(), DType.F64, in.shape().dims());
            double[] v = in.draw(rng);
            xs.add(x);
            feeds.put(x, v);
        }
        Node out = f.apply(xs);
        Node w = g.placeholder("w", DType.F64, out.shape().dims());
        double[] wv = new double[out.shape().elements()];
        for (int i = 0; i < wv.length; i++) wv[i] = 0.5 + rng.nextDouble();
        feeds.put(w, wv);
        Node loss = out.shape().rank() == 0 ? Ops.mul(out, w) : Ops.sumAll(Ops.mul(out, w));
        Map<Node, Node> grads = Autodiff.gradients(loss, xs);

        double worst = 0;
        String report = null;
        for (int i = 0; i < xs.size(); i++) {
            double[] analytic = ReferenceEval.value(grads.get(xs.get(i)), feeds, kernels);
            double[] x = feeds.get(xs.get(i));
            for (int k = 0; k < x.length; k++) {
                double keep = x[k];
                double h = 1e-6 * Math.max(1, Math.abs(keep));
                x[k] = keep + h;
                double up = ReferenceEval.value(loss, feeds, kernels)[0];
                x[k] = keep - h;
                double down = ReferenceEval.value(loss, feeds, kernels)[0];
                x[k] = keep;
                double numeric = (up - down) / (2 * h);
                double err = Math.abs(analytic[k] - numeric) / Math.max(1, Math.max(Math.abs(analytic[k]), Math.abs(numeric)));
                if (err > worst || Double.isNaN(err)) {
                    worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                    report = String.format("%s: d/d%s%s[%d] autodiff=%.10g finite-diff=%.10g rel.err=%.3g (x=%.6g)",
                            what, inputs[i].name(), inputs[i].shape(), k, analytic[k], numeric, err, keep);
                }
            }
        }
        if (worst > TOLERANCE) throw new AssertionError("gradient check failed, worst element: " + report);
    }
}
