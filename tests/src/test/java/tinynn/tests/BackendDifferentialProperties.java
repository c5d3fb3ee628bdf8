package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import tinynn.graph.Autodiff;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Ops;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Layer;
import tinynn.runtime.Backend;
import tinynn.runtime.Parameters;
import tinynn.runtime.Plan;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.runtime.simd.SimdBackend;

/**
 * The SIMD and ojalgo backends agree with the reference backend: per op (values and gradients) and
 * over whole training steps. Tolerances: 1e-12 relative in float64, 2e-5 in float32 (different
 * summation orders, float accumulation against the reference's float64).
 */
class BackendDifferentialProperties {

    @Property(tries = 8)
    void opsAgreeWithTheReference(@ForAll boolean f64, @ForAll long seed) {
        DType dtype = f64 ? DType.F64 : DType.F32;
        for (OpCases.Case c : OpCases.backends()) {
            double[][] ref = evaluate(new ReferenceBackend(), c, dtype, seed);
            for (Backend fast : new Backend[] {new OjalgoBackend(), new SimdBackend(2)}) {
                double[][] got = evaluate(fast, c, dtype, seed);
                for (int i = 0; i < ref.length; i++) assertClose(c.name() + " output " + i + " on " + fast.name(), ref[i], got[i], f64 ? 1e-12 : 2e-5);
            }
        }
    }

    /** Value of Σ f(x)⊙w and its gradients with respect to every input. */
    private static double[][] evaluate(Backend backend, OpCases.Case c, DType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Graph g = new Graph();
        List<Node> xs = new ArrayList<>();
        for (OpCases.Input in : c.inputs()) xs.add(g.placeholder(in.name(), dtype, in.shape().dims()));
        Node out = c.f().apply(xs);
        Node w = g.placeholder("w", dtype, out.shape().dims());
        Node loss = Ops.sumAll(Ops.mul(out, w));
        Map<Node, Node> grads = Autodiff.gradients(loss, xs);
        List<Node> outputs = new ArrayList<>(grads.values());
        outputs.add(out);
        Plan plan = new Plan(backend, new Parameters(seed), outputs);
        for (int i = 0; i < xs.size(); i++) {
            OpCases.Input in = c.inputs()[i];
            Tensor t = Tensor.zeros(dtype, in.shape());
            for (int k = 0; k < t.size(); k++) t.set(k, rng.nextDouble(in.low(), in.high()));
            plan.feed(xs.get(i), t);
        }
        plan.feed(w, random(dtype, w.shape(), rng));
        plan.run(outputs.toArray(Node[]::new));
        double[][] result = new double[outputs.size()][];
        for (int i = 0; i < outputs.size(); i++) result[i] = plan.value(outputs.get(i)).toDoubles();
        return result;
    }

    @Property(tries = 15)
    void trainingStepsAgree(@ForAll @IntRange(min = 1, max = 70) int batch, @ForAll @IntRange(min = 1, max = 3) int depth,
                            @ForAll @IntRange(min = 1, max = 300) int width, @ForAll boolean f64, @ForAll boolean decay, @ForAll long seed) {
        DType dtype = f64 ? DType.F64 : DType.F32;
        double wd = decay ? 1e-3 : 0;
        Model[] models = {net(new ReferenceBackend(), dtype, depth, width, wd, seed), net(new OjalgoBackend(), dtype, depth, width, wd, seed),
                net(new SimdBackend(2), dtype, depth, width, wd, seed)};
        SplittableRandom rng = new SplittableRandom(seed);
        for (int step = 0; step < 3; step++) {
            Tensor x = random(dtype, Shape.of(batch, 12), rng);
            Tensor y = Tensor.zeros(dtype, Shape.of(batch, 4));
            for (int r = 0; r < batch; r++) y.set(r * 4 + rng.nextInt(4), 1);
            double l0 = models[0].trainStep(x, y);
            for (int k = 1; k < models.length; k++) {
                double l = models[k].trainStep(x, y);
                assertEquals(l0, l, (f64 ? 1e-12 : 1e-5) * Math.max(1, Math.abs(l0)), "loss at step " + step + " on " + models[k].backend().name());
            }
        }
        for (int k = 1; k < models.length; k++) {
            for (var e : models[0].parameters().asMap().entrySet()) {
                assertClose(e.getKey() + " on " + models[k].backend().name(), e.getValue().toDoubles(),
                        models[k].parameters().get(e.getKey()).toDoubles(), f64 ? 1e-10 : 1e-4);
            }
        }
    }

    private static Model net(Backend backend, DType dtype, int depth, int width, double weightDecay, long seed) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < depth; i++) { layers.add(new Dense(width)); layers.add(Activation.relu()); }
        layers.add(new Dense(4));
        return new Model(new Net(layers), Losses.softmaxCrossEntropy(), optimizer(dtype, weightDecay), backend, dtype, seed);
    }

    /**
     * Adam in float64 only: near-zero gradients make its step ±lr whatever their size, so float32
     * rounding differences in them would swamp the comparison. Float32 steps use SGD with momentum.
     */
    private static tinynn.runtime.optim.Optimizer optimizer(DType dtype, double weightDecay) {
        return dtype == DType.F64 ? new Adam(1e-2, 0.9, 0.999, 1e-8, weightDecay) : new tinynn.runtime.optim.SGD(0.1, 0.9, weightDecay);
    }

    private static Tensor random(DType dtype, Shape shape, SplittableRandom rng) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) t.set(i, rng.nextDouble(-1, 1));
        return t;
    }

    static void assertClose(String what, double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        int worst = -1;
        double worstErr = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]) / Math.max(1, Math.abs(expected[i]));
            if (!(err <= worstErr)) { worstErr = err; worst = i; }
        }
        if (worst >= 0 && !(worstErr <= tol)) {
            throw new AssertionError(what + ": element " + worst + " reference=" + expected[worst] + " got=" + actual[worst] + " rel.err=" + worstErr + " > " + tol);
        }
    }
}
