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
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Recurrent;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;

/**
 * One training step (forward, loss, gradients, Adam) of the sequence net, float32: LSTM(128) reading a batch of
 * 128 MNIST-shaped images as 28 steps of 28-pixel rows, its last hidden state into dense 10, softmax cross entropy.
 * The step time, and with {@code -prof gc} the allocation per step (no buffers: the plan owns them).
 * {@code java -jar bench/target/benchmarks.jar LstmTrainStepBench -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class LstmTrainStepBench {

    @Param({"simd"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    private Model model;
    private Tensor x, y;

    /** LSTM(128) over [N, 28, 28], the hidden state after the last row, dense 10. */
    static Net lstmRows() {
        return new Net(Recurrent.lstm(128, false, false), new Dense(10));
    }

    @Setup public void setup() {
        model = new Model(lstmRows(), Losses.softmaxCrossEntropy(), new Adam(1e-3), Backends.createAndSetOjalgoThreads(backend, threads), DType.F32, 31);
        SplittableRandom rng = new SplittableRandom(1);
        x = Tensor.zeros(DType.F32, Shape.of(128, 28, 28));
        y = Tensor.zeros(DType.F32, Shape.of(128, 10));
        for (int i = 0; i < x.size(); i++) x.set(i, rng.nextDouble());
        for (int r = 0; r < 128; r++) y.set(r * 10 + rng.nextInt(10), 1);
    }

    @TearDown public void tearDown() { model.backend().close(); }

    @Benchmark public double step() { return model.trainStep(x, y); }
}
