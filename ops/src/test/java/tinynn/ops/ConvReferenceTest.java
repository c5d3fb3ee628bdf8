package tinynn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.nn.ConvPadding;
import tinynn.ops.nn.ConvTranspose2dLayer;

/**
 * The reference forwards against independent formulations: conv2d as the textbook 7-loop nest over a
 * zero-padded copy of the image, conv_transpose2d as a scatter into a padded canvas that is then cropped (how
 * col2im implementations do it), their sizes against PyTorch's formulas, and the three ops as adjoints.
 */
class ConvReferenceTest {

    private static double[] random(SplittableRandom r, int... dims) {
        double[] v = new double[Shape.of(dims).elements()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(-1, 1);
        return v;
    }

    /** The image with the geometry's zero padding around each plane. */
    private static double[] padded(double[] x, ConvCase k) {
        ConvGeometry g = k.g();
        int ph = k.h() + g.padTop() + g.padBottom(), pw = k.w() + g.padLeft() + g.padRight();
        double[] p = new double[k.n() * k.c() * ph * pw];
        for (int b = 0; b < k.n() * k.c(); b++)
            for (int i = 0; i < k.h(); i++)
                for (int j = 0; j < k.w(); j++) p[(b * ph + i + g.padTop()) * pw + j + g.padLeft()] = x[(b * k.h() + i) * k.w() + j];
        return p;
    }

    /** y[n][o][i][j] = Σ_c Σ_p Σ_q xpad[n][grp(o)·cg + c][i·sh + p·dh][j·sw + q·dw] · w[o][c][p][q]. */
    private static double[] sevenLoops(double[] x, double[] w, ConvCase k) {
        ConvGeometry g = k.g();
        double[] xp = padded(x, k);
        int ph = k.h() + g.padTop() + g.padBottom(), pw = k.w() + g.padLeft() + g.padRight();
        int cg = k.c() / g.groups(), og = k.o() / g.groups(), oh = k.oh(), ow = k.ow();
        double[] y = new double[k.n() * k.o() * oh * ow];
        for (int n = 0; n < k.n(); n++)
            for (int o = 0; o < k.o(); o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                        for (int c = 0; c < cg; c++)
                            for (int p = 0; p < k.kh(); p++)
                                for (int q = 0; q < k.kw(); q++) {
                                    int ch = o / og * cg + c;
                                    y[((n * k.o() + o) * oh + i) * ow + j] += xp[((n * k.c() + ch) * ph + i * g.strideH() + p * g.dilationH()) * pw
                                            + j * g.strideW() + q * g.dilationW()] * w[((o * cg + c) * k.kh() + p) * k.kw() + q];
                                }
        return y;
    }

    /** Each dy element adds its weighted window into a padded canvas; the padding is cropped off at the end. */
    private static double[] scatter(double[] dy, double[] w, ConvCase k, int outH, int outW) {
        ConvGeometry g = k.g();
        int ph = outH + g.padTop() + g.padBottom() + k.kh() * g.dilationH() + g.strideH(), pw = outW + g.padLeft() + g.padRight() + k.kw() * g.dilationW() + g.strideW();
        int cg = k.c() / g.groups(), og = k.o() / g.groups(), oh = k.oh(), ow = k.ow();
        double[] canvas = new double[k.n() * k.c() * ph * pw];
        for (int n = 0; n < k.n(); n++)
            for (int o = 0; o < k.o(); o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                        for (int c = 0; c < cg; c++)
                            for (int p = 0; p < k.kh(); p++)
                                for (int q = 0; q < k.kw(); q++) {
                                    int ch = o / og * cg + c;
                                    canvas[((n * k.c() + ch) * ph + i * g.strideH() + p * g.dilationH()) * pw + j * g.strideW() + q * g.dilationW()]
                                            += dy[((n * k.o() + o) * oh + i) * ow + j] * w[((o * cg + c) * k.kh() + p) * k.kw() + q];
                                }
        double[] x = new double[k.n() * k.c() * outH * outW];
        for (int b = 0; b < k.n() * k.c(); b++)
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++) x[(b * outH + i) * outW + j] = canvas[(b * ph + i + g.padTop()) * pw + j + g.padLeft()];
        return x;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-12, what + " [" + i + "]");
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Property(tries = 200)
    void conv2dIsTheSevenLoopNest(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int cg,
                                  @ForAll @IntRange(min = 1, max = 3) int og, @ForAll @IntRange(min = 0, max = 2) int groups,
                                  @ForAll @IntRange(min = 1, max = 4) int kh, @ForAll @IntRange(min = 1, max = 4) int kw,
                                  @ForAll @IntRange(min = 1, max = 3) int sh, @ForAll @IntRange(min = 1, max = 3) int sw,
                                  @ForAll @IntRange(min = 1, max = 3) int dh, @ForAll @IntRange(min = 1, max = 3) int dw,
                                  @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 0, max = 80) int padSeed,
                                  @ForAll @IntRange(min = 0, max = 6) int eh, @ForAll @IntRange(min = 0, max = 6) int ew, @ForAll long seed) {
        ConvCase k = ConvCase.of(n, cg, og, groups, kh, kw, sh, sw, dh, dw, pad, padSeed, eh, ew);
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = random(r, k.x()), w = random(r, k.weight());
        Conv2d op = new Conv2d(k.g());
        Shape out = Shape.of(k.y());
        assertClose(sevenLoops(x, w, k), op.reference(new double[][] {x, w}, new Shape[] {Shape.of(k.x()), Shape.of(k.weight())}, out), "conv2d " + k);
    }

    @Property(tries = 200)
    void convTranspose2dIsTheScatterWithPyTorchsSize(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int cg,
                                                     @ForAll @IntRange(min = 1, max = 3) int og, @ForAll @IntRange(min = 0, max = 2) int groups,
                                                     @ForAll @IntRange(min = 1, max = 4) int kh, @ForAll @IntRange(min = 1, max = 4) int kw,
                                                     @ForAll @IntRange(min = 1, max = 3) int sh, @ForAll @IntRange(min = 1, max = 3) int sw,
                                                     @ForAll @IntRange(min = 1, max = 3) int dh, @ForAll @IntRange(min = 1, max = 3) int dw,
                                                     @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 0, max = 80) int padSeed,
                                                     @ForAll @IntRange(min = 0, max = 6) int eh, @ForAll @IntRange(min = 0, max = 6) int ew,
                                                     @ForAll @IntRange(min = 0, max = 2) int opH, @ForAll @IntRange(min = 0, max = 2) int opW,
                                                     @ForAll long seed) {
        ConvCase k = ConvCase.of(n, cg, og, groups, kh, kw, sh, sw, dh, dw, pad, padSeed, eh, ew);
        ConvGeometry g = k.g();
        int outputPaddingH = opH % sh, outputPaddingW = opW % sw;
        // PyTorch: (in − 1)·stride − padding_before − padding_after + dilation·(k − 1) + output_padding + 1.
        int outH = (k.oh() - 1) * sh - g.padTop() - g.padBottom() + dh * (kh - 1) + outputPaddingH + 1;
        int outW = (k.ow() - 1) * sw - g.padLeft() - g.padRight() + dw * (kw - 1) + outputPaddingW + 1;
        assertEquals(outH, ConvTranspose2d.outputSize(k.oh(), kh, sh, g.padTop(), g.padBottom(), dh, outputPaddingH));
        Graph graph = new Graph();
        Node dyNode = graph.placeholder("dy", DType.F64, k.y()), wNode = graph.placeholder("w", DType.F64, k.weight());
        if (outH < 1 || outW < 1) { // PyTorch refuses these too: the padding eats the whole output
            assertThrows(GraphException.class, () -> Ops.convTranspose2d(dyNode, wNode, g, outH, outW));
            return;
        }
        Node t = Ops.convTranspose2d(dyNode, wNode, g, outH, outW);
        assertEquals(Shape.of(k.n(), k.c(), outH, outW), t.shape());

        SplittableRandom r = new SplittableRandom(seed);
        double[] dy = random(r, k.y()), w = random(r, k.weight());
        double[] got = ((ConvTranspose2d) t.op()).reference(new double[][] {dy, w}, new Shape[] {Shape.of(k.y()), Shape.of(k.weight())}, t.shape());
        assertClose(scatter(dy, w, k, outH, outW), got, "conv_transpose2d " + k);
    }

