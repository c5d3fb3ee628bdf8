package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
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
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.BatchIterator;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.optim.Optimizer;
import tinynn.runtime.optim.SGD;

/**
 * Resume: training N epochs, saving, loading and training M more epochs gives bit-identical parameters (and
 * optimizer state, counters and history) to training N + M epochs straight through with the same seed.
 */
class ResumeProperties {

    private static final int BATCH = 16;

    /** Two noisy interleaved classes per quadrant pair: 70 examples, 2 features, 3 one-hot classes. */
    static Tensor[] dataset(DType dtype, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 70;
        Tensor x = Tensor.zeros(dtype, Shape.of(n, 2));
        Tensor y = Tensor.zeros(dtype, Shape.of(n, 3));
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            double angle = 2 * Math.PI * c / 3 + r.nextGaussian() * 0.4;
            double radius = 0.5 + r.nextDouble();
            x.set(2 * i, radius * Math.cos(angle));
            x.set(2 * i + 1, radius * Math.sin(angle));
            y.set(3 * i + c, 1);
        }
        return new Tensor[] {x, y};
    }

    private static Model newModel(DType dtype, String optimizer, long seed) {
        Optimizer opt = optimizer.equals("adam") ? new Adam(0.02, 0.9, 0.999, 1e-8, 1e-4) : new SGD(0.05, 0.9, 1e-4);
        return new Model(new Net(new Dense(2, 8), Activation.tanh(), new Dense(8, 6), Activation.leakyRelu(0.05),
                new Dense(6, 3)), Losses.softmaxCrossEntropy(), opt, new OjalgoBackend(), dtype, seed);
    }

    @Provide
    Arbitrary<DType> dtypes() {
        return Arbitraries.of(DType.F32, DType.F64);
    }

    @Provide
    Arbitrary<String> optimizers() {
        return Arbitraries.of("adam", "sgd");
    }

    @Property(tries = 12)
    void resumedTrainingIsBitIdentical(@ForAll @IntRange(min = 1, max = 3) int n,
            @ForAll @IntRange(min = 1, max = 3) int m, @ForAll("dtypes") DType dtype,
            @ForAll("optimizers") String optimizer, @ForAll long seed) throws Exception {
        Tensor[] data = dataset(dtype, seed);

        // Straight through.
        Model straight = newModel(dtype, optimizer, seed);
        RealModels.trainEpochs(straight, new BatchIterator(BATCH, true, seed), data[0], data[1], n + m);

        // N epochs, save, load, M more: the iterator continues at pass model.epoch().
        Model first = newModel(dtype, optimizer, seed);
        RealModels.trainEpochs(first, new BatchIterator(BATCH, true, seed), data[0], data[1], n);
        Path dir = TestFiles.tempDir();
        Model resumed;
        try {
            Path file = dir.resolve("checkpoint.tnn");
            first.save(file);
            resumed = Model.load(file, new OjalgoBackend());
        } finally {
            TestFiles.deleteTree(dir);
        }
        assertEquals(n, resumed.epoch());
        BatchIterator it = new BatchIterator(BATCH, true, seed);
        it.pass(resumed.epoch());
        RealModels.trainEpochs(resumed, it, data[0], data[1], m);

        RealModels.assertSameState(straight, resumed);
        assertEquals((long) (n + m) * 5, resumed.globalStep(), "70 examples in batches of 16 = 5 steps per epoch");
    }

    @Example
    void resumeAfterTwoEpochsMatchesFive() throws Exception {
        resumedTrainingIsBitIdentical(2, 3, DType.F32, "adam", 42);
    }
}
