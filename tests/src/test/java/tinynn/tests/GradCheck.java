package tinynn.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import tinynn.graph.Autodiff;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Ops;
import tinynn.runtime.Backend;
import tinynn.runtime.Parameters;
import tinynn.runtime.Plan;
import tinynn.runtime.Tensor;
import tinynn.runtime.reference.ReferenceBackend;

/**
 * The one gradient check every op goes through: autodiff gradients of
 * L = Σ f(inputs) ⊙ W (W random and fixed, so no gradient is trivially all ones) against central
 * finite differences, in float64, on the reference backend unless told otherwise. A failure names the
 * input, the element and both values.
 */
public final class GradCheck {
    private GradCheck() {}

    /** An input to check: its shape and how to draw values (e.g. positive only for log). */
    public record Input(String name, Shape shape, double low, double high) {
        public static Input between(String name, double low, double high, int... dims) { return new Input(name, Shape.of(dims), low, high); }
        public static Input of(String name, int... dims) { return between(name, -2, 2, dims); }
    }

    public static final double TOLERANCE = 1e-6;

    /** Throws AssertionError describing the worst element when any gradient is off; runs on the reference backend. */
    public static void check(String what, long seed, Function<List<Node>, Node> f, Input... inputs) {
        check(what, seed, new ReferenceBackend(), f, inputs);
    }

    public static void check(String what, long seed, Backend backend, Function<List<Node>, Node> f, Input... inputs) {
        SplittableRandom rng = new SplittableRandom(seed);
        Graph g = new Graph();
        List<Node> xs = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        for (Input in : inputs) {
            xs.add(g.placeholder(in.name(), DType.F64, in.shape().dims()));
            double[] v = new double[in.shape().elements()];
            for (int i = 0; i < v.length; i++) v[i] = in.low() + (in.high() - in.low()) * rng.nextDouble();
            values.add(Tensor.wrap(in.shape(), v));
        }
        Node out = f.apply(xs);
        Node w = g.placeholder("w", DType.F64, out.shape().dims());
        double[] wv = new double[out.shape().elements()];
        for (int i = 0; i < wv.length; i++) wv[i] = 0.5 + rng.nextDouble();
        Node loss = out.shape().rank() == 0 ? Ops.mul(out, w) : Ops.sumAll(Ops.mul(out, w));
        Map<Node, Node> grads = Autodiff.gradients(loss, xs);

        List<Node> outputs = new ArrayList<>(grads.values());
        outputs.add(loss);
        Plan plan = new Plan(backend, new Parameters(seed), outputs);
        plan.feed(w, Tensor.wrap(out.shape(), wv));
        for (int i = 0; i < xs.size(); i++) plan.feed(xs.get(i), values.get(i));
        plan.run(outputs.toArray(Node[]::new));

        // Copied now: the finite-difference runs below may reuse the gradients' buffers.
        List<double[]> analytics = new ArrayList<>();
        for (Node x : xs) analytics.add(plan.value(grads.get(x)).toDoubles());
        double worst = 0;
        String report = null;
        for (int i = 0; i < xs.size(); i++) {
            double[] analytic = analytics.get(i);
            double[] x = values.get(i).f64();
            for (int k = 0; k < x.length; k++) {
                double keep = x[k];
                double h = 1e-6 * Math.max(1, Math.abs(keep));
                x[k] = keep + h;
                double up = evaluate(plan, xs.get(i), values.get(i), loss);
                x[k] = keep - h;
                double down = evaluate(plan, xs.get(i), values.get(i), loss);
                x[k] = keep;
                double numeric = (up - down) / (2 * h);
                double err = Math.abs(analytic[k] - numeric) / Math.max(1, Math.max(Math.abs(analytic[k]), Math.abs(numeric)));
                if (err > worst || Double.isNaN(err)) {
                    worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                    report = String.format("%s: d/d%s%s[%d] autodiff=%.10g finite-diff=%.10g rel.err=%.3g (x=%.6g)",
                            what, inputs[i].name(), inputs[i].shape(), k, analytic[k], numeric, err, keep);
                }
            }
            plan.feed(xs.get(i), values.get(i));
        }
        if (worst > TOLERANCE) throw new AssertionError("gradient check failed, worst element: " + report);
    }

    private static double evaluate(Plan plan, Node x, Tensor value, Node loss) {
        plan.feed(x, value);
        plan.run(loss);
        return plan.value(loss).item();
    }
}
