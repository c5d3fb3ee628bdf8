package tinynn.ops.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Conv2d;
import tinynn.ops.ConvGeometry;

/** Conv2dLayer and ConvTranspose2dLayer in a graph: shapes, parameters, padding rules, attributes and errors. */
class ConvLayersTest {

    private final Graph g = new Graph();

    private Node image(int... dims) { return g.placeholder("x", DType.F32, dims); }

    private static Map<String, Object> attrs(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private Node param(String name) { return g.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(); }

    private static ConvGeometry geometry(Node y) {
        Node n = y;
        while (!(n.op() instanceof Conv2d)) n = n.input(0);
        return ((Conv2d) n.op()).geometry();
    }

    @Test
    void lenetLayersGiveTheirShapesAndParameters() {
        Node x = image(8, 1, 28, 28);
        Node c1 = Layers.create("conv2d", attrs("out", 6L, "kernel", 5L, "padding", "same")).build(x, "conv0");
        assertEquals(Shape.of(8, 6, 28, 28), c1.shape());
        Node c2 = Layers.create("conv2d", attrs("out", 16L, "kernel", 5L)).build(c1, "conv1");
        assertEquals(Shape.of(8, 16, 24, 24), c2.shape());
        assertEquals(Shape.of(16, 6, 5, 5), param("conv1.w").shape());
        assertEquals(Shape.of(1, 16, 1, 1), param("conv1.b").shape());
        assertEquals(DType.F32, param("conv1.w").dtype());
        assertTrue(c2.name().startsWith("conv1/"), c2.name());
    }

    @Test
    void samePaddingIsTensorFlowsForAnyStrideWithTheOddPixelBottomRight() {
        // in 7, k 4, s 2: out ⌈7/2⌉ = 4, total (4−1)·2 + 4 − 7 = 3 → top 1, bottom 2
        Node y = new Conv2dLayer(2, 4, 4, 2, 2, ConvPadding.SAME, 1, 1, 1, true, Conv2dLayer.DEFAULT_W_INIT, tinynn.ops.init.Initializers.zeros())
                .build(image(1, 3, 7, 8), "c");
        assertEquals(Shape.of(1, 2, 4, 4), y.shape());
        ConvGeometry geo = geometry(y);
        assertEquals(List.of(1, 1, 2, 1), List.of(geo.padTop(), geo.padLeft(), geo.padBottom(), geo.padRight()));
        // dilation counts: k 3 dilated by 2 is 5 wide → 4 pixels of padding at stride 1
        Node d = Layers.create("conv2d", attrs("out", 1L, "kernel", List.of(3L, 1L), "dilation", 2L, "padding", "same")).build(image(1, 3, 6, 6), "d");
        assertEquals(Shape.of(1, 1, 6, 6), d.shape());
        ConvGeometry dg = geometry(d);
        assertEquals(List.of(2, 0, 2, 0), List.of(dg.padTop(), dg.padLeft(), dg.padBottom(), dg.padRight()));
    }

    @Test
    void explicitPaddingFormsAndNonSquareEverything() {
        Node x = image(2, 4, 9, 13);
        Node a = Layers.create("conv2d", attrs("out", 6L, "kernel", List.of(3L, 5L), "stride", List.of(2L, 3L),
                "padding", List.of(1L, 0L, 2L, 3L), "dilation", List.of(1L, 2L), "groups", 2L)).build(x, "a");
        // H: (9 + 1 + 2 − 3) / 2 + 1 = 5; W: (13 + 0 + 3 − 9) / 3 + 1 = 3
        assertEquals(Shape.of(2, 6, 5, 3), a.shape());
        assertEquals(Shape.of(6, 2, 3, 5), param("a.w").shape());
        assertEquals(Shape.of(2, 6, 11, 13), Layers.create("conv2d", attrs("out", 6L, "kernel", 3L, "padding", List.of(2L, 1L))).build(x, "b").shape());
        assertEquals(Shape.of(2, 6, 11, 15), Layers.create("conv2d", attrs("out", 6L, "kernel", 3L, "padding", 2L)).build(x, "c").shape());
        assertEquals(Shape.of(2, 6, 7, 11), Layers.create("conv2d", attrs("out", 6L, "kernel", 3L, "padding", "valid")).build(x, "d").shape());
    }

    @Test
    void depthwiseAndNoBias() {
        Node y = Layers.create("conv2d", attrs("out", 8L, "kernel", 3L, "groups", 4L, "b", false)).build(image(1, 4, 5, 5), "dw");
        assertEquals(Shape.of(1, 8, 3, 3), y.shape());
        assertEquals(Shape.of(8, 1, 3, 3), param("dw.w").shape());
        assertFalse(g.parameters().stream().anyMatch(p -> p.name().equals("dw.b")));
        assertEquals(4, geometry(y).groups());
    }

    @Test
    void attributesRoundTripThroughLayersCreate() {
        for (Layer l : List.<Layer>of(
                Layers.create("conv2d", attrs("out", 6L, "kernel", 5L, "padding", "same")),
                Layers.create("conv2d", attrs("out", 4L, "kernel", List.of(3L, 2L), "stride", List.of(2L, 1L), "padding", List.of(1L, 0L, 2L, 1L),
                        "dilation", 2L, "groups", 2L, "bias", false, "w_init", "he_normal", "b_init", "constant(0.1)")),
                Layers.create("conv2d", attrs("out", 4L, "kernel", 3L, "init", "he_uniform", "init_gain", 0.5)),
                Layers.create("conv_transpose2d", attrs("out", 3L, "kernel", 4L, "stride", 2L, "padding", 1L, "output_padding", 1L)),
                Layers.create("conv_transpose2d", attrs("out", 2L, "kernel", List.of(3L, 5L), "stride", List.of(2L, 3L), "padding", "same", "bias", false)))) {
            Layer again = Layers.create(l.type(), l.attrs());
            assertEquals(l.attrs().toString(), again.attrs().toString());
            assertEquals(l.attrs().toString(), Layers.create(l.type(), new LinkedHashMap<>(again.attrs())).attrs().toString());
        }
        assertEquals("he_uniform(gain=0.5)", Layers.create("conv2d", attrs("out", 4L, "kernel", 3L, "init", "he_uniform", "init_gain", 0.5)).attrs().get("w_init"));
        assertEquals("xavier_uniform", Layers.create("conv2d", attrs("out", 4L, "kernel", 3L)).attrs().get("w_init"));
    }

    @Test
    void errorsNameTheLayerAndWhatToChange() {
        GraphException flat = assertThrows(GraphException.class,
                () -> Layers.create("conv2d", attrs("out", 6L, "kernel", 5L)).build(g.placeholder("f", DType.F32, 4, 784), "conv0"));
        assertTrue(flat.getMessage().startsWith("layer 'conv0': conv2d needs [batch, channels, height, width]"), flat.getMessage());
        assertTrue(flat.getMessage().contains("reshape"), flat.getMessage());

        GraphException groups = assertThrows(GraphException.class,
                () -> Layers.create("conv2d", attrs("out", 6L, "kernel", 3L, "groups", 2L)).build(image(1, 3, 8, 8), "conv1"));
        assertTrue(groups.getMessage().contains("layer 'conv1'") && groups.getMessage().contains("groups=2"), groups.getMessage());

        GraphException big = assertThrows(GraphException.class,
                () -> Layers.create("conv2d", attrs("out", 6L, "kernel", 5L)).build(image(1, 1, 4, 9), "conv2"));
        assertTrue(big.getMessage().startsWith("layer 'conv2': conv2d: the kernel height 5 does not fit the input height 4"), big.getMessage());

        IllegalArgumentException noKernel = assertThrows(IllegalArgumentException.class, () -> Layers.create("conv2d", attrs("out", 6L)));
        assertTrue(noKernel.getMessage().contains("'kernel'"), noKernel.getMessage());
        IllegalArgumentException pad = assertThrows(IllegalArgumentException.class, () -> Layers.create("conv2d", attrs("out", 6L, "kernel", 3L, "padding", "full")));
        assertTrue(pad.getMessage().contains("\"same\", \"valid\""), pad.getMessage());
        IllegalArgumentException op = assertThrows(IllegalArgumentException.class,
                () -> Layers.create("conv_transpose2d", attrs("out", 2L, "kernel", 3L, "stride", 2L, "output_padding", 2L)));
        assertTrue(op.getMessage().contains("smaller than the stride"), op.getMessage());
        IllegalArgumentException outGroups = assertThrows(IllegalArgumentException.class, () -> Layers.create("conv2d", attrs("out", 5L, "kernel", 3L, "groups", 2L)));
        assertTrue(outGroups.getMessage().contains("multiple of groups"), outGroups.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Layers.create("conv3d", Map.of())).getMessage().contains("conv_transpose2d"));
    }

    @Test
    void transposedLayerUndoesTheConvShapeAndNamesItsParameters() {
        Node x = image(2, 3, 12, 16);
        Node down = Layers.create("conv2d", attrs("out", 5L, "kernel", 3L, "stride", 2L, "padding", 1L)).build(x, "down");
        assertEquals(Shape.of(2, 5, 6, 8), down.shape());
        Node up = Layers.create("conv_transpose2d", attrs("out", 3L, "kernel", 3L, "stride", 2L, "padding", 1L, "output_padding", 1L)).build(down, "up");
        assertEquals(x.shape(), up.shape());
        assertEquals(Shape.of(5, 3, 3, 3), param("up.w").shape());
        assertEquals(Shape.of(1, 3, 1, 1), param("up.b").shape());
        GraphException flat = assertThrows(GraphException.class,
                () -> Layers.create("conv_transpose2d", attrs("out", 2L, "kernel", 3L)).build(g.placeholder("f", DType.F32, 4, 10), "up1"));
        assertTrue(flat.getMessage().startsWith("layer 'up1': conv_transpose2d needs"), flat.getMessage());
    }
}
