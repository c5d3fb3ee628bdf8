package tinynn.cli;

import java.util.SplittableRandom;
import tinynn.runtime.Tensor;

/**
 * Draws the next character from a model's logits: from softmax(logits / temperature) with a seeded generator, so the
 * same seed gives the same text; temperature 0 takes the most likely character (the first of equals). Below 1 the
 * distribution sharpens towards the likely characters, above 1 it flattens towards uniform.
 */
final class Sampler {
    private final double temperature;
    private final SplittableRandom rng;
    private double[] p = new double[0];

    Sampler(double temperature, long seed) {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        this.temperature = temperature;
        this.rng = new SplittableRandom(seed);
    }

    /** The id drawn from the {@code v} logits at {@code offset} of {@code logits}. */
    int next(Tensor logits, int offset, int v) {
        int best = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < v; c++) {
            double z = logits.get(offset + c);
            if (z > max) {
                max = z;
                best = c;
            }
        }
        if (temperature == 0) return best;
        if (p.length != v) p = new double[v];
        double sum = 0;
        for (int c = 0; c < v; c++) sum += p[c] = Math.exp((logits.get(offset + c) - max) / temperature);
        double u = rng.nextDouble() * sum;
        int last = best;
        for (int c = 0; c < v; c++) {
            if (p[c] == 0) continue;
            last = c;
            u -= p[c];
            if (u < 0) return c;
        }
        return last; // rounding left u at 0 after the whole sum: the last character that has any probability
    }
}
