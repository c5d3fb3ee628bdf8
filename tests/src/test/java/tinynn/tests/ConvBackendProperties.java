package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import tinynn.graph.Autodiff;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.ConvGeometry;
import tinynn.ops.Ops;
import tinynn.runtime.Backend;
import tinynn.runtime.Parameters;
import tinynn.runtime.Plan;
import tinynn.runtime.Tensor;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.runtime.simd.SimdBackend;

/**
 * A conv layer as the model builds it (conv2d, bias [1, O, 1, 1] added by broadcast, ReLU) through real plans: the SIMD
 * backend on one and two threads and the plain loops (ojalgo's backend inherits ArrayBackend's) against the reference
 * backend, values and the gradients for x, w and b, on LeNet's two layer geometries (the SIMD direct kernel) and random
 * ones (strided and grouped: im2col).
 */
class ConvBackendProperties {

    record Layer(int n, int c, int h, int w, int o, int kh, int kw, ConvGeometry g) {
        static Layer random(SplittableRandom r) {
            return switch (r.nextInt(4)) {
                case 0 -> new Layer(1 + r.nextInt(5), 1, 28, 28, 6, 5, 5, new ConvGeometry(1, 1, 2, 2, 2, 2, 1, 1, 1));
                case 1 -> new Layer(1 + r.nextInt(5), 6, 14, 14, 16, 5, 5, ConvGeometry.unit());
                default -> {
                    int groups = 1 + r.nextInt(2);
                    yield new Layer(1 + r.nextInt(4), groups * (1 + r.nextInt(4)), 6 + r.nextInt(8), 6 + r.nextInt(8), groups * (1 + r.nextInt(8)),
                            1 + r.nextInt(4), 1 + r.nextInt(4), new ConvGeometry(1 + r.nextInt(2), 1 + r.nextInt(2), r.nextInt(2), r.nextInt(2),
                            r.nextInt(2), r.nextInt(2), 1 + r.nextInt(2), 1, groups));
                }
            };
        }
    }

    @Property(tries = 12)
    void convBiasReluAgreesWithTheReference(@ForAll boolean f64, @ForAll long seed) {
        DType dtype = f64 ? DType.F64 : DType.F32;
        Layer l = Layer.random(new SplittableRandom(seed));
        double[][] ref = evaluate(new ReferenceBackend(), l, dtype, seed);
        try (SimdBackend one = new SimdBackend(1); SimdBackend two = new SimdBackend(2)) {
            for (Backend fast : new Backend[] {one, two, new OjalgoBackend()}) {
                double[][] got = evaluate(fast, l, dtype, seed);
                for (int i = 0; i < ref.length; i++) {
                    BackendDifferentialProperties.assertClose(l + " output " + i + " on " + fast.describe(), ref[i], got[i], f64 ? 1e-12 : 2e-5);
                }
            }
        }
    }

    /** The conv layer's bias add and ReLU run as one fused step (Fusion's channel_bias_relu), in training plans too. */
    @Test
    void convBiasReluFuses() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F32, 2, 3, 9, 8), w = g.placeholder("w", DType.F32, 4, 3, 3, 3);
        Node b = g.placeholder("b", DType.F32, 1, 4, 1, 1);
        Node out = Ops.relu(Ops.add(Ops.conv2d(x, w, ConvGeometry.unit()), b));
        Map<Node, Node> grads = Autodiff.gradients(Ops.sumAll(out), List.of(x, w, b));
        List<Node> outputs = new ArrayList<>(grads.values());
        outputs.add(out);
        Map<String, Integer> kernels = new Plan(new ReferenceBackend(), new Parameters(1), outputs).kernelCounts();
        assertEquals(1, kernels.getOrDefault("channel_bias_relu", 0), kernels.toString());
        assertFalse(kernels.containsKey("relu"), kernels.toString());
    }

    /** relu(conv2d(x, w) + b) and the gradients of Σ relu(...)⊙v with respect to x, w and b. */
    private static double[][] evaluate(Backend backend, Layer l, DType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Graph g = new Graph();
        Node x = g.placeholder("x", dtype, l.n, l.c, l.h, l.w);
        Node w = g.placeholder("w", dtype, l.o, l.c / l.g.groups(), l.kh, l.kw);
        Node b = g.placeholder("b", dtype, 1, l.o, 1, 1);
        Node out = Ops.relu(Ops.add(Ops.conv2d(x, w, l.g), b));
        Node v = g.placeholder("v", dtype, out.shape().dims());
        Map<Node, Node> grads = Autodiff.gradients(Ops.sumAll(Ops.mul(out, v)), List.of(x, w, b));
        List<Node> outputs = new ArrayList<>(grads.values());
        outputs.add(out);
        Plan plan = new Plan(backend, new Parameters(seed), outputs);
        for (Node in : List.of(x, w, b, v)) {
            Tensor t = Tensor.zeros(dtype, in.shape());
            for (int k = 0; k < t.size(); k++) t.set(k, rng.nextDouble(-1, 1));
            plan.feed(in, t);
        }
        plan.run(outputs.toArray(Node[]::new));
        double[][] result = new double[outputs.size()][];
        for (int i = 0; i < outputs.size(); i++) result[i] = plan.value(outputs.get(i)).toDoubles();
        return result;
    }
}
