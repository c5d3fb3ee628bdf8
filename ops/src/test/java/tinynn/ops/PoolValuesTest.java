package tinynn.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import tinynn.graph.Autodiff;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.nn.AvgPool2dLayer;
import tinynn.ops.nn.GlobalAvgPool2dLayer;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Layers;
import tinynn.ops.nn.MaxPool2dLayer;

/**
 * Pooling values against a direct loop over an explicitly padded copy of the image (−∞ or 0 written into the
 * border, as the definitions say, instead of the ops' clipped windows); ties; shape errors; layer attributes.
 */
class PoolValuesTest {

    /** Pools x [n, c, h, w] by padding it with {@code fill} and taking every full window of the padded image. */
    private static double[] direct(double[] x, int n, int c, int h, int w, PoolWindow win, boolean max, boolean countIncludePad) {
        int ph = h + win.padTop() + win.padBottom(), pw = w + win.padLeft() + win.padRight();
        int oh = (ph - win.kernelH()) / win.strideH() + 1, ow = (pw - win.kernelW()) / win.strideW() + 1;
        double[] out = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            double[] padded = new double[ph * pw];
            boolean[] real = new boolean[ph * pw];
            Arrays.fill(padded, max ? Double.NEGATIVE_INFINITY : 0);
            for (int y = 0; y < h; y++) {
                for (int z = 0; z < w; z++) {
                    padded[(y + win.padTop()) * pw + z + win.padLeft()] = x[p * h * w + y * w + z];
                    real[(y + win.padTop()) * pw + z + win.padLeft()] = true;
                }
            }
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int a = 0; a < win.kernelH(); a++) {
                        for (int b = 0; b < win.kernelW(); b++) {
                            int k = (i * win.strideH() + a) * pw + j * win.strideW() + b;
                            acc = max ? Math.max(acc, padded[k]) : acc + padded[k];
                            if (real[k]) count++;
                        }
                    }
                    out[(p * oh + i) * ow + j] = max ? acc : acc / (countIncludePad ? win.kernelH() * win.kernelW() : count);
                }
            }
        }
        return out;
    }

    private static double[] eval(Node out, Node x, double[] xv) { return ReferenceEval.value(out, Map.of(x, xv), ReferenceEval.REFERENCE); }

    @Property(tries = 200)
    void poolingMatchesTheDirectLoop(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                                     @ForAll @IntRange(min = 0, max = 5) int extraH, @ForAll @IntRange(min = 0, max = 5) int extraW,
                                     @ForAll @IntRange(min = 1, max = 5) int kh, @ForAll @IntRange(min = 1, max = 5) int kw,
                                     @ForAll @IntRange(min = 1, max = 4) int sh, @ForAll @IntRange(min = 1, max = 4) int sw,
                                     @ForAll @IntRange(min = 0, max = 2) int pt, @ForAll @IntRange(min = 0, max = 2) int pl,
                                     @ForAll @IntRange(min = 0, max = 2) int pb, @ForAll @IntRange(min = 0, max = 2) int pr,
                                     @ForAll boolean negative, @ForAll boolean countIncludePad, @ForAll long seed) {
        // Padding up to half the kernel (the ops' rule), the image at least one window large.
        PoolWindow win = new PoolWindow(kh, kw, sh, sw, Math.min(pt, kh / 2), Math.min(pl, kw / 2), Math.min(pb, kh / 2), Math.min(pr, kw / 2));
        int h = Math.max(1, kh - win.padTop() - win.padBottom()) + extraH, w = Math.max(1, kw - win.padLeft() - win.padRight()) + extraW;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] xv = new double[n * c * h * w];
        // All negative: a window at the border must still take its largest real element, not the padding.
        for (int i = 0; i < xv.length; i++) xv[i] = negative ? rng.nextDouble(-5, -0.5) : rng.nextDouble(-5, 5);
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, n, c, h, w);
        assertArrayEquals(direct(xv, n, c, h, w, win, true, false), eval(Ops.maxPool2d(x, win), x, xv), 0, "max_pool2d " + win);
        assertArrayEquals(direct(xv, n, c, h, w, win, false, countIncludePad), eval(Ops.avgPool2d(x, win, countIncludePad), x, xv), 1e-12,
                "avg_pool2d " + win + " count_include_pad=" + countIncludePad);
    }

    @Test
    void tiesSendTheGradientToTheFirstMaximum() {
        // One 2×2 window of equal values and one where the maximum 3 appears twice, then a 3×3 overlapping case.
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 1, 1, 2, 4);
        double[] xv = {5, 5, 1, 3, 5, 5, 3, 2};
        Node y = Ops.maxPool2d(x, PoolWindow.of(2));
        Node dx = Autodiff.gradients(Ops.sumAll(y), List.of(x)).get(x);
        assertArrayEquals(new double[] {5, 3}, eval(y, x, xv));
        assertArrayEquals(new double[] {1, 0, 0, 1, 0, 0, 0, 0}, eval(dx, x, xv));

        Node z = g.placeholder("z", DType.F64, 1, 1, 3, 3);
        double[] zv = {1, 7, 7, 7, 7, 0, 0, 0, 0};
        Node yz = Ops.maxPool2d(z, new PoolWindow(2, 2, 1, 1, 0, 0, 0, 0));
        Node dz = Autodiff.gradients(Ops.sumAll(yz), List.of(z)).get(z);
        // Overlapping windows at (0,0), (0,1), (1,0), (1,1) take z[0,1], z[0,1], z[1,0], z[1,1]: the first 7 of each.
        assertArrayEquals(new double[] {0, 2, 0, 1, 1, 0, 0, 0, 0}, eval(dz, z, zv));
    }

    @Test
    void aNanWinsItsWindowAsInPyTorch() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 1, 1, 2, 2);
        double[] r = eval(Ops.maxPool2d(x, PoolWindow.of(2)), x, new double[] {1, Double.NaN, 9, 2});
        assertTrue(Double.isNaN(r[0]), Arrays.toString(r));
    }

    @Test
    void windowsThatDoNotTileDropTheLeftover() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 1, 1, 3, 5);
        double[] xv = {1, 2, 3, 4, 99, 5, 6, 7, 8, 99, 99, 99, 99, 99, 99};
        Node y = Ops.maxPool2d(x, PoolWindow.of(2));
        assertEquals(Shape.of(1, 1, 1, 2), y.shape());
        assertArrayEquals(new double[] {6, 8}, eval(y, x, xv));
        Node dx = Autodiff.gradients(Ops.sumAll(Ops.avgPool2d(x, PoolWindow.of(2), true)), List.of(x)).get(x);
        assertArrayEquals(new double[] {.25, .25, .25, .25, 0, .25, .25, .25, .25, 0, 0, 0, 0, 0, 0}, eval(dx, x, xv));
    }

    @Test
    void shapeErrorsNameTheLayerAndSayWhatToChange() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 2, 3, 4, 4);
        GraphException e = assertThrows(GraphException.class, () -> new MaxPool2dLayer(PoolWindow.of(5)).build(x, "max_pool2d3"));
        assertTrue(e.getMessage().startsWith("layer 'max_pool2d3': max_pool2d: the 5×5 window does not fit the input [2, 3, 4, 4]"), e.getMessage());
        assertTrue(e.getMessage().contains("use a kernel of at most [4, 4] or more padding"), e.getMessage());
        Node flat = g.placeholder("flat", DType.F64, 2, 48);
        e = assertThrows(GraphException.class, () -> new AvgPool2dLayer(2).build(flat, "avg_pool2d1"));
        assertTrue(e.getMessage().startsWith("layer 'avg_pool2d1': avg_pool2d: needs NCHW input"), e.getMessage());
        e = assertThrows(GraphException.class, () -> new GlobalAvgPool2dLayer().build(flat, "global_avg_pool2d0"));
        assertTrue(e.getMessage().startsWith("layer 'global_avg_pool2d0': global_avg_pool2d needs NCHW input"), e.getMessage());
        e = assertThrows(GraphException.class, () -> new PoolWindow(2, 2, 2, 2, 2, 0, 0, 0));
        assertTrue(e.getMessage().contains("more than half the kernel"), e.getMessage());
    }

    @Test
    void globalAveragePoolIsTheMeanOfEachPlane() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 1, 2, 1, 3);
        Node y = Ops.globalAvgPool2d(x);
        assertEquals(Shape.of(1, 2), y.shape());
        assertArrayEquals(new double[] {2, -1}, eval(y, x, new double[] {1, 2, 3, 0, -3, 0}), 1e-15);
    }

    @Test
    void layerAttributesRoundTripInEveryForm() {
        List<Layer> layers = List.of(new MaxPool2dLayer(2), new AvgPool2dLayer(new PoolWindow(3, 2, 1, 2, 1, 0, 0, 1), false),
                new GlobalAvgPool2dLayer());
        for (Layer l : layers) {
            assertEquals(l, Layers.create(l.type(), l.attrs()), "attrs() as written");
            // Model files read integer lists back as long[], the CLI's spec reader as List<Long>.
            Map<String, Object> asLongs = new java.util.LinkedHashMap<>(l.attrs());
            asLongs.replaceAll((k, v) -> v instanceof int[] a ? Arrays.stream(a).asLongStream().toArray() : v);
            assertEquals(l, Layers.create(l.type(), asLongs), "attrs() as a model file stores them");
        }
        assertEquals(new MaxPool2dLayer(new PoolWindow(3, 2, 3, 2, 1, 1, 1, 1)),
                Layers.create("max_pool2d", Map.of("kernel", List.of(3L, 2L), "padding", 1L)));
        assertEquals(new MaxPool2dLayer(new PoolWindow(3, 3, 2, 1, 1, 0, 1, 0)),
                Layers.create("max_pool2d", Map.of("kernel", 3L, "stride", List.of(2L, 1L), "padding", List.of(1L, 0L))));
        assertEquals(new AvgPool2dLayer(new PoolWindow(4, 4, 4, 4, 0, 1, 2, 1), true),
                Layers.create("avg_pool2d", Map.of("kernel", 4, "padding", List.of(0, 1, 2, 1))));
        var e = assertThrows(IllegalArgumentException.class, () -> Layers.create("max_pool2d", Map.of("kernel", 2L, "strides", 2L)));
        assertEquals("max_pool2d has no attribute 'strides'; it takes kernel, stride, padding", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.create("avg_pool2d", Map.of()));
        assertTrue(e.getMessage().startsWith("avg_pool2d needs attribute 'kernel'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.create("max_pool2d", Map.of("kernel", 2L, "padding", List.of(1L, 1L, 1L))));
        assertTrue(e.getMessage().contains("'padding' must be i, ints [h, w] or ints [top, left, bottom, right]"), e.getMessage());
    }
}
