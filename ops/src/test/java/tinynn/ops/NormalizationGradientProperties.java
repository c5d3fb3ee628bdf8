package tinynn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tinynn.ops.GradCheck.Input.between;
import static tinynn.ops.GradCheck.Input.of;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Mode;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.nn.BatchNorm;
import tinynn.ops.nn.Layers;

/**
 * Batch norm (training mode: batch statistics), layer norm and dropout (a fixed mask) against finite differences
 * in float64, through the composites their layers build; inputs and γ, β are all checked.
 */
class NormalizationGradientProperties {

    @Property(tries = 25)
    void batchNormTraining2d(@ForAll @IntRange(min = 2, max = 5) int n, @ForAll @IntRange(min = 1, max = 4) int f, @ForAll long seed) {
        GradCheck.check("batch_norm [" + n + ", " + f + "]", seed,
                x -> Normalize.overAxes(x.get(0), Ops.reshape(x.get(1), Shape.of(1, f)), Ops.reshape(x.get(2), Shape.of(1, f)), 1e-3, 0).y(),
                of("x", n, f), between("gamma", 0.5, 2.0, f), of("beta", f));
    }

    @Property(tries = 20)
    void batchNormTraining4d(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                             @ForAll @IntRange(min = 1, max = 3) int h, @ForAll @IntRange(min = 2, max = 3) int w, @ForAll long seed) {
        Shape bc = Shape.of(1, c, 1, 1);
        GradCheck.check("batch_norm [" + n + ", " + c + ", " + h + ", " + w + "]", seed,
                x -> Normalize.overAxes(x.get(0), Ops.reshape(x.get(1), bc), Ops.reshape(x.get(2), bc), 1e-3, 0, 2, 3).y(),
                of("x", n, c, h, w), between("gamma", 0.5, 2.0, c), of("beta", c));
    }

