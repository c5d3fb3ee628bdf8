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
import tinynn.ops.nn.Dense;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;

/**
 * One training step (forward, loss, gradients, Adam) of the article's MNIST MLP on a batch of 128.
 * Run with {@code -prof gc} to see the allocation per step (≈0 B/op once compiled):
 * {@code java -jar bench/target/benchmarks.jar TrainStepBench -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class TrainStepBench {

    @Param({"simd", "ojalgo"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    private Model model;
    private Tensor x, y;

    @Setup public void setup() {
        Net net = new Net(new Dense(784, 400), Activation.relu(), new Dense(400, 100), Activation.relu(), new Dense(100, 10));
        model = new Model(net, Losses.softmaxCrossEntropy(), new Adam(1e-3), Backends.createAndSetOjalgoThreads(backend, threads), DType.F32, 31);
        SplittableRandom rng = new SplittableRandom(1);
        x = Tensor.zeros(DType.F32, Shape.of(128, 784));
        y = Tensor.zeros(DType.F32, Shape.of(128, 10));
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble());
        for (int r = 0; r < 128; r++) y.set(r * 10 + rng.nextInt(10), 1);
    }

    @TearDown public void tearDown() { model.backend().close(); }

    @Benchmark public double step() { return model.trainStep(x, y); }
}
