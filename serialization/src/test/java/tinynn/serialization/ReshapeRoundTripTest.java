package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
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
import tinynn.ops.nn.ReshapeLayer;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;

/**
 * A trained net of reshape (each with a -1) and flatten layers around a conv2d, saved to a model file and loaded: the
 * same layers, the shapes stored as given (-1 included, not as inferred), and the same outputs bit for bit.
 */
class ReshapeRoundTripTest {

    private static Net net() {
        return new Net(List.of(
                Layers.create("reshape", java.util.Map.of("shape", List.of(1L, -1L, 6L))), // [N, 36] -> [N, 1, 6, 6]
                Layers.create("conv2d", java.util.Map.of("out", 2L, "kernel", 3L)),        // [N, 2, 4, 4]
                Activation.of("tanh"),
                new Flatten(),                                                             // [N, 32]
                Layers.create("reshape", java.util.Map.of("shape", List.of(-1L, 8L))),     // [N, 4, 8]
                new Flatten(),                                                             // [N, 32]
                new Dense(-1, 3)));
    }

    /** A layer's type and attributes; a reshape's shape (an int[], which Map.toString would print as an address) as a list. */
    private static String described(Layer l) {
        return l instanceof ReshapeLayer r ? "reshape" + java.util.Arrays.toString(r.shape()) : l.type() + l.attrs();
    }

    @Test
    void reshapeAndFlattenSaveLoadAndPredictTheSame(@TempDir Path dir) throws Exception {
        Model model = new Model(net(), Losses.softmaxCrossEntropy(), new Adam(0.01), new OjalgoBackend(), DType.F64, 5);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 3; i++) model.trainStep(RealModels.random(DType.F64, Shape.of(4, 36), r), RealModels.oneHot(DType.F64, 4, 3, r));
        Path file = dir.resolve("reshape.tnn");
        model.save(file);

        tinynn.serialization.proto.Model stored = ModelFileReader.read(file);
        assertEquals(List.of("reshape", "conv2d", "tanh", "flatten", "reshape", "flatten", "dense"),
                stored.getLayers().getLayersList().stream().map(tinynn.serialization.proto.Layer::getType).toList());
        assertEquals(List.of(1L, -1L, 6L), stored.getLayers().getLayers(0).getAttrsOrThrow("shape").getInts().getValuesList());
        assertEquals(List.of(-1L, 8L), stored.getLayers().getLayers(4).getAttrsOrThrow("shape").getInts().getValuesList());
        assertEquals(0, stored.getLayers().getLayers(3).getAttrsCount(), "flatten stores no attributes");

        Model loaded = Model.load(file, new OjalgoBackend());
        List<Layer> after = loaded.net().layers();
        assertEquals(model.net().layers().stream().map(ReshapeRoundTripTest::described).toList(), after.stream().map(ReshapeRoundTripTest::described).toList());
        assertEquals(new ReshapeLayer(new int[] {1, -1, 6}), after.get(0));
        assertEquals(new ReshapeLayer(new int[] {-1, 8}), after.get(4));
        assertEquals(new Flatten(), after.get(3));
        assertEquals(new Flatten(), after.get(5));
        RealModels.assertBitIdentical(model.parameters().asMap(), loaded.parameters().asMap(), "parameter");
        var x = RealModels.random(DType.F64, Shape.of(5, 36), r);
        RealModels.assertBitIdentical(model.forward(x).copy(), loaded.forward(x), "output");
        RealModels.assertSameState(model, loaded);
    }
}
