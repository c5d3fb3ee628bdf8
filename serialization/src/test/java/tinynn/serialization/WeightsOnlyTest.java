package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.ojalgo.OjalgoBackend;

/** Inference-only export: a smaller file without training state that still predicts exactly the same. */
class WeightsOnlyTest {

    @ParameterizedTest
    @EnumSource(DType.class)
    void weightsOnlyFilesAreSmallerAndPredictTheSame(DType dtype, @TempDir Path dir) throws Exception {
        Model model = RealModels.trainedClassifier(dtype, 21);
        Path full = dir.resolve("full.tnn");
        Path weights = dir.resolve("weights.tnn");
        model.save(full);
        model.saveWeights(weights);

        // Adam keeps two slots (m, v) per parameter: the full file holds at least twice the parameter bytes more.
        long fullSize = Files.size(full), weightsSize = Files.size(weights);
        long parameterBytes = model.parameters().count() * (dtype == DType.F32 ? 4 : 8);
        assertTrue(fullSize - weightsSize >= 2 * parameterBytes, weightsSize + " vs " + fullSize);

        tinynn.serialization.proto.Model file = ModelFileReader.read(weights);
        assertFalse(file.hasTraining(), "no training state");
        assertEquals(model.parameters().asMap().size(), file.getParametersCount());
        assertEquals("toy", file.getMetadataOrThrow("dataset"), "metadata is kept");

        Model loaded = Model.load(weights, new OjalgoBackend());
        Tensor x = RealModels.random(dtype, Shape.of(7, 4), new SplittableRandom(5));
        RealModels.assertBitIdentical(model.forward(x).copy(), loaded.forward(x), "output");
        RealModels.assertBitIdentical(model.parameters().asMap(), loaded.parameters().asMap(), "parameter");
        assertEquals(model.metadata(), loaded.metadata());
        assertEquals(dtype, loaded.dtype());
        assertEquals("softmax_cross_entropy", loaded.loss().type());
        // Fresh training state: default Adam, no steps, no slots, no history.
        assertEquals("adam", loaded.optimizer().type());
        assertEquals(0, loaded.optimizer().steps());
        assertTrue(loaded.optimizer().slots().values().stream().allMatch(java.util.Map::isEmpty));
        assertEquals(0, loaded.epoch());
        assertEquals(0, loaded.globalStep());
        assertTrue(loaded.history().isEmpty());

        // It can still be fine-tuned.
        SplittableRandom r = new SplittableRandom(6);
        double loss = loaded.trainStep(RealModels.random(dtype, Shape.of(3, 4), r), RealModels.oneHot(dtype, 3, 3, r));
        assertTrue(Double.isFinite(loss));
        assertEquals(1, loaded.optimizer().steps());
    }
}
