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
import tinynn.runtime.simd.GemmConfig;
import tinynn.runtime.simd.Parallelism;
import tinynn.runtime.simd.RecurrenceF32;

/**
 * The SIMD recurrence kernels alone (RecurrenceF32), float32, at the MNIST-rows shape: batch 128, 28 steps, hidden 128.
 * {@code forward} fills the workspace, {@code backward} runs backward through time; the recurrent GEMMs are
 * 2·N·T·G·H·H flops each. {@code java -jar bench/target/benchmarks.jar RecurrenceBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class RecurrenceBench {

    @Param({"2"})   // RecurrenceF32.LSTM; 3 = GRU, 0 = RNN tanh
    public int kind;

    @Param({"1", "2"})
    public int threads;

    @Param({"128"})
    public int batch;

    @Param({"28"})
    public int steps;

    @Param({"128"})
    public int hidden;

    private Parallelism par;
    private RecurrenceF32 kernel;
    private float[] xp, w, h0, c0, bhh, ws, dws, out;

    @Setup public void setup() {
        par = Parallelism.ofThreads(threads);
        kernel = new RecurrenceF32(par, GemmConfig.DEFAULT, true);
        int gh = RecurrenceF32.gates(kind) * hidden, sw = RecurrenceF32.stateWidth(kind, hidden);
        SplittableRandom r = new SplittableRandom(1);
        xp = fill(r, batch * steps * gh, 1);
        w = fill(r, hidden * gh, 0.1f);
        h0 = new float[batch * hidden];
        c0 = new float[batch * hidden];
        bhh = fill(r, gh, 0.1f);
        ws = new float[batch * steps * sw];
        dws = fill(r, ws.length, 0.01f);
        out = new float[batch * (steps + 1) * RecurrenceF32.gradWidth(kind, hidden)];
        forward();
    }

    static float[] fill(SplittableRandom r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = scale * (float) (2 * r.nextDouble() - 1);
        return a;
    }

    @TearDown public void tearDown() { par.close(); }

    @Benchmark public float[] forward() {
        kernel.forward(kind, false, batch, steps, hidden, xp, w, h0, c0, bhh, ws);
        return ws;
    }

    @Benchmark public float[] backward() {
        kernel.backward(kind, false, batch, steps, hidden, ws, dws, w, h0, c0, out);
        return out;
    }
}
