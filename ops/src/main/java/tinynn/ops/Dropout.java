package tinynn.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tinynn.graph.DType;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/**
 * Inverted dropout with a counter-based mask: element i of x is kept (and scaled by 1/(1 − rate)) when
 * {@link #keep} says so for (seed, step) from the rng input (the training graph's {@link tinynn.graph.Graph#randomState},
 * float64 [seed bits 63..32, seed bits 31..0, step]), the layer's {@code stream} and i. The mask is a pure function
 * of those, so no mask is stored, every backend draws the same one, and a resumed run (same seed and step) draws
 * it again. The gradient is the same op applied to g: the same mask, the same scaling.
 */
public record Dropout(double rate, long stream) implements Primitive {

    public Dropout {
        if (!(rate >= 0 && rate < 1)) throw new GraphException("dropout: rate must be in [0, 1) (the probability of dropping), got " + rate);
    }

    public String type() { return "dropout"; }

    public Shape shape(List<Node> in) {
        Node rng = in.get(1);
        if (rng.dtype() != DType.F64 || !rng.shape().equals(Shape.of(3))) {
            throw new GraphException("the rng input must be float64 [3] (Graph.randomState), got " + rng.dtype() + rng.shape());
        }
        return in.get(0).shape();
    }

    /** x's type: the rng input is float64 in every graph. */
    public DType dtype(List<Node> in) { return in.get(0).dtype(); }

    public List<Node> vjp(Node self, Node g) {
        return Arrays.asList(Ops.dropout(g, self.input(1), rate, stream), null);
    }

    public Map<String, Object> attrs() { return Map.of("rate", rate, "stream", stream); }

    public double[] reference(double[][] in, Shape[] shapes, Shape out) {
        double[] x = in[0], rng = in[1];
        long base = base(rng[0], rng[1], rng[2], stream);
        double scale = 1 / (1 - rate);
        double[] r = new double[x.length];
        for (int i = 0; i < r.length; i++) r[i] = keep(base, i, rate) ? x[i] * scale : 0;
        return r;
    }

    /** The per-call part of the hash: seed (as the rng input's two 32-bit halves), step and stream mixed once. */
    public static long base(double seedHigh, double seedLow, double step, long stream) {
        long seed = ((long) seedHigh << 32) | ((long) seedLow & 0xFFFFFFFFL);
        return mix(mix(mix(seed) ^ (long) step) ^ stream);
    }

    /** Whether element i survives: a uniform [0, 1) value from SplitMix64's finaliser of (base, i), compared with rate. */
    public static boolean keep(long base, long i, double rate) {
        return (mix(base + (i + 1) * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53 >= rate;
    }

    /** SplitMix64's output function (Steele, Lea, Flood 2014): a bijection of 64 bits with full avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
