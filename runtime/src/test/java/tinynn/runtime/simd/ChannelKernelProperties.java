package tinynn.runtime.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.Binary;
import tinynn.runtime.Tensor;

/**
 * SimdBackend's per-channel paths (a conv bias [1, C, 1, 1] added to [N, C, H, W] through binary, its gradient through
 * sumTo) against plain loops written here, for random shapes and every binary kind, both operand orders, float64 and
 * float32, one and two threads (which must agree bit for bit).
 */
class ChannelKernelProperties {

    static final SimdBackend ONE = new SimdBackend(1), TWO = new SimdBackend(2);

    @AfterContainer
    static void close() {
        ONE.close();
        TWO.close();
    }

    /** [N, C, H, W] (sometimes large enough for the threads) and a per-channel shape of C: [1, C, 1, 1], [C, 1, 1] or [1, C, 1]. */
    record Case(Shape big, Shape per, int outer, int ch, int inner) {
        static Case random(SplittableRandom r) {
            boolean large = r.nextInt(4) == 0;
            int n = 1 + r.nextInt(large ? 64 : 4), c = 1 + r.nextInt(large ? 16 : 7), h = 2 + r.nextInt(large ? 28 : 6), w = 2 + r.nextInt(large ? 28 : 6);
            return switch (r.nextInt(3)) {
                case 0 -> new Case(Shape.of(n, c, h, w), Shape.of(1, c, 1, 1), n, c, h * w);
                case 1 -> new Case(Shape.of(n, c, h, w), Shape.of(c, 1, 1), n, c, h * w);
                default -> new Case(Shape.of(n, c, h * w), Shape.of(1, c, 1), n, c, h * w);
            };
        }
    }

    @Property(tries = 200)
    void binaryMatchesPlainLoops(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Case k = Case.random(r);
        Binary.Kind kind = Binary.Kind.values()[r.nextInt(Binary.Kind.values().length)];
        boolean swap = r.nextBoolean();
        for (DType dtype : new DType[] {DType.F64, DType.F32}) {
            Tensor full = random(r, dtype, k.big), per = random(r, dtype, k.per);
            for (int i = 0; i < per.size(); i++) if (per.get(i) == 0) per.set(i, 0.5);   // DIV
            for (int i = 0; i < full.size(); i++) if (full.get(i) == 0) full.set(i, 0.25);
            double[] expected = new double[full.size()];
            for (int b = 0; b < k.outer; b++) {
                for (int c = 0; c < k.ch; c++) {
                    for (int j = 0; j < k.inner; j++) {
                        int i = (b * k.ch + c) * k.inner + j;
                        double v = swap ? kind.apply(per.get(c), full.get(i)) : kind.apply(full.get(i), per.get(c));
                        expected[i] = dtype == DType.F32 ? (float) v : v;
                    }
                }
            }
            double[][] got = new double[2][];
            SimdBackend[] backends = {ONE, TWO};
            for (int t = 0; t < 2; t++) {
                Tensor out = Tensor.zeros(dtype, k.big);
                if (swap) backends[t].binary(kind, per, full, out);
                else backends[t].binary(kind, full, per, out);
                got[t] = out.toDoubles();
            }
            // Exact: one operation per element, correctly rounded in either precision.
            assertArrayEquals(expected, got[0], kind + " " + dtype + " " + k);
            assertArrayEquals(got[0], got[1], kind + " " + dtype + " 2 threads " + k);
        }
    }

    @Property(tries = 100)
    void fusedBiasReluMatchesPlainLoops(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Case k = Case.random(r);
        for (DType dtype : new DType[] {DType.F64, DType.F32}) {
            Tensor x = random(r, dtype, k.big), b = random(r, dtype, k.per);
            double[] expected = new double[x.size()];
            for (int i = 0; i < expected.length; i++) {
                double v = x.get(i) + b.get(i / k.inner % k.ch);
                expected[i] = Math.max(dtype == DType.F32 ? (float) v : v, 0);
            }
            for (SimdBackend be : new SimdBackend[] {ONE, TWO}) {
                Tensor out = Tensor.zeros(dtype, k.big);
                be.channelBiasAdd(x, b, true, out);
                assertArrayEquals(expected, out.toDoubles(), "bias+relu " + dtype + " " + be.describe() + " " + k);
            }
        }
    }

    @Property(tries = 200)
    void sumToMatchesPlainLoops(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Case k = Case.random(r);
        for (DType dtype : new DType[] {DType.F64, DType.F32}) {
            Tensor x = random(r, dtype, k.big);
            double[] expected = new double[k.ch], abs = new double[k.ch];
            for (int b = 0; b < k.outer; b++) {
                for (int c = 0; c < k.ch; c++) {
                    for (int j = 0; j < k.inner; j++) {
                        double v = x.get((b * k.ch + c) * k.inner + j);
                        expected[c] += v;
                        abs[c] += Math.abs(v);
                    }
                }
            }
            Tensor one = Tensor.zeros(dtype, k.per), two = Tensor.zeros(dtype, k.per);
            one.set(0, Double.NaN);
            ONE.sumTo(x, one);
            TWO.sumTo(x, two);
            double rel = dtype == DType.F32 ? 1e-6 : 1e-14;
            double[] tol = new double[k.ch];
            for (int c = 0; c < k.ch; c++) tol[c] = 1e-300 + rel * abs[c];
            Check.close("sumTo " + dtype + " " + k, expected, one.toDoubles(), tol, 1, k.ch);
            assertArrayEquals(one.toDoubles(), two.toDoubles(), "sumTo " + dtype + " 2 threads " + k);
        }
    }

    @Test
    void onlyChannelShapedOperandsTakeThePerChannelPath() {
        assertEquals(49, ChannelF64.channelInner(Shape.of(1, 6, 1, 1), Shape.of(128, 6, 7, 7)));
        assertEquals(49, ChannelF64.channelInner(Shape.of(6, 1, 1), Shape.of(128, 6, 7, 7)));
        assertEquals(1, ChannelF64.channelInner(Shape.of(7), Shape.of(128, 6, 7, 7)));          // numpy: [C] aligns with W
        assertEquals(7, ChannelF64.channelInner(Shape.of(6, 7, 1), Shape.of(2, 6, 7, 7)));       // a run of two dims
        assertEquals(-1, ChannelF64.channelInner(Shape.of(6, 1, 7), Shape.of(2, 6, 7, 7)));      // not contiguous
        assertEquals(-1, ChannelF64.channelInner(Shape.of(1, 1, 1), Shape.of(2, 6, 7, 7)));      // a scalar
        assertEquals(-1, ChannelF64.channelInner(Shape.of(3, 1, 1), Shape.of(2, 6, 7, 7)));      // not broadcastable
    }

    static Tensor random(SplittableRandom r, DType dtype, Shape shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) t.set(i, (r.nextInt(2049) - 1024) / 256.0);
        return t;
    }
}
