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
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Ops;
import tinynn.runtime.Backend;
import tinynn.runtime.Parameters;
import tinynn.runtime.Plan;
import tinynn.runtime.Tensor;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.reference.ReferenceBackend;
import tinynn.runtime.simd.SimdBackend;

/**
 * Ops.concat (a sum of pads) runs as one fused concat step that copies each part into place, reading a part that is
 * a slice (or a slice of a slice) straight from the sliced tensor; the values equal the parts placed by index on
 * every backend. Sums of pads that overlap or leave a gap, and pads read elsewhere, stay unfused (and correct).
 */
class ConcatFusionProperties {

    @Property(tries = 60)
    void concatOfSlicesFusesAndAgrees(@ForAll boolean f64, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DType dtype = f64 ? DType.F64 : DType.F32;
        int rank = 1 + rng.nextInt(4), axis = rng.nextInt(rank), parts = 1 + rng.nextInt(4);
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) dims[i] = 1 + rng.nextInt(4);
        Graph g = new Graph();
        List<Node> sources = new ArrayList<>(), pieces = new ArrayList<>();
        List<int[]> offsets = new ArrayList<>();   // where each piece starts inside its source
        for (int p = 0; p < parts; p++) {
            int[] piece = dims.clone();
            piece[axis] = 1 + rng.nextInt(3);
            int[] big = piece.clone(), at = new int[rank];
            boolean sliced = rng.nextBoolean(), twice = sliced && rng.nextBoolean();
            if (sliced) for (int i = 0; i < rank; i++) {
                big[i] += rng.nextInt(3) + (twice ? 1 : 0);
                at[i] = rng.nextInt(big[i] - piece[i] + 1);
            }
            Node src = g.placeholder("s" + p, dtype, big);
            Node part = src;
            if (twice) {
                // Slice to one element more on each axis first, then to the piece: the offsets add up.
                int[] mid = new int[rank], midEnd = new int[rank], inner = new int[rank], innerEnd = new int[rank];
                for (int i = 0; i < rank; i++) {
                    mid[i] = Math.max(0, at[i] - 1);
                    midEnd[i] = Math.min(big[i], at[i] + piece[i] + 1);
                    inner[i] = at[i] - mid[i];
                    innerEnd[i] = inner[i] + piece[i];
                }
                part = Ops.slice(Ops.slice(src, mid, midEnd), inner, innerEnd);
            } else if (sliced) {
                int[] end = new int[rank];
                for (int i = 0; i < rank; i++) end[i] = at[i] + piece[i];
                part = Ops.slice(src, at, end);
            }
            sources.add(src);
            pieces.add(part);
            offsets.add(at);
        }
        Node out = Ops.concat(axis, pieces.toArray(Node[]::new));
        List<Tensor> values = new ArrayList<>();
        for (Node s : sources) {
            Tensor t = Tensor.zeros(dtype, s.shape());
            for (int k = 0; k < t.size(); k++) t.set(k, rng.nextDouble(-1, 1));
            values.add(t);
        }
        double[] expected = new double[out.shape().elements()];
        for (int e = 0; e < expected.length; e++) {
            int[] pos = position(e, out.shape());
            int p = 0;
            while (pos[axis] >= pieces.get(p).shape().dim(axis)) pos[axis] -= pieces.get(p++).shape().dim(axis);
            int[] at = pos.clone();
            for (int i = 0; i < rank; i++) at[i] += offsets.get(p)[i];
            expected[e] = values.get(p).get(index(at, sources.get(p).shape()));
        }
        try (SimdBackend one = new SimdBackend(1); SimdBackend two = new SimdBackend(2)) {
            for (Backend be : new Backend[] {new ReferenceBackend(), one, two, new OjalgoBackend()}) {
                Plan plan = new Plan(be, new Parameters(seed), List.of(out));
                Map<String, Integer> kernels = plan.kernelCounts();
                if (parts > 1) {
                    assertEquals(Map.of("concat", 1), kernels, "the parts " + pieces.stream().map(Node::shape).toList() + " along " + axis);
                }
                for (int p = 0; p < parts; p++) plan.feed(sources.get(p), values.get(p));
                plan.run(out);
                BackendDifferentialProperties.assertClose("concat on " + be.describe(), expected, plan.value(out).toDoubles(), 0);
            }
        }
    }

    @Test
    void padsThatOverlapLeaveAGapOrAreReadTwiceDoNotFuse() {
        Graph g = new Graph();
        Node a = g.placeholder("a", DType.F32, 2, 3), b = g.placeholder("b", DType.F32, 2, 3);
        Node overlap = Ops.add(Ops.pad(a, 1, 0, 1), Ops.pad(b, 1, 1, 0));       // columns 1..2 of both: a sum
        Node gap = Ops.add(Ops.pad(a, 1, 0, 4), Ops.pad(b, 1, 4, 0));           // column 3 is only zeros
        Node shared = Ops.pad(a, 1, 0, 3);
        Node twice = Ops.add(shared, Ops.pad(b, 1, 3, 0));
        Tensor av = Tensor.of(DType.F32, a.shape(), 1, 2, 3, 4, 5, 6), bv = Tensor.of(DType.F32, b.shape(), 10, 20, 30, 40, 50, 60);
        for (Backend be : new Backend[] {new ReferenceBackend(), new SimdBackend(1)}) {
            Plan plan = new Plan(be, new Parameters(1), List.of(overlap, gap, twice, shared));
            assertFalse(plan.kernelCounts().containsKey("concat"), plan.kernelCounts().toString());
            plan.feed(a, av);
            plan.feed(b, bv);
            plan.run(overlap, gap, twice, shared);
            assertEquals(List.of(1.0, 12.0, 23.0, 30.0, 4.0, 45.0, 56.0, 60.0), boxed(plan.value(overlap)));
            assertEquals(List.of(1.0, 2.0, 3.0, 0.0, 10.0, 20.0, 30.0, 4.0, 5.0, 6.0, 0.0, 40.0, 50.0, 60.0), boxed(plan.value(gap)));
            assertEquals(List.of(1.0, 2.0, 3.0, 10.0, 20.0, 30.0, 4.0, 5.0, 6.0, 40.0, 50.0, 60.0), boxed(plan.value(twice)));
            be.close();
        }
    }

    private static List<Double> boxed(Tensor t) {
        List<Double> l = new ArrayList<>();
        for (double v : t.toDoubles()) l.add(v);
        return l;
    }

    private static int[] position(int e, Shape s) {
        int[] pos = new int[s.rank()];
        for (int i = s.rank() - 1; i >= 0; i--) {
            pos[i] = e % s.dim(i);
            e /= s.dim(i);
        }
        return pos;
    }

    private static int index(int[] pos, Shape s) {
        int k = 0;
        for (int i = 0; i < s.rank(); i++) k = k * s.dim(i) + pos[i];
        return k;
    }
}
