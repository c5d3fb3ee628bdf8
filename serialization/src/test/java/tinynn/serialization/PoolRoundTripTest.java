package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Layers;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.serialization.proto.AttrValue;
import tinynn.serialization.proto.Node;

/** A trained net with the three pooling layers, attributes away from their defaults, saved and loaded: same layers, same numbers. */
class PoolRoundTripTest {

    private static Net pooling() {
        return new Net(List.of(
                Layers.create("max_pool2d", Map.of("kernel", 2L)),
                Layers.create("avg_pool2d", Map.of("kernel", List.of(3L, 2L), "stride", 1L, "padding", List.of(1L, 0L, 0L, 1L), "count_include_pad", false)),
                Layers.create("max_pool2d", Map.of("kernel", 3L, "stride", 2L, "padding", 1L)),
                Layers.create("global_avg_pool2d", Map.of()),
                new Dense(2, 3)));
    }

    @Test
    void poolingLayersKeepTheirAttributesAndNumbers(@TempDir Path dir) throws Exception {
        Model model = new Model(pooling(), Losses.softmaxCrossEntropy(), new Adam(0.05), new OjalgoBackend(), DType.F64, 5);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 3; i++) {
            model.trainStep(RealModels.random(DType.F64, Shape.of(4, 2, 12, 10), r), RealModels.oneHot(DType.F64, 4, 3, r));
        }
        Path file = dir.resolve("pooling.tnn");
        model.save(file);
        Model loaded = Model.load(file, new OjalgoBackend());

        List<Layer> pools = model.net().layers().subList(0, 4);
        assertEquals(pools, loaded.net().layers().subList(0, 4));
        RealModels.assertBitIdentical(model.parameters().asMap(), loaded.parameters().asMap(), "parameter");
        var x = RealModels.random(DType.F64, Shape.of(3, 2, 12, 10), r);
        RealModels.assertBitIdentical(model.forward(x).copy(), loaded.forward(x), "output");
        RealModels.assertSameState(model, loaded);
    }

    /** The stored graph names the pooling ops with the attributes model.proto documents. */
    @Test
    void theGraphStoresThePoolingOps() {
        Model model = new Model(pooling(), Losses.softmaxCrossEntropy(), new Adam(0.05), new OjalgoBackend(), DType.F64, 5);
        model.build(Shape.of(1, 2, 12, 10));
        var file = ModelWriter.toProto(model, false);
        List<Node> pools = file.getGraph().getNodesList().stream().filter(n -> n.getOp().endsWith("_pool2d")).toList();
        // The last is global_avg_pool2d: one window over the whole 3×3 image, then a reshape to [-1, 2].
        assertEquals(List.of("max_pool2d", "avg_pool2d", "max_pool2d", "avg_pool2d"), pools.stream().map(Node::getOp).toList());
        assertEquals(ints(3, 3), pools.get(3).getAttrsOrThrow("kernel"));
        Node last = file.getGraph().getNodes(pools.get(3).getId() + 1);
        assertEquals("reshape", last.getOp());
        assertEquals(List.of(-1L, 2L), last.getShape().getDimsList());
        Node avg = pools.get(1);
        assertEquals(ints(3, 2), avg.getAttrsOrThrow("kernel"));
        assertEquals(ints(1, 1), avg.getAttrsOrThrow("strides"));
        assertEquals(ints(1, 0, 0, 1), avg.getAttrsOrThrow("padding"));
        assertEquals(AttrValue.newBuilder().setB(false).build(), avg.getAttrsOrThrow("count_include_pad"));
        assertEquals(List.of(-1L, 2L, 5L, 5L), avg.getShape().getDimsList());
        var layer = file.getLayers().getLayers(1);
        assertEquals("avg_pool2d", layer.getType());
        assertEquals(ints(1, 1), layer.getAttrsOrThrow("stride"));
        assertEquals(ints(1, 0, 0, 1), layer.getAttrsOrThrow("padding"));
    }

    private static AttrValue ints(long... v) {
        AttrValue.Ints.Builder b = AttrValue.Ints.newBuilder();
        for (long x : v) b.addValues(x);
        return AttrValue.newBuilder().setInts(b).build();
    }
}
