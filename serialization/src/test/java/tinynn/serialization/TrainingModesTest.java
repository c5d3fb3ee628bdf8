package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.BatchNorm;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Dropout;
import tinynn.ops.nn.Flatten;
import tinynn.ops.nn.LayerNorm;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.simd.SimdBackend;
import tinynn.serialization.proto.Node;

/**
 * Batch norm and dropout in training vs inference mode, through model files: the running statistics are saved
 * (weights-only files too), and a run resumed from a file draws the same dropout masks and updates the same
 * statistics as one straight through.
 */
class TrainingModesTest {

    static final int BATCH = 6;

    /** 4-D batch norm, flatten, dense, layer norm, 2-D batch norm, ReLU, dropout, dense. */
    static Model newModel(DType dtype, long seed, double rate) {
        return new Model(new Net(new BatchNorm(0.2, 1e-5), new Flatten(), new Dense(18, 8), new LayerNorm(), new BatchNorm(),
                Activation.relu(), new Dropout(rate), new Dense(8, 3)), Losses.softmaxCrossEntropy(), new Adam(0.01),
                new SimdBackend(1), dtype, seed);
    }

    static List<Tensor[]> batches(DType dtype, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Tensor[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Tensor x = RealModels.random(dtype, Shape.of(BATCH, 2, 3, 3), r);
            for (int k = 0; k < x.size(); k++) x.set(k, 2 * x.get(k) + 0.5); // mean and variance away from the initial 0 and 1
            out.add(new Tensor[] {x, RealModels.oneHot(dtype, BATCH, 3, r)});
        }
        return out;
    }

    @Provide
    Arbitrary<DType> dtypes() {
        return Arbitraries.of(DType.F32, DType.F64);
    }

    @Property(tries = 8)
    void resumedTrainingIsBitIdentical(@ForAll @IntRange(min = 2, max = 6) int steps, @ForAll @IntRange(min = 1, max = 5) int k,
            @ForAll("dtypes") DType dtype, @ForAll long seed) throws Exception {
        int split = Math.min(k, steps - 1);
        List<Tensor[]> data = batches(dtype, steps, seed);
        Model straight = newModel(dtype, seed, 0.3);
        for (Tensor[] b : data) straight.trainStep(b[0], b[1]);

        Model first = newModel(dtype, seed, 0.3);
        for (Tensor[] b : data.subList(0, split)) first.trainStep(b[0], b[1]);
        Model resumed = saveAndLoad(first, false);
        for (Tensor[] b : data.subList(split, steps)) resumed.trainStep(b[0], b[1]);

        RealModels.assertSameState(straight, resumed);
        for (String s : new String[] {"batch_norm0.running_mean", "batch_norm0.running_var", "batch_norm4.running_mean", "batch_norm4.running_var"}) {
            RealModels.assertBitIdentical(straight.parameters().get(s), resumed.parameters().get(s), s);
        }
    }

    @Example
    void dropoutAndBatchNormDifferBetweenModesAndSurviveSaveAndLoad() throws Exception {
        DType dtype = DType.F64;
        Model m = newModel(dtype, 7, 0.5);
        List<Tensor[]> data = batches(dtype, 4, 7);
        for (Tensor[] b : data.subList(0, 3)) m.trainStep(b[0], b[1]);
        Tensor x = data.get(3)[0];
        assertFalse(isInitial(m.parameters().get("batch_norm0.running_mean"), 0), "three training steps moved the running mean");

        double[] train = m.forward(x).toDoubles();
        double[] infer = m.predict(x).toDoubles();
        assertFalse(java.util.Arrays.equals(train, infer), "training mode (batch statistics, dropout) differs from inference");
        assertArrayEquals(infer, m.predict(x).toDoubles(), "inference is deterministic");
        assertArrayEquals(train, m.forward(x).toDoubles(), "the same step draws the same mask");

        Model loaded = saveAndLoad(m, false);
        assertArrayEquals(infer, loaded.predict(x).toDoubles(), "inference after save and load");
        assertArrayEquals(train, loaded.forward(x).toDoubles(), "training mode after save and load: same statistics, same mask");
        Model weights = saveAndLoad(m, true);
        assertArrayEquals(infer, weights.predict(x).toDoubles(), "a weights-only file keeps the running statistics");

        // predict changes no state; a training step does.
        Tensor before = m.parameters().get("batch_norm4.running_var").copy();
        m.predict(x);
        assertArrayEquals(before.toDoubles(), m.parameters().get("batch_norm4.running_var").toDoubles());
        m.trainStep(x, data.get(3)[1]);
        assertFalse(java.util.Arrays.equals(before.toDoubles(), m.parameters().get("batch_norm4.running_var").toDoubles()));
    }

    @Example
    void runningStatisticsAreNonTrainableParametersOfTheFile() {
        Model m = newModel(DType.F32, 3, 0.3);
        m.build(Shape.of(1, 2, 3, 3));
        var file = ModelWriter.toProto(m, false);
        List<String> names = file.getParametersList().stream().map(tinynn.serialization.proto.Tensor::getName).toList();
        assertTrue(names.containsAll(List.of("batch_norm0.gamma", "batch_norm0.beta", "batch_norm0.running_mean", "batch_norm0.running_var")), names.toString());
        int state = 0;
        for (Node n : file.getGraph().getNodesList()) {
            if (!n.getOp().equals("parameter")) continue;
            boolean running = n.getName().contains(".running_");
            assertEquals(running, n.containsAttrs("trainable"), n.getName());
            if (running) {
                assertFalse(n.getAttrsOrThrow("trainable").getB());
                state++;
            }
            assertFalse(n.getName().startsWith("dropout"), "inference graphs hold no dropout");
        }
        assertEquals(4, state);
        for (Node n : file.getGraph().getNodesList()) assertNotEquals("dropout", n.getOp(), "the stored graph is the inference graph");
        assertTrue(file.getTraining().getOptimizer().getSlotsList().stream().noneMatch(s -> s.getParam().contains("running")),
                "no optimizer slot for state");
        assertEquals(m.parameters().count() - 2 * (2 + 8), m.parameters().trainableCount(), "running statistics are not trainable");
    }

    private static boolean isInitial(Tensor t, double v) {
        for (int i = 0; i < t.size(); i++) if (t.get(i) != v) return false;
        return true;
    }

    private static Model saveAndLoad(Model m, boolean weightsOnly) throws Exception {
        Path dir = TestFiles.tempDir();
        try {
            Path file = dir.resolve("m.tnn");
            if (weightsOnly) m.saveWeights(file);
            else m.save(file);
            return Model.load(file, new SimdBackend(1));
        } finally {
            TestFiles.deleteTree(dir);
        }
    }
}
