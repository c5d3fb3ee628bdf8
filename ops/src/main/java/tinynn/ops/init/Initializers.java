package tinynn.ops.init;

import java.util.random.RandomGenerator;
import tinynn.graph.Initializer;
import tinynn.graph.Shape;

/**
 * The article's initializers plus the usual ones. Fans follow the [fan_in, fan_out] layout of
 * Dense weights; rank-4 parameters are convolution kernels [O, C/groups, KH, KW] (OIHW) and get
 * PyTorch's fans, fan_in = C/groups·KH·KW and fan_out = O·KH·KW; for other ranks fan_in is the product
 * of all but the last dimension.
 */
public final class Initializers {
    private Initializers() {}

    public static Initializer zeros() { return constant(0); }

    public static Initializer constant(double value) {
        return named("constant(" + value + ")", (s, r) -> fill(s, value));
    }

    public static Initializer uniform(double low, double high) {
        return named("uniform(" + low + "," + high + ")", (s, r) -> uniform(s, r, low, high));
    }

    public static Initializer normal(double mean, double std) {
        return named("normal(" + mean + "," + std + ")", (s, r) -> normal(s, r, mean, std));
    }

    public static Initializer ones() { return named("ones", (s, r) -> fill(s, 1)); }

    /**
     * N(mean, std²) cut to the absolute bounds [a, b], as PyTorch's trunc_normal_ (which defaults to
     * a = −2, b = 2).
     */
    public static Initializer truncatedNormal(double mean, double std, double a, double b) { return new TruncatedNormal(mean, std, a, b); }

    /** Glorot & Bengio: U(±√(6 / (fan_in + fan_out))), the article's default for Dense weights. */
    public static Initializer xavierUniform() { return xavierUniform(1, FanMode.FAN_AVG); }

    public static Initializer xavierUniform(double gain, FanMode mode) { return new VarianceScaling("xavier", 1, FanMode.FAN_AVG, true, gain, mode); }

    /** N(0, 2 / (fan_in + fan_out)). */
    public static Initializer xavierNormal() { return xavierNormal(1, FanMode.FAN_AVG); }

    public static Initializer xavierNormal(double gain, FanMode mode) { return new VarianceScaling("xavier", 1, FanMode.FAN_AVG, false, gain, mode); }

    /** He et al. for ReLU nets: U(±√(6 / fan_in)). */
    public static Initializer heUniform() { return heUniform(1, FanMode.FAN_IN); }

    public static Initializer heUniform(double gain, FanMode mode) { return new VarianceScaling("he", 2, FanMode.FAN_IN, true, gain, mode); }

    /** N(0, 2 / fan_in). */
    public static Initializer heNormal() { return heNormal(1, FanMode.FAN_IN); }

    public static Initializer heNormal(double gain, FanMode mode) { return new VarianceScaling("he", 2, FanMode.FAN_IN, false, gain, mode); }

    /** LeCun: N(0, 1 / fan_in), the initializer SELU's self-normalisation assumes. */
    public static Initializer lecunNormal() { return lecunNormal(1, FanMode.FAN_IN); }

    public static Initializer lecunNormal(double gain, FanMode mode) { return new VarianceScaling("lecun", 1, FanMode.FAN_IN, false, gain, mode); }

    /** A (semi-)orthogonal matrix, for recurrent weights; see {@link Orthogonal}. */
    public static Initializer orthogonal(double gain) { return new Orthogonal(gain); }

    public static Initializer orthogonal() { return orthogonal(1); }

    /** Looks an initializer up by the name {@link Initializer#describe()} gives, for model files and the CLI. */
    public static Initializer byName(String name) { return InitializerNames.parse(name, Double.NaN, null); }

    /**
     * As {@link #byName(String)}, with a gain and fan mode given apart (a model spec's
     * {@code init_gain} and {@code init_mode}); NaN and null leave the name's own settings.
     */
    public static Initializer byName(String name, double gain, String mode) { return InitializerNames.parse(name, gain, mode); }

    static int fanIn(Shape s) {
        if (s.rank() == 0) return 1;
        if (s.rank() == 1) return s.dim(0);
        if (s.rank() == 4) return s.dim(1) * s.dim(2) * s.dim(3);
        return (int) (s.size() / s.dim(-1));
    }

    static int fanOut(Shape s) {
        if (s.rank() == 4) return s.dim(0) * s.dim(2) * s.dim(3);
        return s.rank() == 0 ? 1 : s.dim(-1);
    }

    private static double[] fill(Shape s, double v) {
        double[] out = new double[s.elements()];
        java.util.Arrays.fill(out, v);
        return out;
    }

    private static double[] uniform(Shape s, RandomGenerator r, double lo, double hi) {
        double[] out = new double[s.elements()];
        for (int i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * r.nextDouble();
        return out;
    }

    private static double[] normal(Shape s, RandomGenerator r, double mean, double std) {
        double[] out = new double[s.elements()];
        for (int i = 0; i < out.length; i++) out[i] = mean + std * r.nextGaussian();
        return out;
    }

    private static Initializer named(String name, Initializer body) {
        return new Initializer() {
            public double[] values(Shape shape, RandomGenerator rng) { return body.values(shape, rng); }
            public String describe() { return name; }
        };
    }
}
