package tinynn.ops.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tinynn.graph.GraphException;
import tinynn.graph.Initializer;
import tinynn.graph.Shape;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Layers;

class InitializersTest {
    private static final Shape BIG = Shape.of(1000, 400); // 400k values: sample std within ~0.2%

    private static double[] draw(Initializer init, Shape s, long seed) { return init.values(s, new SplittableRandom(seed)); }

    private static double mean(double[] v) {
        double m = 0;
        for (double x : v) m += x;
        return m / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / v.length);
    }

    private static void assertMoments(double mean, double std, double[] v) {
        assertEquals(mean, mean(v), 5 * std / Math.sqrt(v.length), "mean");
        assertEquals(std, std(v), 0.01 * std, "std");
    }

    /** Uniform values that fill ±bound: all inside, the largest within 1% of it. */
    private static void assertBound(double bound, double[] v) {
        double max = 0;
        for (double x : v) max = Math.max(max, Math.abs(x));
        assertTrue(max <= bound && max > 0.99 * bound, "max |value| " + max + " for bound " + bound);
    }

    @Test void convolutionKernelsGetPyTorchsFans() {
        // OIHW [O, C/groups, KH, KW]: fan_in = C/groups·KH·KW, fan_out = O·KH·KW (torch.nn.init._calculate_fan_in_and_fan_out)
        assertEquals(6 * 5 * 5, Initializers.fanIn(Shape.of(16, 6, 5, 5)));
        assertEquals(16 * 5 * 5, Initializers.fanOut(Shape.of(16, 6, 5, 5)));
        assertEquals(1 * 3 * 2, Initializers.fanIn(Shape.of(8, 1, 3, 2)));   // depthwise: in/groups = 1
        assertEquals(8 * 3 * 2, Initializers.fanOut(Shape.of(8, 1, 3, 2)));
        // Dense [in, out] and the other ranks keep theirs
        assertEquals(784, Initializers.fanIn(Shape.of(784, 128)));
        assertEquals(128, Initializers.fanOut(Shape.of(784, 128)));
        assertEquals(6, Initializers.fanIn(Shape.of(2, 3, 5)));
        assertEquals(5, Initializers.fanOut(Shape.of(2, 3, 5)));
        assertEquals(9, Initializers.fanIn(Shape.of(9)));
        // the bounds follow: he_uniform √(6 / fan_in), xavier_uniform √(6 / (fan_in + fan_out))
        Shape k = Shape.of(64, 32, 3, 3);
        double he = Math.sqrt(6.0 / (32 * 9)), xavier = Math.sqrt(6.0 / (32 * 9 + 64 * 9));
        assertBound(he, draw(Initializers.heUniform(), k, 3));
        assertBound(xavier, draw(Initializers.xavierUniform(), k, 3));
    }

    @Test void existingInitializersKeepTheirValuesBitForBit() {
        // the formulas as they were before gain and mode existed, drawn from the same generator
        for (Shape s : new Shape[] {Shape.of(784, 128), Shape.of(3, 7), Shape.of(2, 3, 5), Shape.of(9)}) {
            int fi = Initializers.fanIn(s), fo = Initializers.fanOut(s);
            double xb = Math.sqrt(6.0 / (fi + fo)), hb = Math.sqrt(6.0 / fi);
            double xs = Math.sqrt(2.0 / (fi + fo)), hs = Math.sqrt(2.0 / fi);
            SplittableRandom r1 = new SplittableRandom(7), r2 = new SplittableRandom(7), r3 = new SplittableRandom(7), r4 = new SplittableRandom(7);
            double[] xu = new double[s.elements()], xn = new double[s.elements()], hu = new double[s.elements()], hn = new double[s.elements()];
            for (int i = 0; i < xu.length; i++) {
                xu[i] = -xb + (xb - -xb) * r1.nextDouble();
                xn[i] = 0 + xs * r2.nextGaussian();
                hu[i] = -hb + (hb - -hb) * r3.nextDouble();
                hn[i] = 0 + hs * r4.nextGaussian();
            }
            assertArrayEquals(xu, draw(Initializers.xavierUniform(), s, 7));
            assertArrayEquals(xn, draw(Initializers.xavierNormal(), s, 7));
            assertArrayEquals(hu, draw(Initializers.heUniform(), s, 7));
            assertArrayEquals(hn, draw(Initializers.heNormal(), s, 7));
        }
        for (String n : new String[] {"zeros", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "constant(0.0)", "constant(0.5)", "uniform(-0.1,0.1)", "normal(0.0,0.05)"}) {
            assertEquals(n.equals("zeros") ? "constant(0.0)" : n, Initializers.byName(n).describe());
        }
    }

    @Test void fansFollowTheDenseLayout() {
        assertEquals(784, Initializers.fanIn(Shape.of(784, 128)));
        assertEquals(128, Initializers.fanOut(Shape.of(784, 128)));
        assertEquals(12, Initializers.fanIn(Shape.of(3, 4, 5)));
        assertEquals(5, Initializers.fanOut(Shape.of(3, 4, 5)));
        assertEquals(9, Initializers.fanIn(Shape.of(9)));
        assertEquals(2 * 784.0, FanMode.FAN_IN.twiceFan(Shape.of(784, 128)));
        assertEquals(2 * 128.0, FanMode.FAN_OUT.twiceFan(Shape.of(784, 128)));
        assertEquals(784.0 + 128, FanMode.FAN_AVG.twiceFan(Shape.of(784, 128)));
    }

    @Test void varianceScalingHasTheDocumentedMoments() {
        assertMoments(0, Math.sqrt(2.0 / 1000), draw(Initializers.heNormal(), BIG, 1));
        assertMoments(0, Math.sqrt(2.0 / 1400), draw(Initializers.xavierNormal(), BIG, 2));
        assertMoments(0, 1 / Math.sqrt(1000), draw(Initializers.lecunNormal(), BIG, 3));
        assertMoments(0, Math.sqrt(2.0 / 1000), draw(Initializers.heUniform(), BIG, 4)); // U(±b) has std b/√3
        // gain scales σ; mode swaps the fan
        assertMoments(0, 0.5 * Math.sqrt(2.0 / 400), draw(Initializers.heNormal(0.5, FanMode.FAN_OUT), BIG, 5));
        double[] u = draw(Initializers.xavierUniform(3, FanMode.FAN_IN), BIG, 6);
        double bound = 3 * Math.sqrt(3.0 / 1000);
        assertMoments(0, bound / Math.sqrt(3), u);
        for (double x : u) assertTrue(Math.abs(x) <= bound, () -> x + " outside ±" + bound);
    }

    @Test void truncatedNormalStaysInsideItsAbsoluteBounds() {
        double[] v = draw(Initializers.truncatedNormal(0, 1, -2, 2), BIG, 8);
        for (double x : v) assertTrue(x >= -2 && x <= 2, () -> x + " outside [-2, 2]");
        // std of N(0,1) cut at ±2: √(1 − 2·2φ(2) / (Φ(2) − Φ(−2)))
        assertMoments(0, Math.sqrt(1 - 4 * 0.05399096651318806 / 0.9544997361036416), v);
        double[] half = draw(Initializers.truncatedNormal(0.5, 0.1, 0.5, 0.6), Shape.of(1000, 10), 9);
        for (double x : half) assertTrue(x >= 0.5 && x <= 0.6, () -> x + " outside [0.5, 0.6]");
        // the bounds are absolute, not in units of std: std 0.01 around 0 is never cut at ±2
        assertMoments(0, 0.01, draw(Initializers.byName("truncated_normal(0,0.01)"), BIG, 10));
        var e = assertThrows(GraphException.class, () -> draw(Initializers.truncatedNormal(0, 1, 20, 21), Shape.of(2, 2), 1));
        assertTrue(e.getMessage().contains("widen the bounds"), e.getMessage());
    }

    /** W·Wᵀ (rows) or Wᵀ·W (columns), whichever is the smaller identity for a [rows, cols] matrix. */
    private static void assertOrthogonal(double[] w, int rows, int cols, double gain) {
        int n = Math.min(rows, cols);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double dot = 0;
                for (int i = 0; i < Math.max(rows, cols); i++) {
                    dot += rows <= cols ? w[a * cols + i] * w[b * cols + i] : w[i * cols + a] * w[i * cols + b];
                }
                assertEquals(a == b ? gain * gain : 0, dot, 1e-12, "(" + a + ", " + b + ")");
            }
        }
    }

    @Test void orthogonalGivesOrthonormalRowsOrColumns() {
        assertOrthogonal(draw(Initializers.orthogonal(), Shape.of(64, 32), 1), 64, 32, 1);
        assertOrthogonal(draw(Initializers.orthogonal(), Shape.of(32, 64), 2), 32, 64, 1);
        assertOrthogonal(draw(Initializers.orthogonal(), Shape.of(40, 40), 3), 40, 40, 1);
        assertOrthogonal(draw(Initializers.byName("orthogonal(gain=2.0)"), Shape.of(20, 10), 4), 20, 10, 2);
        assertOrthogonal(draw(Initializers.orthogonal(), Shape.of(4, 3, 5), 5), 4, 15, 1); // viewed as [dim0, rest]
        assertThrows(GraphException.class, () -> draw(Initializers.orthogonal(), Shape.of(5), 1));
    }

    @Test void namesRoundTripWithTheirSettingsAndValues() {
        Initializer[] all = {Initializers.ones(), Initializers.truncatedNormal(0, 0.02, -2, 2), Initializers.heNormal(0.5, FanMode.FAN_OUT),
                Initializers.xavierUniform(2, FanMode.FAN_IN), Initializers.lecunNormal(), Initializers.orthogonal(1.5), Initializers.heUniform(1, FanMode.FAN_AVG)};
        for (Initializer i : all) {
            Initializer back = Initializers.byName(i.describe());
            assertEquals(i.describe(), back.describe());
            assertArrayEquals(draw(i, Shape.of(6, 4), 11), draw(back, Shape.of(6, 4), 11), i.describe());
        }
        assertEquals("he_normal(gain=0.5,mode=fan_out)", Initializers.heNormal(0.5, FanMode.FAN_OUT).describe());
        assertEquals("he_uniform(mode=fan_avg)", Initializers.byName("he_uniform", Double.NaN, "fan_avg").describe());
        assertEquals("xavier_normal(gain=2.0)", Initializers.byName("xavier_normal(gain=2)").describe());
        assertArrayEquals(new double[] {1, 1, 1}, draw(Initializers.byName("ones"), Shape.of(3), 1));
    }

    @Test void sameSeedSameValuesAndDifferentSeedsDiffer() {
        for (String n : new String[] {"he_normal", "truncated_normal", "orthogonal", "lecun_normal", "xavier_uniform(gain=2,mode=fan_out)"}) {
            Initializer i = Initializers.byName(n);
            assertArrayEquals(draw(i, Shape.of(8, 5), 42), draw(i, Shape.of(8, 5), 42), n);
            assertTrue(!java.util.Arrays.equals(draw(i, Shape.of(8, 5), 42), draw(i, Shape.of(8, 5), 43)), n);
        }
    }

    @Test void denseTakesGainAndModeFromTheSpecAndSavesThemInItsName() {
        Map<String, Object> attrs = new LinkedHashMap<>(Map.of("in", 3L, "out", 4L, "w_init", "he_normal", "init_gain", 0.5, "init_mode", "fan_out"));
        Dense d = (Dense) Layers.create("dense", attrs);
        assertEquals("he_normal(gain=0.5,mode=fan_out)", d.attrs().get("w_init"));
        Dense again = (Dense) Layers.create("dense", d.attrs());
        assertEquals(d.attrs(), again.attrs());
        assertEquals("xavier_uniform", new Dense(3, 4).attrs().get("w_init"));
    }

    @Test void badNamesAndArgumentsAreOneLineErrors() {
        assertTrue(assertThrows(GraphException.class, () -> Initializers.byName("glorot")).getMessage()
                .startsWith("unknown initializer 'glorot'; use zeros, ones,"));
        assertTrue(assertThrows(GraphException.class, () -> Initializers.byName("he_normal(gian=2)")).getMessage()
                .contains("unknown argument(s) [gian]"));
        assertTrue(assertThrows(GraphException.class, () -> Initializers.byName("he_normal(mode=fan_up)")).getMessage()
                .contains("'fan_up' is not fan_in, fan_out or fan_avg"));
        assertTrue(assertThrows(GraphException.class, () -> Initializers.byName("normal(0.0)")).getMessage()
                .contains("missing argument 'std'"));
        assertThrows(GraphException.class, () -> Initializers.byName("constant(1,2)"));
        assertThrows(GraphException.class, () -> Initializers.heNormal(0, FanMode.FAN_IN));
        assertThrows(GraphException.class, () -> Initializers.truncatedNormal(0, 1, 2, -2));
    }
}
