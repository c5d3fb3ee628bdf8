package tinynn.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;
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
import tinynn.runtime.simd.GemmConfig;
import tinynn.runtime.simd.GemmF32;
import tinynn.runtime.simd.GemmF64;
import tinynn.runtime.simd.Parallelism;

/**
 * C = op(A) * op(B) for the shapes a neural-net runtime needs. Shape strings are
 * {@code LAYOUT:MxNxK} where LAYOUT is NN (A*B), TN (A^T*B, weight gradients) or NT (A*B^T, input gradients).
 * GFLOP/s = 2*M*N*K / time; {@link GemmReport} prints that table.
 *
 * <p>Implementations: {@code simd} = {@link GemmF32}/{@link GemmF64}; {@code naive} = textbook i-j-p triple
 * loop (rows split over the threads); {@code ojalgo} = {@code fillByMultiplying} on ojalgo 57 dense stores
 * (op(A) and op(B) pre-materialised as ojalgo's own column-major stores; ojalgo picks its own thread count, so
 * the {@code threads} parameter does not apply to it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx6g"})
public class GemmBench {

    /** The default shape set: 1024^3 and the MNIST MLP (batch 128) forward / weight-grad / input-grad GEMMs. */
    public static final String[] SHAPES = {
        "NN:1024x1024x1024",
        "NN:128x400x784", "NN:128x100x400", "NN:128x10x100",
        "TN:784x400x128", "TN:400x100x128", "TN:100x10x128",
        "NT:128x784x400", "NT:128x400x100", "NT:128x100x10",
        "NN:10000x400x784", "NN:10000x100x400", "NN:10000x10x100",
    };

    @Param({
        "NN:1024x1024x1024",
        "NN:128x400x784", "NN:128x100x400", "NN:128x10x100",
        "TN:784x400x128", "TN:400x100x128", "TN:100x10x128",
        "NT:128x784x400", "NT:128x400x100", "NT:128x100x10",
        "NN:10000x400x784", "NN:10000x100x400", "NN:10000x10x100",
    })
    public String shape;

    @Param({"f32", "f64"})
    public String precision;

    @Param({"simd", "naive", "ojalgo"})
    public String impl;

    @Param({"1", "2"})
    public int threads;

    boolean transA, transB;
    int m, n, k;
    float[] a32, b32, c32;
    double[] a64, b64, c64;
    Parallelism par;
    MatrixStore<Double> oa, ob;
    R032Store oc32;
    R064Store oc64;
    Runnable op;

    /** Parses {@code LAYOUT:MxNxK} into {transA, transB, m, n, k} (booleans as 0/1). */
    public static int[] parse(String shape) {
        String[] parts = shape.split(":");
        String[] dims = parts[1].split("x");
        return new int[] {parts[0].charAt(0) == 'T' ? 1 : 0, parts[0].charAt(1) == 'T' ? 1 : 0,
            Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2])};
    }

    @Setup(Level.Trial)
    public void setup() {
        int[] s = parse(shape);
        transA = s[0] == 1;
        transB = s[1] == 1;
        m = s[2];
        n = s[3];
        k = s[4];
        par = Parallelism.ofThreads(threads);
        SplittableRandom r = new SplittableRandom(42);
        boolean f32 = precision.equals("f32");
        if (f32) {
            a32 = random32(r, m * k);
            b32 = random32(r, k * n);
            c32 = new float[m * n];
        } else {
            a64 = random64(r, m * k);
            b64 = random64(r, k * n);
            c64 = new double[m * n];
        }
        switch (impl) {
            case "simd" -> op = f32
                    ? () -> GemmF32.gemm(transA, transB, m, n, k, a32, 0, b32, 0, false, c32, 0, par, GemmConfig.DEFAULT)
                    : () -> GemmF64.gemm(transA, transB, m, n, k, a64, 0, b64, 0, false, c64, 0, par, GemmConfig.DEFAULT);
            case "naive" -> op = f32 ? this::naive32 : this::naive64;
            case "ojalgo" -> {
                // ojalgo stores are column-major: wrapping a row-major r x c array gives its c x r transpose.
                // op(A) and op(B) are materialised as physical ojalgo stores once, outside the timed region
                // (multiplying through transpose views takes ojalgo's slow generic path): this favours ojalgo.
                MatrixStore<Double> aStored = f32 ? R032Store.wrap(a32, transA ? m : k) : R064Store.wrap(a64, transA ? m : k);
                MatrixStore<Double> bStored = f32 ? R032Store.wrap(b32, transB ? k : n) : R064Store.wrap(b64, transB ? k : n);
                MatrixStore<Double> aOp = transA ? aStored : aStored.transpose();
                MatrixStore<Double> bOp = transB ? bStored : bStored.transpose();
                oa = f32 ? R032Store.FACTORY.copy(aOp) : R064Store.FACTORY.copy(aOp);
                ob = f32 ? R032Store.FACTORY.copy(bOp) : R064Store.FACTORY.copy(bOp);
                if (f32) {
                    oc32 = R032Store.FACTORY.make(m, n);
                    op = () -> oc32.fillByMultiplying(oa, ob);
                } else {
                    oc64 = R064Store.FACTORY.make(m, n);
                    op = () -> oc64.fillByMultiplying(oa, ob);
                }
            }
            default -> throw new IllegalArgumentException("impl " + impl);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        par.close();
    }

    @Benchmark
    public Object gemm() {
        op.run();
        return c32 != null ? c32 : c64 != null ? c64 : oc32 != null ? oc32 : oc64;
    }

    void naive32() {
        par.parallelFor(m, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int j = 0; j < n; j++) {
                    float sum = 0;
                    for (int p = 0; p < k; p++) {
                        float av = transA ? a32[p * m + i] : a32[i * k + p];
                        float bv = transB ? b32[j * k + p] : b32[p * n + j];
                        sum += av * bv;
                    }
                    c32[i * n + j] = sum;
                }
            }
        });
    }

    void naive64() {
        par.parallelFor(m, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        double av = transA ? a64[p * m + i] : a64[i * k + p];
                        double bv = transB ? b64[j * k + p] : b64[p * n + j];
                        sum += av * bv;
                    }
                    c64[i * n + j] = sum;
                }
            }
        });
    }

    static float[] random32(SplittableRandom r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    static double[] random64(SplittableRandom r, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) x[i] = r.nextDouble() * 2 - 1;
        return x;
    }
}