    /** <conv2d(x, w), y> = <x, convT(y, w)> = <w, dw(x, y)>: the three references are adjoints of one bilinear form. */
    @Property(tries = 100)
    void theThreeOpsAreAdjoint(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int cg,
                               @ForAll @IntRange(min = 1, max = 2) int og, @ForAll @IntRange(min = 0, max = 2) int groups,
                               @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 3) int kw,
                               @ForAll @IntRange(min = 1, max = 3) int sh, @ForAll @IntRange(min = 1, max = 3) int sw,
                               @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 0, max = 80) int padSeed,
                               @ForAll @IntRange(min = 0, max = 4) int eh, @ForAll @IntRange(min = 0, max = 4) int ew, @ForAll long seed) {
        ConvCase k = ConvCase.of(n, cg, og, groups, kh, kw, sh, sw, 1, 2, pad, padSeed, eh, ew);
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = random(r, k.x()), w = random(r, k.weight()), y = random(r, k.y());
        Shape xs = Shape.of(k.x()), ws = Shape.of(k.weight()), ys = Shape.of(k.y());
        double a = dot(new Conv2d(k.g()).reference(new double[][] {x, w}, new Shape[] {xs, ws}, ys), y);
        double b = dot(x, new ConvTranspose2d(k.g(), k.h(), k.w()).reference(new double[][] {y, w}, new Shape[] {ys, ws}, xs));
        double c = dot(w, new Conv2dGradWeight(k.g(), k.kh(), k.kw()).reference(new double[][] {x, y}, new Shape[] {xs, ys}, ws));
        assertEquals(a, b, 1e-10, k.toString());
        assertEquals(a, c, 1e-10, k.toString());
    }

    @Test
    void transposedLayerSizesMatchPyTorch() {
        // torch.nn.ConvTranspose2d(1, 1, kernel, stride, padding, output_padding, dilation=...)(torch.zeros(1, 1, H, W)).shape
        assertEquals(Shape.of(1, 2, 10, 14), transposed(5, 7, new ConvTranspose2dLayer(2, 3, 3, 2, 2, ConvPadding.explicit(1, 1, 1, 1), 1, 1, 1, 1, 1, true,
                tinynn.ops.init.Initializers.zeros(), tinynn.ops.init.Initializers.zeros())));
        assertEquals(Shape.of(1, 3, 32, 32), transposed(16, 16, new ConvTranspose2dLayer(3, 4, 2, ConvPadding.explicit(1, 1, 1, 1))));
        assertEquals(Shape.of(1, 1, 9, 9), transposed(5, 5, new ConvTranspose2dLayer(1, 3, 3, 1, 1, ConvPadding.VALID, 0, 0, 2, 2, 1, true,
                tinynn.ops.init.Initializers.zeros(), tinynn.ops.init.Initializers.zeros())));
        assertEquals(Shape.of(1, 1, 12, 12), transposed(4, 4, new ConvTranspose2dLayer(1, 5, 5, 3, 3, ConvPadding.explicit(2, 1, 2, 1), 2, 0, 1, 1, 1, true,
                tinynn.ops.init.Initializers.zeros(), tinynn.ops.init.Initializers.zeros())));
        // "same": in·stride, for kernels longer and shorter than the stride
        assertEquals(Shape.of(1, 2, 14, 21), transposed(7, 7, new ConvTranspose2dLayer(2, 3, 3, 2, 3, ConvPadding.SAME, 0, 0, 1, 1, 1, true,
                tinynn.ops.init.Initializers.zeros(), tinynn.ops.init.Initializers.zeros())));
        assertEquals(Shape.of(1, 2, 12, 12), transposed(4, 4, new ConvTranspose2dLayer(2, 2, 3, ConvPadding.SAME)));
    }

    private static Shape transposed(int h, int w, ConvTranspose2dLayer layer) {
        Graph g = new Graph();
        return layer.build(g.placeholder("x", DType.F64, 1, 1, h, w), "up").shape();
    }

    @Test
    void shapeErrorsNameChannelsGroupsAndKernel() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 2, 3, 8, 8);
        String channels = assertThrows(GraphException.class, () -> Ops.conv2d(x, g.placeholder("w", DType.F64, 8, 2, 3, 3), ConvGeometry.unit())).getMessage();
        assertEquals("conv2d: the input has 3 channels but the weight [8, 2, 3, 3] expects C/groups = 2 with groups=1 (2 channels); "
                + "give the weight 3 input channels or change groups", channels);
        String groups = assertThrows(GraphException.class,
                () -> Ops.conv2d(x, g.placeholder("w2", DType.F64, 4, 1, 3, 3), new ConvGeometry(1, 1, 0, 0, 0, 0, 1, 1, 2))).getMessage();
        assertEquals("conv2d: 3 input channels do not split into groups=2; use a groups value that divides 3", groups);
        String kernel = assertThrows(GraphException.class,
                () -> Ops.conv2d(x, g.placeholder("w3", DType.F64, 4, 3, 3, 5), new ConvGeometry(1, 1, 0, 0, 0, 0, 1, 2, 1))).getMessage();
        assertEquals("conv2d: the dilated kernel width 9 does not fit the input width 8 with padding 0; use a smaller kernel or more padding", kernel);
        String flat = assertThrows(GraphException.class, () -> Ops.conv2d(g.placeholder("f", DType.F64, 2, 64), x, ConvGeometry.unit())).getMessage();
        assertTrue(flat.contains("needs an NCHW image"), flat);
        String dw = assertThrows(GraphException.class,
                () -> Ops.conv2dGradWeight(x, g.placeholder("dy", DType.F64, 2, 4, 5, 5), ConvGeometry.unit(), 3, 3)).getMessage();
        assertTrue(dw.contains("does not give the gradient's [2, 4, 5, 5]"), dw);
    }

    @Test
    void outputPaddingMustBeSmallerThanTheStride() {
        Graph g = new Graph();
        Node dy = g.placeholder("dy", DType.F64, 1, 1, 3, 3), w = g.placeholder("w", DType.F64, 1, 1, 3, 3);
        GraphException e = assertThrows(GraphException.class, () -> Ops.convTranspose2d(dy, w, new ConvGeometry(2, 2, 0, 0, 0, 0, 1, 1, 1), 9, 9));
        assertTrue(e.getMessage().contains("output_padding must be smaller than the stride"), e.getMessage());
    }
}
