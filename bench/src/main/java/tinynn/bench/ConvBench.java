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
import tinynn.ops.ConvGeometry;
import tinynn.runtime.ArrayBackend;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;
import tinynn.runtime.simd.ConvF32;
import tinynn.runtime.simd.ConvF64;
import tinynn.runtime.simd.GemmConfig;
import tinynn.runtime.simd.Parallelism;
import tinynn.runtime.simd.SimdBackend;

/**
 * Convolution forward, input gradient and weight gradient at batch 128 on LeNet-5's two layers and a bigger one;
 * {@link ConvReport} prints GFLOP/s (2·N·O·(C/groups)·KH·KW·OH·OW per pass).
 *
 * <p>Layers: {@code lenet1} 1→6, 5×5, padding 2, 28×28; {@code lenet2} 6→16, 5×5, valid, 14×14; {@code c32x64} 32→64,
 * 3×3, padding 1, 16×16. Implementations: {@code simd} = {@link SimdBackend} (its automatic choice per call);
 * {@code direct} / {@code im2col} = the SIMD kernel with that strategy forced (direct falls back to im2col where it
 * does not apply); {@code plain} = ArrayBackend's loops, single-threaded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx4g"})
public class ConvBench {

    @Param({"lenet1", "lenet2", "c32x64"})
    public String layer;

    @Param({"forward", "gradInput", "gradWeight"})
    public String pass;

    @Param({"simd", "direct", "lanes", "scatter", "im2col", "plain"})
    public String impl;

    @Param({"f32"})
    public String precision;

    @Param({"1", "2"})
    public int threads;

    Tensor x, w, y, dx, dw;
    ConvGeometry g;
    Backend backend;
    Parallelism par;
    Runnable op;

    /** {n, c, h, w, o, k, pad} of a layer name. */
    public static int[] dims(String layer) {
        return switch (layer) {
            case "lenet1" -> new int[] {128, 1, 28, 28, 6, 5, 2};
            case "lenet2" -> new int[] {128, 6, 14, 14, 16, 5, 0};
            case "c32x64" -> new int[] {128, 32, 16, 16, 64, 3, 1};
            default -> throw new IllegalArgumentException("layer " + layer + ": use lenet1, lenet2 or c32x64");
        };
    }

    /** Floating-point operations of one pass (each of the three has the same count). */
    public static double flops(String layer) {
        int[] d = dims(layer);
        ConvGeometry g = geometry(d);
        return 2.0 * d[0] * d[4] * d[1] * d[5] * d[5] * g.outH(d[2], d[5]) * g.outW(d[3], d[5]);
    }

    static ConvGeometry geometry(int[] d) {
        return new ConvGeometry(1, 1, d[6], d[6], d[6], d[6], 1, 1, 1);
    }

    @Setup(Level.Trial)
    public void setup() {
        int[] d = dims(layer);
        g = geometry(d);
        DType dtype = precision.equals("f32") ? DType.F32 : DType.F64;
        SplittableRandom r = new SplittableRandom(42);
        x = random(r, dtype, Shape.of(d[0], d[1], d[2], d[3]));
        w = random(r, dtype, Shape.of(d[4], d[1], d[5], d[5]));
        y = random(r, dtype, Shape.of(d[0], d[4], g.outH(d[2], d[5]), g.outW(d[3], d[5])));
        dx = Tensor.zeros(dtype, x.shape());
        dw = Tensor.zeros(dtype, w.shape());
        switch (impl) {
            case "simd" -> backend = new SimdBackend(threads);
            case "plain" -> backend = new PlainLoops();
            case "direct", "lanes", "scatter", "im2col" -> {
                par = Parallelism.ofThreads(threads);
                op = strategyOp(impl.toUpperCase(java.util.Locale.ROOT), d, dtype == DType.F32);
                return;
            }
            default -> throw new IllegalArgumentException("impl " + impl);
        }
        op = switch (pass) {
            case "forward" -> () -> backend.conv2d(x, w, g, y);
            case "gradInput" -> () -> backend.conv2dGradInput(y, w, g, dx);
            case "gradWeight" -> () -> backend.conv2dGradWeight(x, y, g, dw);
            default -> throw new IllegalArgumentException("pass " + pass);
        };
    }

    private Runnable strategyOp(String strategy, int[] d, boolean f32) {
        int n = d[0], c = d[1], h = d[2], wd = d[3], o = d[4], k = d[5];
        if (f32) {
            ConvF32 conv = new ConvF32(par, GemmConfig.DEFAULT, ConvF32.Strategy.valueOf(strategy));
            return switch (pass) {
                case "forward" -> () -> conv.forward(x.f32(), n, c, h, wd, w.f32(), o, k, k, g, y.f32());
                case "gradInput" -> () -> conv.gradInput(y.f32(), w.f32(), n, c, h, wd, o, k, k, g, dx.f32());
                default -> () -> conv.gradWeight(x.f32(), y.f32(), n, c, h, wd, o, k, k, g, dw.f32());
            };
        }
        ConvF64 conv = new ConvF64(par, GemmConfig.DEFAULT, ConvF64.Strategy.valueOf(strategy));
        return switch (pass) {
            case "forward" -> () -> conv.forward(x.f64(), n, c, h, wd, w.f64(), o, k, k, g, y.f64());
            case "gradInput" -> () -> conv.gradInput(y.f64(), w.f64(), n, c, h, wd, o, k, k, g, dx.f64());
            default -> () -> conv.gradWeight(x.f64(), y.f64(), n, c, h, wd, o, k, k, g, dw.f64());
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (backend != null) backend.close();
        if (par != null) par.close();
    }

    @Benchmark
    public Object conv() {
        op.run();
        return dw;
    }

    private static Tensor random(SplittableRandom r, DType dtype, Shape shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) t.set(i, r.nextDouble(-1, 1));
        return t;
    }

    /** ArrayBackend's plain loops, whatever the other backends override. */
    static final class PlainLoops extends ArrayBackend {
        @Override public String name() { return "plain"; }

        @Override public String describe() { return "plain loops"; }

        @Override public void matmul(Tensor a, boolean ta, Tensor b, boolean tb, Tensor c) { loopMatmul(a, ta, b, tb, c); }
    }
}
