package tinynn.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import tinynn.ops.PoolWindow;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.simd.SimdBackend;

/**
 * LeNet-5's two 2×2 stride-2 max pools at batch 128 ([128, 6, 28, 28] and [128, 16, 10, 10]), forward and
 * backward, and the average pool forward: {@code simd} = SimdBackend (PoolF32/PoolF64, split over {@code threads})
 * against {@code loops} = the plain loops of ArrayBackend that the ojalgo backend inherits (single-threaded: the
 * threads parameter does not apply to it). Run:
 * {@code java -jar bench/target/benchmarks.jar PoolBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx2g"})
public class PoolBench {

    @Param({"128x6x28x28", "128x16x10x10"})
    public String shape;

    @Param({"f32", "f64"})
    public String precision;

    @Param({"simd", "loops"})
    public String impl;

    @Param({"1", "2"})
    public int threads;

    @Param({"max", "max_grad", "avg"})
    public String op;

    private static final PoolWindow WINDOW = PoolWindow.of(2);
    private Backend backend;
    private Tensor x, y, g, dx;

    @Setup(Level.Trial)
    public void setup() {
        String[] d = shape.split("x");
        int n = Integer.parseInt(d[0]), c = Integer.parseInt(d[1]), h = Integer.parseInt(d[2]), w = Integer.parseInt(d[3]);
        DType dtype = precision.equals("f32") ? DType.F32 : DType.F64;
        backend = impl.equals("simd") ? new SimdBackend(threads) : new OjalgoBackend();
        SplittableRandom r = new SplittableRandom(42);
        x = Tensor.zeros(dtype, Shape.of(n, c, h, w));
        dx = Tensor.zeros(dtype, x.shape());
        y = Tensor.zeros(dtype, Shape.of(n, c, h / 2, w / 2));
        g = Tensor.zeros(dtype, y.shape());
        for (int i = 0; i < x.size(); i++) x.set(i, r.nextDouble(-1, 1));
        for (int i = 0; i < g.size(); i++) g.set(i, r.nextDouble(-1, 1));
    }

    @TearDown(Level.Trial)
    public void tearDown() { backend.close(); }

    @Benchmark
    public Tensor pool() {
        switch (op) {
            case "max" -> { backend.maxPool2d(x, WINDOW, y); return y; }
            case "max_grad" -> { backend.maxPool2dGrad(x, g, WINDOW, dx); return dx; }
            default -> { backend.avgPool2d(x, WINDOW, true, y); return y; }
        }
    }
}
