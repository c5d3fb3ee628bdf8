package tinynn.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static tinynn.ops.GradCheck.Input.between;
import static tinynn.ops.GradCheck.Input.of;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import tinynn.graph.Autodiff;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.loss.Loss;
import tinynn.ops.loss.Losses;

/**
 * Embedding lookups (gather, scatter_add) and the sequence plumbing around them (dense on [N, T, F], softmax
 * cross entropy on [N, T, C] logits with [N, T] ids), against finite differences in float64; ids always repeat,
 * so rows that several positions read must add up their gradients.
 */
class SequenceGradientProperties {

    /** Random ids in [0, vocab) for [n, t], with ids[1] = ids[0] so at least one id repeats when n·t > 1. */
    static double[] ids(long seed, int vocab, int n, int t) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5EED);
        double[] ids = new double[n * t];
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(vocab);
        if (ids.length > 1) ids[1] = ids[0];
        return ids;
    }

    private static Node constant(Node like, double[] values, int... dims) { return like.graph().constant(values, like.dtype(), Shape.of(dims)); }

    @Property(tries = 30)
    void embeddingLookup(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int t,
                         @ForAll @IntRange(min = 1, max = 5) int vocab, @ForAll @IntRange(min = 1, max = 4) int dim, @ForAll long seed) {
        double[] ids = ids(seed, vocab, n, t);
        GradCheck.check("gather", seed, x -> Ops.gather(x.get(0), constant(x.get(0), ids, n, t)), of("table", vocab, dim));
        GradCheck.check("scatter_add", seed, x -> Ops.scatterAdd(constant(x.get(0), ids, n, t), x.get(0), vocab), of("g", n, t, dim));
    }

    @Property(tries = 20)
    void embeddingDenseSequenceLoss(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int t,
                                    @ForAll @IntRange(min = 2, max = 5) int vocab, @ForAll long seed) {
        // A whole next-token model: gather, dense on [N, T, D] (reshape, matmul, bias), loss on [N, T, C] logits with [N, T] ids.
        double[] ids = ids(seed, vocab, n, t), next = ids(seed + 1, vocab, n, t);
        GradCheck.check("embedding → dense → sequence cross entropy", seed, x -> {
            Node e = Ops.gather(x.get(0), constant(x.get(0), ids, n, t));
            Node h = Ops.reshape(Ops.add(Ops.matmul(Ops.reshape(e, Shape.of(n * t, 3)), x.get(1)), x.get(2)), Shape.of(n, t, vocab));
            return Losses.softmaxCrossEntropy().build(h, constant(h, next, n, t));
        }, of("table", vocab, 3), of("w", 3, vocab), of("b", 1, vocab));
    }

    @Property(tries = 20)
    void sequenceCrossEntropyWithOptions(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int t, @ForAll long seed) {
        double[] ids = ids(seed, 4, n, t);
        Loss options = Losses.softmaxCrossEntropy(new double[] {0.5, 1, 2, 1.5}, 0.1, 2);
        GradCheck.check("sequence cross entropy (weights, smoothing, temperature)", seed,
                x -> options.build(x.get(0), constant(x.get(0), ids, n, t)), between("logits", -3.0, 3.0, n, t, 4));
    }

    private static double loss(Loss loss, double[] logits, int[] dims, double[] targets, int... targetDims) {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, dims), y = g.placeholder("y", DType.F64, targetDims);
        return ReferenceEval.value(loss.build(x, y), Map.of(x, logits, y, targets), ReferenceEval.REFERENCE)[0];
    }

    @Example
    void sequenceLossIsTheMeanOverEveryPosition() {
        // Logits [2, 2, 3], rows [1, 2, 3], [0, 0, 0], [1, 2, 3], [3, 2, 1]; ids [[2, 0], [0, 0]]:
        // −log softmax = 0.40760596444438 (row 0, class 2), log 3 (row 1), 2.40760596444438 (row 2, class 0),
        // 0.40760596444438 (row 3, class 0); their mean over the 4 positions = (2·0.40760596444438 + log 3 + 2.40760596444438) / 4.
        double[] x = {1, 2, 3, 0, 0, 0, 1, 2, 3, 3, 2, 1};
        double expected = (2 * 0.40760596444438013 + Math.log(3) + 2.40760596444438) / 4;
        assertEquals(expected, loss(Losses.softmaxCrossEntropy(), x, new int[] {2, 2, 3}, new double[] {2, 0, 0, 0}, 2, 2), 1e-12);
        // One-hot [N, T, C] targets give the same; so does the 2-D loss on the flattened logits.
        double[] onehot = {0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0};
        assertEquals(expected, loss(Losses.softmaxCrossEntropy(), x, new int[] {2, 2, 3}, onehot, 2, 2, 3), 1e-12);
        assertEquals(expected, loss(Losses.softmaxCrossEntropy(), x, new int[] {4, 3}, new double[] {2, 0, 0, 0}, 4), 1e-12);
        Loss options = Losses.softmaxCrossEntropy(new double[] {0.5, 1, 2}, 0.1, 2);
        assertEquals(loss(options, x, new int[] {4, 3}, new double[] {2, 0, 0, 0}, 4),
                loss(options, x, new int[] {2, 2, 3}, new double[] {2, 0, 0, 0}, 2, 2), 1e-12);
    }

    @Example
    void targetShapes() {
        Loss ce = Losses.softmaxCrossEntropy();
        assertEquals(Shape.of(4, 7), ce.targetShape(Shape.of(4, 7, 10)));
        assertEquals(Shape.of(4, 10), ce.targetShape(Shape.of(4, 10)));
        assertEquals(Shape.of(4, 7, 10), Losses.mse().targetShape(Shape.of(4, 7, 10)));
        assertEquals(Shape.of(4, 7), Losses.softmaxCrossEntropy(null, 0.1, 1).targetShape(Shape.of(4, 7, 10)));
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 2, 3, 5);
        assertEquals("loss softmax_cross_entropy: targets [2, 5] are neither class ids [2, 3] nor one-hot [2, 3, 5] for logits [2, 3, 5]",
                assertThrows(tinynn.graph.GraphException.class, () -> ce.build(x, g.placeholder("y", DType.F64, 2, 5))).getMessage());
    }

    @Example
    void repeatedIdsAddTheirRows() {
        // ids [1, 3, 1] into a 4-row table: the gradient of Σ gather(table, ids) ⊙ g puts g0 + g2 into row 1 and g1 into row 3.
        Graph graph = new Graph();
        Node table = graph.placeholder("table", DType.F64, 4, 2), g = graph.placeholder("g", DType.F64, 3, 2);
        Node out = Ops.gather(table, graph.constant(new double[] {1, 3, 1}, DType.F64, Shape.of(3)));
        Node grad = Autodiff.gradients(Ops.sumAll(Ops.mul(out, g)), List.of(table)).get(table);
        double[] dt = ReferenceEval.value(grad, Map.of(table, new double[8], g, new double[] {1, 2, 10, 20, 100, 200}), ReferenceEval.REFERENCE);
        assertArrayEquals(new double[] {0, 0, 101, 202, 0, 0, 10, 20}, dt);
        assertEquals(Shape.of(3, 2), out.shape());
        assertEquals(Shape.of(2, 3, 5), Ops.gather(graph.placeholder("t", DType.F64, 9, 5), graph.placeholder("i", DType.F32, 2, 3)).shape());
    }

    @Example
    void badIdsAreOneLineErrorsNamingTheIdAndV() {
        double[] table = new double[6];
        Shape[] shapes = {Shape.of(3, 2), Shape.of(1)};
        for (double bad : new double[] {3, -1, 1.5, Double.NaN}) {
            var e = assertThrows(IllegalArgumentException.class, () -> new Gather().reference(new double[][] {table, {bad}}, shapes, Shape.of(1, 2)));
            String id = bad == Math.rint(bad) ? String.valueOf((long) bad) : String.valueOf(bad);
            assertEquals("gather: id " + id + " is not an integer in [0, 3): ids must index the table's V = 3 rows (for an embedding, a token id below its vocab)", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new ScatterAdd(3).reference(new double[][] {{bad}, {1, 1}}, new Shape[] {Shape.of(1), Shape.of(1, 2)}, Shape.of(3, 2)));
        }
    }
}
