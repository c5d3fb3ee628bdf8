package tinynn.runtime.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The 2×2 max pool's forward kernel with the masked short rows (C2's choice) and with the whole-vector short rows
 * (the native image's), on plane ranges cut as the threads cut them: every output of a range equals the window's
 * maximum, and nothing outside the range is written (the whole-vector rows write past a row, never past the range).
 * The backend-level properties (tests module) see only the path of the JVM they run on; this one sees both.
 */
class PoolRowPathProperties {

    @Property(tries = 150)
    void bothRowPathsGiveTheWindowMaximaWithinTheirRange(@ForAll @IntRange(min = 1, max = 9) int planes,
                                                         @ForAll @IntRange(min = 2, max = 13) int h,
                                                         @ForAll @IntRange(min = 2, max = 40) int w,
                                                         @ForAll boolean masked, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int oh = h / 2, ow = w / 2, from = rng.nextInt(planes), to = from + 1 + rng.nextInt(planes - from);
        double[] x = new double[planes * h * w];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextInt(5) == 0 ? rng.nextInt(3) - 1 : rng.nextDouble(-1, 1);
        double[] out64 = new double[planes * oh * ow];
        float[] out32 = new float[out64.length];
        java.util.Arrays.fill(out64, -7);
        java.util.Arrays.fill(out32, -7);
        float[] x32 = new float[x.length];
        for (int i = 0; i < x.length; i++) x32[i] = (float) x[i];
        PoolF64.max2x2(x, out64, h, w, from, to, masked && PoolF64.LN >= 2);
        PoolF32.max2x2(x32, out32, h, w, from, to, masked && PoolF32.LN >= 2);
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int o = (p * oh + i) * ow + j, t = p * h * w + 2 * i * w + 2 * j, b = t + w;
                    boolean in = p >= from && p < to;
                    double want = in ? Math.max(Math.max(x[t], x[t + 1]), Math.max(x[b], x[b + 1])) : -7;
                    String where = "plane " + p + " of [" + from + ", " + to + ") output (" + i + ", " + j + ") of " + h + "x" + w
                            + (masked ? " masked" : " whole");
                    assertEquals(want, out64[o], 0, "float64 " + where);
                    assertEquals((float) want, out32[o], 0, "float32 " + where);
                }
            }
        }
    }
}
