package tinynn.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Conv2dLayer;
import tinynn.ops.nn.ConvPadding;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Flatten;
import tinynn.ops.nn.MaxPool2dLayer;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;

/**
 * One LeNet-5 training step (forward, loss, gradients, Adam) on a batch of 128 MNIST-shaped images, float32:
 * the step time, and with {@code -prof gc} the allocation per step (no buffers: the plan owns them).
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar CnnTrainStepBench -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class CnnTrainStepBench {

    @Param({"simd"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    private Model model;
    private Tensor x, y;

    /** The LeNet-5: conv 6@5×5 same, ReLU, max-pool 2, conv 16@5×5 valid, ReLU, max-pool 2, dense 120, 84, 10. */
    static Net lenet5() {
        return new Net(
                new Conv2dLayer(6, 5, 1, ConvPadding.SAME), Activation.relu(), new MaxPool2dLayer(2),
                new Conv2dLayer(16, 5, 1, ConvPadding.VALID), Activation.relu(), new MaxPool2dLayer(2),
                new Flatten(),
                new Dense(120), Activation.relu(), new Dense(84), Activation.relu(), new Dense(10));
    }

    @Setup public void setup() {
        model = new Model(lenet5(), Losses.softmaxCrossEntropy(), new Adam(1e-3), Backends.createAndSetOjalgoThreads(backend, threads), DType.F32, 31);
        SplittableRandom rng = new SplittableRandom(1);
        x = Tensor.zeros(DType.F32, Shape.of(128, 1, 28, 28));
        y = Tensor.zeros(DType.F32, Shape.of(128, 10));
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble());
        for (int r = 0; r < 128; r++) y.set(r * 10 + rng.nextInt(10), 1);
    }

    @TearDown public void tearDown() { model.backend().close(); }

    @Benchmark public double step() { return model.trainStep(x, y); }
}
