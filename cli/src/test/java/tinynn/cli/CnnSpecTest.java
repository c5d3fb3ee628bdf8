package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Layers;

/**
 * Every CNN layer type and attribute form of the model spec (protobuf text): scalar-or-pair attributes as
 * {@code i} or {@code ints [h, w]}, padding "same" / "valid" / integers; checked through the shapes the layers
 * give, and bad attributes as one-line errors naming the file and the layer.
 */
class CnnSpecTest {
    @TempDir Path dir;

    private static String attr(String key, String value) { return "attrs { key: \"" + key + "\" value { " + value + " } } "; }

    private static String layer(String type, String... attrs) { return "  layers { type: \"" + type + "\" " + String.join("", attrs) + "}\n"; }

    private Path spec(String name, String... layers) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "layers {\n" + String.join("", layers) + "}\n");
        return p;
    }

    /** Each layer's output shape for input [2, 1, 28, 28]. */
    private static List<Shape> shapes(List<Layer> layers) {
        Node x = new Graph().placeholder("input", DType.F64, 2, 1, 28, 28);
        List<Shape> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).build(x, layers.get(i).type() + i);
            out.add(x.shape());
        }
        return out;
    }

    @Test void everyNewLayerAndAttributeFormParses() throws IOException {
        Path p = spec("all.txtpb",
                layer("conv2d", attr("out", "i: 4"), attr("kernel", "ints { values: [3, 5] }"), attr("padding", "s: \"same\"")),
                layer("relu"),
                layer("conv2d", attr("out", "i: 4"), attr("kernel", "i: 3"), attr("stride", "ints { values: [2, 1] }"), attr("padding", "s: \"valid\"")),
                layer("conv2d", attr("out", "i: 4"), attr("kernel", "i: 3"), attr("dilation", "i: 2"), attr("padding", "i: 2"),
                        attr("groups", "i: 2"), attr("bias", "b: false")),
                layer("max_pool2d", attr("kernel", "i: 2")),
                layer("avg_pool2d", attr("kernel", "ints { values: [3, 2] }"), attr("stride", "i: 1"), attr("padding", "ints { values: [1, 0] }")),
                layer("conv_transpose2d", attr("out", "i: 2"), attr("kernel", "i: 2"), attr("stride", "i: 2"), attr("padding", "i: 0"),
                        attr("output_padding", "i: 1")),
                layer("global_avg_pool2d"),
                layer("flatten"),
                layer("reshape", attr("shape", "ints { values: [2, -1] }")),
                layer("flatten"),
                layer("dense", attr("out", "i: 10")));
        List<Layer> layers = Architectures.fromFile(p).layers();
        assertEquals(List.of("conv2d", "relu", "conv2d", "conv2d", "max_pool2d", "avg_pool2d", "conv_transpose2d",
                "global_avg_pool2d", "flatten", "reshape", "flatten", "dense"), layers.stream().map(Layer::type).toList());
        List<Shape> s = shapes(layers);
        assertEquals(Shape.of(2, 4, 28, 28), s.get(0), "kernel [3, 5] padding same");
        assertEquals(Shape.of(2, 4, 13, 26), s.get(2), "kernel 3 stride [2, 1] valid");
        assertEquals(Shape.of(2, 4, 13, 26), s.get(3), "kernel 3 dilation 2 padding 2 groups 2");
        assertEquals(Shape.of(2, 4, 6, 13), s.get(4), "max-pool 2, stride defaulting to the kernel");
        assertEquals(Shape.of(2, 4, 6, 12), s.get(5), "avg-pool [3, 2] stride 1 padding [1, 0]");
        assertEquals(Shape.of(2, 2, 13, 25), s.get(6), "transposed: (in-1)*2 + 2 + output_padding 1");
        assertEquals(Shape.of(2, 2), s.get(8), "global average pool, flattened");
        assertEquals(Shape.of(2, 2, 1), s.get(9), "reshape [2, -1]");
        assertEquals(Shape.of(2, 10), s.get(11));
        // Model files store attrs() and rebuild the layers from them.
        assertEquals(s, shapes(layers.stream().map(l -> Layers.create(l.type(), l.attrs())).toList()), "attrs() rebuild every layer");
        assertEquals(4, Layers.inputRank(layers));
    }

    @Test void scalarAndPairFormsAreTheSame() throws IOException {
        List<Layer> scalar = Architectures.fromFile(spec("i.txtpb", layer("conv2d", attr("out", "i: 3"), attr("kernel", "i: 5"),
                attr("stride", "i: 2"), attr("padding", "i: 1")), layer("max_pool2d", attr("kernel", "i: 3"), attr("stride", "i: 2")))).layers();
        List<Layer> pair = Architectures.fromFile(spec("ints.txtpb", layer("conv2d", attr("out", "i: 3"), attr("kernel", "ints { values: [5, 5] }"),
                attr("stride", "ints { values: [2, 2] }"), attr("padding", "ints { values: [1, 1] }")),
                layer("max_pool2d", attr("kernel", "ints { values: [3, 3] }"), attr("stride", "ints { values: [2, 2] }")))).layers();
        assertEquals(shapes(scalar), shapes(pair));
        assertEquals(List.of(Shape.of(2, 3, 13, 13), Shape.of(2, 3, 6, 6)), shapes(scalar));
        Node x = new Graph().placeholder("input", DType.F64, 2, 1, 28, 28);
        scalar.getFirst().build(x, "conv2d0");
        List<Shape> params = x.graph().parameters().stream().map(Node::shape).toList();
        assertTrue(params.contains(Shape.of(3, 1, 5, 5)), () -> "OIHW weights: " + params);
        assertEquals(3 * 25 + 3, params.stream().mapToLong(Shape::size).sum(), () -> "weights and a bias per output channel: " + params);
    }

    @Test void badAttributesAreOneLineErrorsNamingTheFileAndLayer() throws IOException {
        String[][] cases = {
                {"conv2d", attr("out", "i: 4") + attr("kernel", "i: 3") + attr("padding", "s: \"full\"")},
                {"conv2d", attr("out", "i: 4") + attr("kernel", "ints { values: [3, 3, 3] }")},
                {"max_pool2d", attr("kernel", "s: \"two\"")},
                {"avg_pool2d", attr("kernel", "i: 2") + attr("strides", "i: 2")},
                {"reshape", attr("shape", "ints { values: [-1, -1] }")},
                {"reshape", attr("shape", "s: \"1x28x28\"")},
        };
        assertOneLineErrors(cases);
    }

    /**
     * A misspelt attribute (or another framework's name for it) would otherwise fall back to the default silently:
     * each is a one-line error naming the file, the layer and the attribute.
     */
    @Test void misspeltAttributesAreOneLineErrorsNamingTheLayerAndAttribute() throws IOException {
        String[][] cases = {
                {"conv2d", attr("out", "i: 4") + attr("kernel", "i: 3") + attr("strides", "i: 2"), "strides"},
                {"conv2d", attr("out", "i: 4") + attr("kernel", "i: 3") + attr("dilations", "i: 2"), "dilations"},
                {"conv2d", attr("out", "i: 4") + attr("kernel", "i: 3") + attr("use_bias", "b: false"), "use_bias"},
                {"conv_transpose2d", attr("out", "i: 2") + attr("kernel", "i: 2") + attr("stride", "i: 2") + attr("output_paddings", "i: 1"),
                        "output_paddings"},
                {"conv_transpose2d", attr("out", "i: 2") + attr("kernel", "i: 2") + attr("kernel_init", "s: \"zeros\""), "kernel_init"},
                {"reshape", attr("shape", "ints { values: [1, 28, 28] }") + attr("target_shape", "ints { values: [1, 28, 28] }"), "target_shape"},
                {"reshape", attr("shapes", "ints { values: [1, 28, 28] }"), "shapes"},
                {"flatten", attr("start_dim", "i: 1"), "start_dim"},
                {"dense", attr("out", "i: 10") + attr("units", "i: 10"), "units"},
                {"dense", attr("out", "i: 10") + attr("bias", "b: false"), "bias"},
                {"standardize", attr("mean", "f: 0.5") + attr("stddev", "f: 0.2"), "stddev"},
        };
        List<Executable> checks = new ArrayList<>();
        for (String[] c : cases) {
            Path p = spec(c[2] + ".txtpb", layer("relu"), layer(c[0], c[1]));
            checks.add(() -> {
                Failure f = assertThrows(Failure.class, () -> Architectures.fromFile(p), c[0] + " " + c[1]);
                assertTrue(f.getMessage().startsWith(p + ": layer 1 (" + c[0] + "): " + c[0] + " has no attribute '" + c[2] + "'"), f.getMessage());
                assertEquals(1, f.getMessage().lines().count(), f.getMessage());
            });
        }
        assertAll(checks);
        Failure none = assertThrows(Failure.class, () -> Architectures.fromFile(spec("f.txtpb", layer("flatten", attr("shape", "i: 1")))));
        assertTrue(none.getMessage().endsWith("flatten has no attribute 'shape' (it takes none)"), none.getMessage());
    }

    /** Every attribute the conv layers read, short forms included, is still taken from a spec file. */
    @Test void everyAttributeTheConvLayersReadIsAccepted() throws IOException {
        List<Layer> layers = Architectures.fromFile(spec("full.txtpb",
                layer("conv2d", attr("out", "i: 4"), attr("kernel", "i: 3"), attr("stride", "i: 1"), attr("padding", "s: \"same\""),
                        attr("dilation", "i: 1"), attr("groups", "i: 1"), attr("bias", "b: true"), attr("w_init", "s: \"he_normal\""),
                        attr("init_gain", "f: 0.5"), attr("init_mode", "s: \"fan_out\""), attr("b_init", "s: \"constant(0.1)\"")),
                layer("conv2d", attr("out", "i: 4"), attr("kernel", "i: 3"), attr("b", "b: false"), attr("init", "s: \"he_uniform\"")),
                layer("conv_transpose2d", attr("out", "i: 2"), attr("kernel", "i: 2"), attr("stride", "i: 2"), attr("padding", "i: 0"),
                        attr("output_padding", "i: 1"), attr("dilation", "i: 1"), attr("groups", "i: 2"), attr("b", "b: false"),
                        attr("init", "s: \"xavier_normal\""), attr("init_gain", "f: 2"), attr("init_mode", "s: \"fan_in\""),
                        attr("b_init", "s: \"zeros\"")),
                layer("conv_transpose2d", attr("out", "i: 2"), attr("kernel", "i: 2"), attr("bias", "b: true"), attr("w_init", "s: \"ones\"")),
                layer("flatten"),
                layer("reshape", attr("shape", "ints { values: [-1] }")))).layers();
        assertEquals(List.of("he_normal(gain=0.5,mode=fan_out)", true, "constant(0.1)"),
                List.of(layers.get(0).attrs().get("w_init"), layers.get(0).attrs().get("bias"), layers.get(0).attrs().get("b_init")));
        assertEquals(List.of("he_uniform", false), List.of(layers.get(1).attrs().get("w_init"), layers.get(1).attrs().get("bias")));
        assertEquals(List.of("xavier_normal(gain=2.0,mode=fan_in)", false, List.of(1, 1), 2),
                List.of(layers.get(2).attrs().get("w_init"), layers.get(2).attrs().get("bias"), layers.get(2).attrs().get("output_padding"),
                        layers.get(2).attrs().get("groups")));
        assertEquals("ones", layers.get(3).attrs().get("w_init"));
        for (Layer l : layers.subList(0, 4)) assertEquals(l.attrs().toString(), Layers.create(l.type(), l.attrs()).attrs().toString(), "attrs() rebuild it");
    }

    @Test void normalisationLayersParse() throws IOException {
        List<Layer> layers = Architectures.fromFile(spec("norm.txtpb",
                layer("conv2d", attr("out", "i: 4"), attr("kernel", "i: 3")),
                layer("batch_norm", attr("momentum", "f: 0.1"), attr("eps", "f: 1e-5")),
                layer("dropout", attr("rate", "f: 0.25")),
                layer("layer_norm", attr("eps", "f: 1e-5")),
                layer("flatten"),
                layer("batch_norm"),
                layer("dense", attr("out", "i: 10")))).layers();
        assertEquals(List.of("conv2d", "batch_norm", "dropout", "layer_norm", "flatten", "batch_norm", "dense"), layers.stream().map(Layer::type).toList());
        List<Shape> s = shapes(layers);
        for (int i = 0; i < 4; i++) assertEquals(Shape.of(2, 4, 26, 26), s.get(i), layers.get(i).type());
        assertEquals(Shape.of(2, 4 * 26 * 26), s.get(5), "batch_norm per feature on [N, F]");
        assertEquals(s, shapes(layers.stream().map(l -> Layers.create(l.type(), l.attrs())).toList()), "attrs() rebuild every layer");
        assertEquals(4, Layers.inputRank(layers));
        assertOneLineErrors(new String[][] {
                {"dropout", attr("rate", "f: 1.5")},
                {"batch_norm", attr("momentum", "s: \"fast\"")},
                {"layer_norm", attr("eps", "f: -1")},
        });
    }

    private void assertOneLineErrors(String[][] cases) throws IOException {
        for (String[] c : cases) {
            Path p = spec("bad.txtpb", layer("relu"), layer(c[0], c[1]));
            Failure f = assertThrows(Failure.class, () -> Architectures.fromFile(p), c[1]);
            assertTrue(f.getMessage().startsWith(p + ": layer 1 (" + c[0] + "): "), f.getMessage());
            assertEquals(1, f.getMessage().lines().count(), f.getMessage());
        }
    }
}
