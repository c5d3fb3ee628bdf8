package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.serialization.ModelFileException.Reason;
import tinynn.serialization.proto.AttrValue;
import tinynn.serialization.proto.Node;

/**
 * The layer list is authoritative and the stored graph must be exactly the graph it builds: a file where they
 * disagree (other op, missing operand, unknown op, other shape, attribute or binding) is rejected naming the node,
 * by the full load and by the inference load alike.
 */
class GraphAgreementTest {

    @TempDir Path dir;

    private static tinynn.serialization.proto.Model saved() {
        return ModelWriter.toProto(RealModels.trainedClassifier(DType.F32, 5), false);
    }

    private static int indexOf(tinynn.serialization.proto.Model.Builder b, String op) {
        for (int i = 0; i < b.getGraph().getNodesCount(); i++) {
            if (b.getGraph().getNodes(i).getOp().equals(op)) {
                return i;
            }
        }
        throw new AssertionError("no " + op + " node");
    }

    /** Writes the edited file (valid checksum) and returns the load error, checking both loaders agree. */
    private ModelFileException loadError(tinynn.serialization.proto.Model file,
            UnaryOperator<tinynn.serialization.proto.Model.Builder> edit) throws Exception {
        Path path = dir.resolve("edited.tnn");
        Files.write(path, TestFiles.frame(edit.apply(file.toBuilder()).build()));
        ModelFileException e = assertThrows(ModelFileException.class, () -> Model.load(path, new OjalgoBackend()));
        assertEquals(Reason.INVALID, e.reason());
        assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        ModelFileException inference = assertThrows(ModelFileException.class,
                () -> ModelReader.fromProto(ModelFileReader.read(path), path.toString(), new OjalgoBackend(), false));
        assertEquals(e.getMessage(), inference.getMessage(), "inference loads check the same");
        return e;
    }

    private ModelFileException loadError(UnaryOperator<tinynn.serialization.proto.Model.Builder> edit) throws Exception {
        return loadError(saved(), edit);
    }

    private static void assertMentions(ModelFileException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "'" + p + "' in: " + e.getMessage());
        }
    }

    @Test
    void layersSayingSigmoidWhereTheGraphSaysReluAreRejected() throws Exception {
        ModelFileException e = loadError(b -> {
            b.getLayersBuilder().getLayersBuilder(1).setType("sigmoid");
            return b;
        });
        int relu = indexOf(saved().toBuilder(), "relu");
        Node n = saved().getGraph().getNodes(relu);
        assertMentions(e, "graph node " + n.getId() + " ('relu1/relu_" + n.getId() + "') is op 'relu' but the layers"
                + " build op 'sigmoid' there", "the graph must be the one the layer list builds");
    }

    @Test
    void aGraphSayingReluWhereTheLayersSaySigmoidIsRejected() throws Exception {
        Model m = new Model(new Net(new Dense(4, 5), Activation.sigmoid(), new Dense(5, 3)), Losses.softmaxCrossEntropy(),
                new Adam(0.01), new OjalgoBackend(), DType.F32, 1);
        m.build(Shape.of(1, 4));
        tinynn.serialization.proto.Model file = ModelWriter.toProto(m, true);
        ModelFileException e = loadError(file, b -> {
            b.getGraphBuilder().getNodesBuilder(indexOf(b, "sigmoid")).setOp("relu");
            return b;
        });
        assertMentions(e, "is op 'relu' but the layers build op 'sigmoid' there");
    }

    @Test
    void unknownOpsAreRejectedNamingTheNode() throws Exception {
        ModelFileException e = loadError(b -> {
            b.getGraphBuilder().getNodesBuilder(indexOf(b, "relu")).setOp("frobnicate");
            return b;
        });
        assertMentions(e, "('relu1/relu_", "has unknown op 'frobnicate'");
        // Also an extra node at the end.
        assertMentions(loadError(b -> {
            b.getGraphBuilder().addNodes(Node.newBuilder().setId(999).setName("extra").setOp("tinynn.magic"));
            return b;
        }), "graph node 999 ('extra') has unknown op 'tinynn.magic'");
    }

    @Test
    void aMatmulMissingAnOperandIsRejected() throws Exception {
        ModelFileException e = loadError(b -> {
            var mm = b.getGraphBuilder().getNodesBuilder(indexOf(b, "matmul"));
            int first = mm.getInputs(0);
            mm.clearInputs().addInputs(first);
            return b;
        });
        assertMentions(e, "('dense0/matmul_", "matmul has 1 input(s)", "but the layers give it 2");
    }

    @Test
    void shapesAttributesNodesAndBindingsMustAgree() throws Exception {
        assertMentions(loadError(b -> {
            var relu = b.getGraphBuilder().getNodesBuilder(indexOf(b, "relu"));
            relu.getShapeBuilder().setDims(1, 6);
            return b;
        }), "has shape [-1, 6] but the layers give [-1, 5]");
        assertMentions(loadError(b -> {
            b.getGraphBuilder().getNodesBuilder(indexOf(b, "parameter"))
                    .putAttrs("init", AttrValue.newBuilder().setS("ones").build());
            return b;
        }), "('dense0.w') attribute 'init' is s: \"ones\" but the layers give s: \"xavier_uniform\"");
        assertMentions(loadError(b -> {
            var g = b.getGraphBuilder();
            g.removeNodes(g.getNodesCount() - 1); // the loss, and its binding
            g.removeOutputs(g.getOutputsCount() - 1);
            return b;
        }), "the graph ends after", "is missing");
        assertMentions(loadError(b -> {
            b.getGraphBuilder().getOutputsBuilder(0).setNodeId(0);
            return b;
        }), "the graph outputs are ['output' = node 0");
    }

    @Test
    void aMatchingGraphLoads() throws Exception {
        Path path = dir.resolve("ok.tnn");
        Model m = RealModels.trainedClassifier(DType.F64, 3);
        m.save(path);
        RealModels.assertSameState(m, Model.load(path, new OjalgoBackend()));
    }
}
