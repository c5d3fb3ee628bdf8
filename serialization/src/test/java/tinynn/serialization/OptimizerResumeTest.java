package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tinynn.graph.DType;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.BatchIterator;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Optimizers;

/**
 * Every optimizer, with its non-default options and gradient clipping: train 2 epochs, save to a file, load, train
 * 2 more, and get the bits (parameters, slots, step count, hyper-parameters with clipping) of 4 epochs straight.
 */
class OptimizerResumeTest {

    static Stream<String> types() { return Optimizers.names().stream(); }

    static Map<String, Double> hyper(String type) {
        Map<String, Double> h = new LinkedHashMap<>(Map.of("lr", type.equals("adadelta") ? 0.5 : 0.01, "weight_decay", 1e-3,
                "clip_norm", 0.5, "clip_value", 0.3));
        switch (type) {
            case "sgd" -> { h.put("momentum", 0.9); h.put("nesterov", 1.0); }
            case "rmsprop" -> { h.put("momentum", 0.5); h.put("centered", 1.0); }
            case "adagrad" -> { h.put("lr_decay", 0.01); h.put("initial_accumulator_value", 0.1); }
            case "adam", "adamw" -> h.put("amsgrad", 1.0);
            default -> { }
        }
        return h;
    }

    private static Model newModel(DType dtype, Map<String, Double> h, String type, long seed) {
        return new Model(new Net(new Dense(2, 8), Activation.tanh(), new Dense(8, 3)), Losses.softmaxCrossEntropy(),
                Optimizers.create(type, h), Backends.create("simd", 1), dtype, seed);
    }

    @ParameterizedTest
    @MethodSource("types")
    void resumedThroughAFileIsBitIdentical(String type) throws Exception {
        for (Map<String, Double> h : java.util.List.of(Map.<String, Double>of(), hyper(type))) {
            long seed = 7;
            DType dtype = DType.F32;
            Tensor[] data = ResumeProperties.dataset(dtype, seed);
            Model straight = newModel(dtype, h, type, seed);
            RealModels.trainEpochs(straight, new BatchIterator(16, true, seed), data[0], data[1], 4);

            Model first = newModel(dtype, h, type, seed);
            RealModels.trainEpochs(first, new BatchIterator(16, true, seed), data[0], data[1], 2);
            Path dir = TestFiles.tempDir();
            Model resumed;
            try {
                Path file = dir.resolve("checkpoint.tnn");
                first.save(file);
                resumed = Model.load(file, Backends.create("simd", 1));
            } finally {
                TestFiles.deleteTree(dir);
            }
            RealModels.assertSameState(first, resumed);
            assertEquals(first.optimizer().clipNorm(), resumed.optimizer().clipNorm());
            assertEquals(first.optimizer().clipValue(), resumed.optimizer().clipValue());
            BatchIterator it = new BatchIterator(16, true, seed);
            it.pass(resumed.epoch());
            RealModels.trainEpochs(resumed, it, data[0], data[1], 2);
            RealModels.assertSameState(straight, resumed);
        }
    }
}
