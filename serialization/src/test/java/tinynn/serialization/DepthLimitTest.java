package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Layer;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.serialization.ModelFileException.Reason;

/** Depth is capped at {@link ModelFormat#MAX_LAYERS} layers, with a clear error before any work on the layers. */
class DepthLimitTest {

    @TempDir Path dir;

    @Test
    void aFileWithMoreLayersThanTheLimitIsRejected() throws Exception {
        var b = ModelWriter.toProto(RealModels.trainedClassifier(DType.F32, 1), true).toBuilder();
        var layers = b.getLayersBuilder();
        var relu = layers.getLayers(1);
        for (int n = layers.getLayersCount(); n <= ModelFormat.MAX_LAYERS; n++) {
            layers.addLayers(relu.toBuilder().setName("relu" + n)); // otherwise valid: names stay unique
        }
        Path file = dir.resolve("deep.tnn");
        Files.write(file, TestFiles.frame(b.build()));
        ModelFileException e = assertThrows(ModelFileException.class, () -> Model.load(file, new OjalgoBackend()));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertEquals(file + ": the layer list has 100,001 layers, more than the 100,000 a tinynn model may have;"
                + " use a network of at most 100000 layers", e.getMessage());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> ModelFileWriter.write(dir.resolve("w.tnn"), b.build()));
        assertEquals("cannot write an invalid tinynn model: the layer list has 100,001 layers, more than the 100,000"
                + " a tinynn model may have", w.getMessage());
    }

    @Test
    void theGraphNodeLimit() {
        assertEquals(null, ModelValidator.limitProblem(ModelFormat.MAX_LAYERS, ModelFormat.MAX_GRAPH_NODES));
        ModelValidator.Problem p = ModelValidator.limitProblem(3, ModelFormat.MAX_GRAPH_NODES + 1);
        assertEquals(Reason.TOO_LARGE, p.reason());
        assertEquals("the graph has 1,000,001 nodes, more than the 1,000,000 a tinynn model may have", p.what());
    }

    /** A model at the limit saves and loads (the load is linear in depth: see PlanDepthTest, GraphNamesTest). */
    @Test
    void aModelAtTheLimitLoads() throws Exception {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Dense(3, 2));
        while (layers.size() < ModelFormat.MAX_LAYERS) {
            layers.add(Activation.relu());
        }
        Model m = new Model(new Net(layers), Losses.mse(), new Adam(0.1), new OjalgoBackend(), DType.F32, 1);
        m.build(Shape.of(1, 3));
        Path file = dir.resolve("limit.tnn");
        m.saveWeights(file);
        Model back = Model.load(file, new OjalgoBackend());
        assertEquals(ModelFormat.MAX_LAYERS, back.net().layers().size());
        assertEquals(2, back.forward(RealModels.random(DType.F32, Shape.of(1, 3), new java.util.SplittableRandom(1)))
                .shape().dim(1));
    }
}