    @Property(tries = 20)
    void batchNormInference(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 4) int f, @ForAll long seed) {
        GradCheck.check("batch_norm inference", seed,
                x -> Normalize.withStatistics(x.get(0), x.get(1), x.get(2), x.get(3), x.get(4), 1e-5),
                of("x", n, f), of("mean", f), between("var", 0.2, 2.0, f), between("gamma", 0.5, 2.0, f), of("beta", f));
    }

    @Property(tries = 25)
    void layerNorm(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int a,
                   @ForAll @IntRange(min = 2, max = 4) int b, @ForAll long seed) {
        int[] axes = {1, 2};
        GradCheck.check("layer_norm [" + n + ", " + a + ", " + b + "]", seed,
                x -> Normalize.overAxes(x.get(0), x.get(1), x.get(2), 1e-3, axes).y(),
                of("x", n, a, b), between("gamma", 0.5, 2.0, a, b), of("beta", a, b));
    }

    /** layer_norm {dims: 1} on [N, T, F]: statistics per example and step, γ and β of shape [F]. */
    @Property(tries = 25)
    void layerNormLastDim(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int t,
                          @ForAll @IntRange(min = 2, max = 5) int f, @ForAll long seed) {
        GradCheck.check("layer_norm last dim [" + n + ", " + t + ", " + f + "]", seed,
                x -> Normalize.overAxes(x.get(0), x.get(1), x.get(2), 1e-3, 2).y(),
                of("x", n, t, f), between("gamma", 0.5, 2.0, f), of("beta", f));
    }

    @Test
    void layerNormDimsPicksTheTrailingDimsAndSaysWhenTheyReachTheBatch() {
        Graph g = new Graph();
        Node x = g.placeholder("input", DType.F64, 2, 3, 4);
        new tinynn.ops.nn.LayerNorm(1e-5, 1).build(x, "ln1");
        assertEquals(List.of("ln1.gamma", "ln1.beta"), g.parameters().stream().map(Node::name).toList());
        assertEquals(tinynn.graph.Shape.of(4), g.parameters().getFirst().shape());
        new tinynn.ops.nn.LayerNorm(1e-5, 0).build(x, "ln2");
        assertEquals(tinynn.graph.Shape.of(3, 4), g.parameters().get(2).shape());
        GraphException e = assertThrows(GraphException.class, () -> new tinynn.ops.nn.LayerNorm(1e-5, 3).build(x, "ln3"));
        assertEquals("layer 'ln3': layer_norm over the last 3 dims of [2, 3, 4] would include the batch; use dims 1 to 2, or 0 for all of them", e.getMessage());
        assertEquals(new tinynn.ops.nn.LayerNorm(1e-6, 1), Layers.create("layer_norm", Map.of("eps", 1e-6, "dims", 1L)));
        assertEquals(Map.of("eps", 1e-5), new tinynn.ops.nn.LayerNorm().attrs(), "files keep the form older readers know");
    }

    @Property(tries = 25)
    void dropoutFixedMask(@ForAll @IntRange(min = 1, max = 6) int m, @ForAll @IntRange(min = 1, max = 9) int n,
                          @ForAll @IntRange(min = 0, max = 9) int tenths, @ForAll long seed) {
        double rate = tenths / 10.0;
        GradCheck.check("dropout rate " + rate, seed, x -> Ops.dropout(x.get(0), OpCases.randomState(x.get(0), seed & 0xFFFF), rate, seed),
                of("x", m, n));
    }

    @Test
    void dropoutRateOutsideItsRangeIsAnError() {
        for (double bad : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layers.create("dropout", Map.of("rate", bad)));
            assertTrue(e.getMessage().startsWith("dropout: rate must be in [0, 1)"), e.getMessage());
        }
    }

    @Test
    void layersRoundTripThroughTheirAttributesAndRejectUnknownOnes() {
        for (tinynn.ops.nn.Layer l : new tinynn.ops.nn.Layer[] {new BatchNorm(0.01, 1e-3), new tinynn.ops.nn.LayerNorm(1e-6), new tinynn.ops.nn.LayerNorm(1e-6, 2), new tinynn.ops.nn.Dropout(0.25)}) {
            assertEquals(l, Layers.create(l.type(), l.attrs()));
        }
        assertEquals(new BatchNorm(), Layers.create("batch_norm", Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layers.create("batch_norm", Map.of("momentun", 0.2)));
        assertEquals("batch_norm has no attribute 'momentun'; it takes momentum, eps", e.getMessage());
    }

    @Test
    void trainingBatchNormNeedsMoreThanOneValuePerChannel() {
        Graph g = new Graph(Mode.TRAINING);
        Node x = g.placeholder("input", DType.F64, 1, 3);
        GraphException e = assertThrows(GraphException.class, () -> new BatchNorm().build(x, "batch_norm4"));
        assertTrue(e.getMessage().contains("layer 'batch_norm4'") && e.getMessage().contains("batches of 2 or more"), e.getMessage());
        // Inference needs no batch statistics: batch 1 is fine.
        Graph inf = new Graph();
        new BatchNorm().build(inf.placeholder("input", DType.F64, 1, 3), "batch_norm4");
    }

    @Test
    void batchNormUpdatesItsStateInTrainingOnly() {
        Graph g = new Graph(Mode.TRAINING);
        new BatchNorm().build(g.placeholder("input", DType.F64, 4, 3, 2, 2), "bn");
        assertEquals(2, g.updates().size());
        assertEquals(2, g.trainableParameters().size(), "gamma and beta; the running statistics are state");
        assertEquals(4, g.parameters().size());
        Graph inf = new Graph();
        new BatchNorm().build(inf.placeholder("input", DType.F64, 4, 3, 2, 2), "bn");
        assertTrue(inf.updates().isEmpty());
    }

    @Test
    void dropoutMaskKeepsAboutOneMinusRateAndScales() {
        // 100,000 draws at rate 0.3: the kept fraction's standard deviation is 0.00145, so ±0.01 is ~7σ.
        int size = 100_000;
        double rate = 0.3;
        Graph g = new Graph(Mode.TRAINING);
        Node x = g.constant(1.0, DType.F64, Shape.of(size));
        Node y = Ops.dropout(x, OpCases.randomState(x, 5), rate, 42);
        double[] v = ReferenceEval.value(y, new HashMap<>(), ReferenceEval.REFERENCE);
        int kept = 0;
        for (double e : v) {
            if (e != 0) {
                kept++;
                assertEquals(1 / (1 - rate), e, 1e-15, "kept elements are scaled by 1/(1 - rate)");
            }
        }
        assertEquals(1 - rate, (double) kept / size, 0.01);
        double[] other = ReferenceEval.value(Ops.dropout(x, OpCases.randomState(x, 6), rate, 42), new HashMap<>(), ReferenceEval.REFERENCE);
        int same = 0;
        for (int i = 0; i < size; i++) if ((v[i] != 0) == (other[i] != 0)) same++;
        // Independent masks agree on (1-r)^2 + r^2 = 0.58 of the elements; the same mask would agree on all.
        assertEquals(0.58, (double) same / size, 0.01, "another step draws another mask");
    }
}
