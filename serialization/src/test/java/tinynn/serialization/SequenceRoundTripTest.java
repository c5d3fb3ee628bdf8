package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import tinynn.ops.nn.Embedding;
import tinynn.ops.nn.Layers;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.serialization.proto.Node;

/**
 * A trained sequence model (embedding, dense on [N, T, F], softmax cross entropy on [N, T, C] logits with [N, T] ids)
 * saved and loaded: same layers, parameters, predictions and training state, and a graph of known ops.
 */
class SequenceRoundTripTest {

    static final int VOCAB = 9, T = 5;

    private static Tensor ids(DType dtype, int n, int vocab, SplittableRandom r) {
        Tensor t = Tensor.zeros(dtype, Shape.of(n, T));
        for (int i = 0; i < t.size(); i++) t.set(i, r.nextInt(vocab));
        return t;
    }

    @Test
    void sequenceModelsSaveLoadAndPredictTheSame(@TempDir Path dir) throws Exception {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            var embedding = Layers.create("embedding", java.util.Map.of("vocab", (long) VOCAB, "dim", 6L, "init", "uniform(-0.5,0.5)"));
            Model model = new Model(new Net(List.of(embedding, new Dense(-1, 8), Activation.of("tanh"), new Dense(-1, VOCAB))),
                    Losses.softmaxCrossEntropy(null, 0.1, 1), new Adam(0.01), new OjalgoBackend(), dtype, 3);
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < 3; i++) model.trainStep(ids(dtype, 4, VOCAB, r), ids(dtype, 4, VOCAB, r));
            Path file = dir.resolve("seq-" + dtype + ".tnn");
            model.save(file);
            Model loaded = Model.load(file, new OjalgoBackend());

            for (int i = 0; i < model.net().layers().size(); i++) {
                assertEquals(model.net().layers().get(i).attrs().toString(), loaded.net().layers().get(i).attrs().toString(), "layer " + i);
            }
            assertEquals(model.loss().attrs(), loaded.loss().attrs());
            assertEquals(Shape.of(4, T), loaded.loss().targetShape(Shape.of(4, T, VOCAB)));
            RealModels.assertBitIdentical(model.parameters().asMap(), loaded.parameters().asMap(), "parameter");
            Tensor x = ids(dtype, 6, VOCAB, r);
            Tensor expected = model.predict(x).copy();
            assertEquals(Shape.of(6, T, VOCAB), expected.shape());
            RealModels.assertBitIdentical(expected, loaded.predict(x), "output");
            RealModels.assertSameState(model, loaded);
            // Training goes on from the file exactly as from the model in memory.
            Tensor bx = ids(dtype, 4, VOCAB, r), by = ids(dtype, 4, VOCAB, r);
            assertEquals(model.trainStep(bx, by), loaded.trainStep(bx, by));
        }
    }

    @Test
    void theGraphStoresGatherAndTheSequenceLoss() throws Exception {
        Model model = new Model(new Net(List.of(new Embedding(VOCAB, 6), new Dense(-1, VOCAB))), Losses.softmaxCrossEntropy(), new Adam(0.01),
                new OjalgoBackend(), DType.F32, 3);
        model.build(Shape.of(2, T));
        tinynn.serialization.proto.Model file = ModelWriter.toProto(model, false);
        List<Node> nodes = file.getGraph().getNodesList();
        assertTrue(GraphCheck.KNOWN_OPS.containsAll(nodes.stream().map(Node::getOp).toList()), nodes.stream().map(Node::getOp).toList().toString());
        Node gather = nodes.stream().filter(n -> n.getOp().equals("gather")).findFirst().orElseThrow();
        assertEquals("[-1, 5, 6]", gather.getShape().getDimsList().toString());
        // The loss is stored as its ops (none depends on the batch size): the target is [-1, T] ids.
        Node target = nodes.stream().filter(n -> n.getName().equals(ModelFormat.ROLE_TARGET)).findFirst().orElseThrow();
        assertEquals("[-1, 5]", target.getShape().getDimsList().toString());
        assertTrue(nodes.stream().anyMatch(n -> n.getOp().equals("softmax_cross_entropy")));
        assertEquals(List.of("embedding0.table"), file.getLayers().getLayers(0).getParamsList());
        assertEquals("normal(0.0,1.0)", file.getLayers().getLayers(0).getAttrsOrThrow("init").getS());
    }
}
