package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Flatten;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Layers;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.serialization.proto.AttrValue;
import tinynn.serialization.proto.Node;

/** A trained net of conv2d and conv_transpose2d layers, saved and loaded: same layers, parameters and predictions. */
class ConvRoundTripTest {

    private static Layer layer(String type, Object... kv) {
        Map<String, Object> attrs = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) attrs.put((String) kv[i], kv[i + 1]);
        return Layers.create(type, attrs);
    }

    private static Net net() {
        return new Net(List.of(
                layer("conv2d", "out", 4L, "kernel", 3L, "padding", "same"),
                Activation.of("relu"),
                layer("conv2d", "out", 4L, "kernel", List.of(3L, 2L), "stride", List.of(2L, 1L), "padding", List.of(1L, 0L, 0L, 1L),
                        "dilation", List.of(1L, 2L), "groups", 2L, "bias", false, "w_init", "he_normal"),
                layer("conv_transpose2d", "out", 2L, "kernel", 3L, "stride", 2L, "padding", 1L, "output_padding", 1L),
                new Flatten(),
                new Dense(-1, 3)));
    }

    private static String ints(Node n, String key) { return n.getAttrsOrThrow(key).getInts().getValuesList().toString(); }

    @Test
    void convLayersSaveLoadAndPredictTheSame(@TempDir Path dir) throws Exception {
        Model model = new Model(net(), Losses.softmaxCrossEntropy(), new Adam(0.01), new OjalgoBackend(), DType.F64, 3);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 3; i++) model.trainStep(RealModels.random(DType.F64, Shape.of(4, 2, 8, 7), r), RealModels.oneHot(DType.F64, 4, 3, r));
        Path file = dir.resolve("conv.tnn");
        model.save(file);
        Model loaded = Model.load(file, new OjalgoBackend());

        for (int i = 0; i < model.net().layers().size(); i++) {
            assertEquals(model.net().layers().get(i).attrs().toString(), loaded.net().layers().get(i).attrs().toString(), "layer " + i);
        }
        RealModels.assertBitIdentical(model.parameters().asMap(), loaded.parameters().asMap(), "parameter");
        assertEquals(Shape.of(1, 4, 1, 1), loaded.parameters().get("conv2d0.b").shape());
        var x = RealModels.random(DType.F64, Shape.of(5, 2, 8, 7), r);
        RealModels.assertBitIdentical(model.forward(x).copy(), loaded.forward(x), "output");
        RealModels.assertSameState(model, loaded);
    }

    @Test
    void theGraphStoresTheConvolutionOpsWithTheirGeometry() throws Exception {
        Model model = new Model(net(), Losses.softmaxCrossEntropy(), new Adam(0.01), new OjalgoBackend(), DType.F32, 3);
        model.forward(RealModels.random(DType.F32, Shape.of(2, 2, 8, 7), new SplittableRandom(1)));
        tinynn.serialization.proto.Model file = ModelWriter.toProto(model, false);
        List<Node> convs = file.getGraph().getNodesList().stream().filter(n -> n.getOp().startsWith("conv")).toList();
        assertEquals(List.of("conv2d", "conv2d", "conv_transpose2d"), convs.stream().map(Node::getOp).toList());
        Node grouped = convs.get(1);
        assertEquals("[2, 1]", ints(grouped, "strides"));
        assertEquals("[1, 0, 0, 1]", ints(grouped, "padding"));
        assertEquals("[1, 2]", ints(grouped, "dilations"));
        assertEquals(2, grouped.getAttrsOrThrow("groups").getI());
        assertEquals("[-1, 4, 4, 6]", grouped.getShape().getDimsList().toString());
        assertEquals("[8, 12]", ints(convs.get(2), "output_size"));
        var layer = file.getLayers().getLayers(2);
        assertEquals(AttrValue.newBuilder().setS("conv2d").build().getS(), layer.getType());
        assertEquals("[3, 2]", layer.getAttrsOrThrow("kernel").getInts().getValuesList().toString());
        assertEquals(false, layer.getAttrsOrThrow("bias").getB());
        assertEquals(List.of("conv2d2.w"), layer.getParamsList());
        assertTrue(GraphCheck.KNOWN_OPS.containsAll(convs.stream().map(Node::getOp).toList()));
    }
}
