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
import tinynn.ops.MaxPool2dGrad;
import tinynn.ops.Ops;
import tinynn.ops.PoolWindow;
import tinynn.ops.ReluGrad;
import tinynn.runtime.Backend;
import tinynn.runtime.Parameters;
import tinynn.runtime.Plan;
import tinynn.runtime.Tensor;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.runtime.simd.SimdBackend;

/**
 * A conv layer as the model builds it (conv2d, bias [1, O, 1, 1] added by broadcast, ReLU) through real plans: the SIMD
 * backend on one and two threads and the ojalgo backend (its own im2col with ojalgo's multiply, runtime's
 * ojalgo/Im2col, not ArrayBackend's loops) against the reference backend, values and the gradients for x, w and b, on
 * LeNet's two layer geometries (the SIMD direct kernel) and random ones (strided and grouped: SIMD's im2col).
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

    /**
     * The conv layer, its bias add and ReLU run as one fused step (Fusion's conv_bias_relu) when only the bias add reads
     * the convolution, in training plans too; when something else reads it, the bias and ReLU still fuse.
     */
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
        assertEquals(1, kernels.getOrDefault("conv_bias_relu", 0), kernels.toString());
        assertFalse(kernels.containsKey("conv2d"), kernels.toString());
        assertFalse(kernels.containsKey("channel_bias_relu"), kernels.toString());
        outputs.add(out.input(0).input(0));   // the convolution itself, now read twice
        Map<String, Integer> kept = new Plan(new ReferenceBackend(), new Parameters(1), outputs).kernelCounts();
        assertEquals(1, kept.getOrDefault("channel_bias_relu", 0), kept.toString());
        assertEquals(1, kept.getOrDefault("conv2d", 0), kept.toString());
        assertFalse(kernels.containsKey("relu"), kernels.toString());
    }

    /**
     * The gradient of Σ max_pool2d(relu(z))⊙v with respect to z runs as one fused step (max_pool_grad_relu) on every
     * backend, and equals max_pool2d_grad then relu_grad computed from the ops' own reference formulas. z is in
     * quarters of [-1, 1], so windows hold ties, zeros and all-negative maxima; 2×2 windows take the SIMD backend's
     * vector path, overlapping 3×3 ones with padding its general loop.
     */
    @Property(tries = 20)
    void maxPoolThenReluGradientFusesAndAgrees(@ForAll boolean f64, @ForAll boolean overlapping, @ForAll long seed) {
        DType dtype = f64 ? DType.F64 : DType.F32;
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 1 + rng.nextInt(3), c = 1 + rng.nextInt(4), h = 2 + rng.nextInt(30), w = 2 + rng.nextInt(30);
        PoolWindow win = overlapping ? new PoolWindow(3, 3, 2, 2, 1, 1, 1, 1) : PoolWindow.of(2);
        Graph g = new Graph();
        Node z = g.placeholder("z", dtype, n, c, h, w);
        Node r = Ops.relu(z), pooled = Ops.maxPool2d(r, win);
        Node v = g.placeholder("v", dtype, pooled.shape().dims());
        Node dz = Autodiff.gradients(Ops.sumAll(Ops.mul(pooled, v)), List.of(z)).get(z);
        Tensor zt = Tensor.zeros(dtype, z.shape()), vt = Tensor.zeros(dtype, v.shape());
        for (int k = 0; k < zt.size(); k++) zt.set(k, (rng.nextInt(9) - 4) / 4.0);
        for (int k = 0; k < vt.size(); k++) vt.set(k, rng.nextDouble(-1, 1));
        double[] rv = zt.toDoubles().clone();
        for (int k = 0; k < rv.length; k++) rv[k] = Math.max(rv[k], 0);
        double[] dr = new MaxPool2dGrad(win).reference(new double[][] {rv, vt.toDoubles()}, new Shape[] {r.shape(), v.shape()}, r.shape());
        double[] expected = new ReluGrad().reference(new double[][] {dr, rv}, new Shape[] {r.shape(), r.shape()}, r.shape());
        try (SimdBackend one = new SimdBackend(1); SimdBackend two = new SimdBackend(2)) {
            for (Backend be : new Backend[] {new ReferenceBackend(), one, two, new OjalgoBackend()}) {
                Plan plan = new Plan(be, new Parameters(seed), List.of(dz));
                assertEquals(1, plan.kernelCounts().getOrDefault("max_pool_grad_relu", 0), plan.kernelCounts().toString());
                plan.feed(z, zt);
                plan.feed(v, vt);
                plan.run(dz);
                BackendDifferentialProperties.assertClose("dz of " + win + " on " + be.describe(), expected, plan.value(dz).toDoubles(),
                        f64 ? 1e-15 : 1e-6);
            }
        }
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
