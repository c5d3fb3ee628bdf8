package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import java.util.SplittableRandom;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Batch;
import tinynn.runtime.model.BatchIterator;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;

/** Test support for live runtime models: construction, random data, training, bit-exact comparison. */
final class RealModels {

    private RealModels() {}

    /** A small classifier 4 → 5 → 3 (Adam), trained for a few steps, with metadata and one history entry. */
    static Model trainedClassifier(DType dtype, long seed) {
        Model m = new Model(new Net(new Dense(4, 5), Activation.relu(), new Dense(5, 3)), Losses.softmaxCrossEntropy(),
                new Adam(0.01), new OjalgoBackend(), dtype, seed);
        SplittableRandom r = new SplittableRandom(seed);
        double loss = 0;
        for (int i = 0; i < 3; i++) {
            loss = m.trainStep(random(dtype, Shape.of(6, 4), r), oneHot(dtype, 6, 3, r));
        }
        m.endEpoch(new EpochMetrics(0, loss, Double.NaN, 0.5, 0.25));
        m.metadata().put("dataset", "toy");
        m.metadata().put("class_labels", "a,b,c");
        return m;
    }

    /** Uniform values in [-1, 1). */
    static Tensor random(DType dtype, Shape shape, SplittableRandom r) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextDouble(-1, 1));
        }
        return t;
    }

    /** Uniform values in [0, 1). */
    static Tensor unit(DType dtype, Shape shape, SplittableRandom r) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextDouble());
        }
        return t;
    }

    static Tensor oneHot(DType dtype, int rows, int classes, SplittableRandom r) {
        Tensor t = Tensor.zeros(dtype, Shape.of(rows, classes));
        for (int i = 0; i < rows; i++) {
            t.set(i * classes + r.nextInt(classes), 1);
        }
        return t;
    }

    /** Trains {@code epochs} full passes, recording each epoch (seconds fixed at 0 so histories compare exactly). */
    static void trainEpochs(Model model, BatchIterator it, Tensor x, Tensor y, int epochs) {
        for (int e = 0; e < epochs; e++) {
            double sum = 0;
            int batches = 0;
            for (Batch b : it.over(x, y)) {
                sum += model.trainStep(b.inputs(), b.targets());
                batches++;
            }
            model.endEpoch(new EpochMetrics(model.epoch(), sum / batches, Double.NaN, Double.NaN, 0.0));
        }
    }

    /** Same dtype, shape and raw bits (NaN payloads and -0.0 included). */
    static void assertBitIdentical(Tensor expected, Tensor actual, String what) {
        assertNotNull(actual, what + " is missing");
        assertEquals(expected.dtype(), actual.dtype(), what + " dtype");
        assertEquals(expected.shape(), actual.shape(), what + " shape");
        for (int i = 0; i < expected.size(); i++) {
            if (expected.isF32()) {
                assertEquals(Float.floatToRawIntBits(expected.f32()[i]), Float.floatToRawIntBits(actual.f32()[i]),
                        what + "[" + i + "]");
            } else {
                assertEquals(Double.doubleToRawLongBits(expected.f64()[i]), Double.doubleToRawLongBits(actual.f64()[i]),
                        what + "[" + i + "]");
            }
        }
    }

    static void assertBitIdentical(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + " names");
        for (var e : expected.entrySet()) {
            assertBitIdentical(e.getValue(), actual.get(e.getKey()), what + " " + e.getKey());
        }
    }

    /** Parameters, optimizer (type, hyper-parameters, steps, slots), counters, history and metadata agree. */
    static void assertSameState(Model expected, Model actual) {
        assertBitIdentical(expected.parameters().asMap(), actual.parameters().asMap(), "parameter");
        assertEquals(expected.optimizer().type(), actual.optimizer().type(), "optimizer type");
        assertEquals(expected.optimizer().hyper(), actual.optimizer().hyper(), "optimizer hyper-parameters");
        assertEquals(expected.optimizer().steps(), actual.optimizer().steps(), "optimizer steps");
        assertEquals(expected.optimizer().slots().keySet(), actual.optimizer().slots().keySet(), "slot names");
        for (var slot : expected.optimizer().slots().entrySet()) {
            assertBitIdentical(slot.getValue(), actual.optimizer().slots().get(slot.getKey()), "slot " + slot.getKey());
        }
        assertEquals(expected.epoch(), actual.epoch(), "epoch");
        assertEquals(expected.globalStep(), actual.globalStep(), "global step");
        assertEquals(expected.history(), actual.history(), "history");
        assertEquals(expected.metadata(), actual.metadata(), "metadata");
        assertEquals(expected.parameters().seed(), actual.parameters().seed(), "seed");
        assertEquals(expected.dtype(), actual.dtype(), "dtype");
        assertEquals(expected.loss().type(), actual.loss().type(), "loss");
        assertEquals(expected.net().names(), actual.net().names(), "layer names");
        for (int i = 0; i < expected.net().layers().size(); i++) {
            assertEquals(expected.net().layers().get(i).type(), actual.net().layers().get(i).type(), "layer " + i);
            assertEquals(byValue(expected.net().layers().get(i).attrs()), byValue(actual.net().layers().get(i).attrs()), "layer " + i);
        }
    }

    /** Attributes with integer arrays (a pooling layer's kernel, say) as lists, so that equal contents compare equal. */
    private static Map<String, Object> byValue(Map<String, Object> attrs) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(attrs);
        m.replaceAll((k, v) -> v instanceof int[] a ? java.util.Arrays.stream(a).boxed().toList() : v);
        return m;
    }
}
