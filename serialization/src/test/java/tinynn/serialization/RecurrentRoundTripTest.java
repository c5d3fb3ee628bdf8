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
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Layers;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.serialization.proto.Node;

/** A trained stack of lstm, gru and rnn layers, saved and loaded: same layers, parameters and predictions. */
class RecurrentRoundTripTest {

    private static Layer layer(String type, Object... kv) {
        Map<String, Object> attrs = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) attrs.put((String) kv[i], kv[i + 1]);
        return Layers.create(type, attrs);
    }

    private static Net net() {
        return new Net(List.of(
                layer("lstm", "hidden", 5L, "return_sequences", true, "bidirectional", true),
                layer("gru", "hidden", 4L, "return_sequences", true, "u_init", "xavier_normal", "b_init", "constant(0.1)"),
                layer("rnn", "hidden", 3L, "activation", "relu", "bidirectional", true),
                new Dense(-1, 3)));
    }

    @Test
    void recurrentLayersSaveLoadAndPredictTheSame(@TempDir Path dir) throws Exception {
        Model model = new Model(net(), Losses.softmaxCrossEntropy(), new Adam(0.01), new OjalgoBackend(), DType.F64, 3);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 3; i++) model.trainStep(RealModels.random(DType.F64, Shape.of(4, 6, 2), r), RealModels.oneHot(DType.F64, 4, 3, r));
        Path file = dir.resolve("rnn.tnn");
        model.save(file);
        Model loaded = Model.load(file, new OjalgoBackend());

        for (int i = 0; i < model.net().layers().size(); i++) {
            assertEquals(model.net().layers().get(i).attrs().toString(), loaded.net().layers().get(i).attrs().toString(), "layer " + i);
        }
        RealModels.assertBitIdentical(model.parameters().asMap(), loaded.parameters().asMap(), "parameter");
        assertEquals(Shape.of(5, 20), loaded.parameters().get("lstm0.w_hh_reverse").shape());
        assertEquals(Shape.of(1, 12), loaded.parameters().get("gru1.b_hh").shape());
        var x = RealModels.random(DType.F64, Shape.of(5, 6, 2), r);
        RealModels.assertBitIdentical(model.forward(x).copy(), loaded.forward(x), "output");
        RealModels.assertSameState(model, loaded);
    }

    @Test
    void theGraphStoresOneRecurrenceNodePerDirection() throws Exception {
        Model model = new Model(net(), Losses.softmaxCrossEntropy(), new Adam(0.01), new OjalgoBackend(), DType.F32, 3);
        model.forward(RealModels.random(DType.F32, Shape.of(2, 6, 2), new SplittableRandom(1)));
        tinynn.serialization.proto.Model file = ModelWriter.toProto(model, false);
        List<Node> recurrences = file.getGraph().getNodesList().stream().filter(n -> n.getOp().equals("recurrence")).toList();
        assertEquals(List.of("lstm", "lstm", "gru", "rnn_relu", "rnn_relu"), recurrences.stream().map(n -> n.getAttrsOrThrow("kind").getS()).toList());
        assertEquals(List.of(false, true, false, false, true), recurrences.stream().map(n -> n.getAttrsOrThrow("reverse").getB()).toList());
        assertEquals("[-1, 6, 30]", recurrences.getFirst().getShape().getDimsList().toString());
        var lstm = file.getLayers().getLayers(0);
        assertEquals("lstm", lstm.getType());
        assertEquals(List.of("lstm0.w_ih", "lstm0.w_hh", "lstm0.b", "lstm0.w_ih_reverse", "lstm0.w_hh_reverse", "lstm0.b_reverse"), lstm.getParamsList());
        assertTrue(GraphCheck.KNOWN_OPS.containsAll(file.getGraph().getNodesList().stream().map(Node::getOp).toList()));
    }
}
