package tinynn.ops.init;

import java.util.random.RandomGenerator;
import tinynn.graph.GraphException;
import tinynn.graph.Initializer;
import tinynn.graph.Shape;

/**
 * N(mean, std²) restricted to [a, b], absolute bounds as PyTorch's trunc_normal_ (default ±2,
 * which is ±2σ only when std = 1). Values outside are redrawn: exact, unlike clamping, which piles
 * mass on the bounds.
 */
record TruncatedNormal(double mean, double std, double a, double b) implements Initializer {
    /** Redraws per value before giving up: the bounds then hold almost none of the distribution. */
    private static final int MAX_DRAWS = 10_000;

    TruncatedNormal {
        if (!(std > 0) || !(a < b)) throw new GraphException("initializer truncated_normal: needs std > 0 and a < b, got std=" + std + ", a=" + a + ", b=" + b);
    }

    public double[] values(Shape s, RandomGenerator r) {
        double[] out = new double[s.elements()];
        for (int i = 0; i < out.length; i++) {
            int draws = 0;
            double v;
            do {
                if (++draws > MAX_DRAWS) {
                    throw new GraphException("initializer " + describe() + ": [a, b] holds almost none of N(mean, std²); widen the bounds");
                }
                v = mean + std * r.nextGaussian();
            } while (v < a || v > b);
            out[i] = v;
        }
        return out;
    }

    public String describe() { return "truncated_normal(" + mean + "," + std + "," + a + "," + b + ")"; }
}
