package tinynn.runtime.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;

/** The row-split kernels (large enough to run on both threads) agree exactly with a scalar loop. */
class SimdBackendTest {

    private static Tensor random(DType type, Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(type, shape);
        for (int i = 0; i < t.size(); i++) t.set(i, r.nextDouble(-1, 1));
        return t;
    }

    private static double[] values(Tensor t) {
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) d[i] = t.get(i);
        return d;
    }

    @ParameterizedTest(name = "{0} {1}x{2} relu={3} threads={4}")
    @CsvSource({"F32, 300, 400, true, 2", "F32, 333, 401, false, 2", "F64, 300, 401, true, 2", "F64, 7, 33, true, 2",
                "F32, 300, 400, true, 1"})
    void biasAddMatchesPlainLoops(DType type, int rows, int cols, boolean relu, int threads) {
        Tensor x = random(type, Shape.of(rows, cols), 1), b = random(type, Shape.of(cols), 2);
        Tensor want = Tensor.zeros(type, x.shape()), got = Tensor.zeros(type, x.shape());
        for (int i = 0; i < want.size(); i++) {
            double sum = type == DType.F32 ? (double) ((float) x.get(i) + (float) b.get(i % cols)) : x.get(i) + b.get(i % cols);
            want.set(i, relu ? Math.max(sum, 0) : sum);
        }
        new SimdBackend(threads).biasAdd(x, b, relu, got);
        assertArrayEquals(values(want), values(got));
    }

    @ParameterizedTest(name = "{0} {1} elements")
    @CsvSource({"F32, 300007", "F64, 262145", "F32, 17"})
    void copyMatchesSource(DType type, int n) {
        Tensor x = random(type, Shape.of(n), 3), out = Tensor.zeros(type, Shape.of(n));
        new SimdBackend(2).copy(x, out);
        assertArrayEquals(values(x), values(out));
    }
}
