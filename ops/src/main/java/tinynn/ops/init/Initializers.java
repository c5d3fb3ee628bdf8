package tinynn.ops.init;

import java.util.random.RandomGenerator;
import tinynn.graph.GraphException;
import tinynn.graph.Initializer;
import tinynn.graph.Shape;

/**
 * The article's initializers plus the usual ones. Fans follow the [fan_in, fan_out] layout of
 * Dense weights; for other ranks fan_in is the product of all but the last dimension.
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

    /** Glorot & Bengio: U(±√(6 / (fan_in + fan_out))), the article's default for Dense weights. */
    public static Initializer xavierUniform() {
        return named("xavier_uniform", (s, r) -> {
            double b = Math.sqrt(6.0 / (fanIn(s) + fanOut(s)));
            return uniform(s, r, -b, b);
        });
    }

    public static Initializer xavierNormal() {
        return named("xavier_normal", (s, r) -> normal(s, r, 0, Math.sqrt(2.0 / (fanIn(s) + fanOut(s)))));
    }

    /** He et al. for ReLU nets: U(±√(6 / fan_in)). */
    public static Initializer heUniform() {
        return named("he_uniform", (s, r) -> {
            double b = Math.sqrt(6.0 / fanIn(s));
            return uniform(s, r, -b, b);
        });
    }

    public static Initializer heNormal() {
        return named("he_normal", (s, r) -> normal(s, r, 0, Math.sqrt(2.0 / fanIn(s))));
    }

    /** Looks an initializer up by the name {@link Initializer#describe()} gives, for model files and the CLI. */
    public static Initializer byName(String name) {
        return switch (name) {
            case "zeros", "constant(0.0)" -> zeros();
            case "xavier_uniform" -> xavierUniform();
            case "xavier_normal" -> xavierNormal();
            case "he_uniform" -> heUniform();
            case "he_normal" -> heNormal();
            default -> {
                var m = java.util.regex.Pattern.compile("(constant|uniform|normal)\\(([^,)]+)(?:,([^)]+))?\\)").matcher(name);
                if (!m.matches()) throw new GraphException("unknown initializer '" + name + "'; use zeros, xavier_uniform, xavier_normal, he_uniform, he_normal, constant(v), uniform(a,b) or normal(mean,std)");
                double a = Double.parseDouble(m.group(2));
                yield switch (m.group(1)) {
                    case "constant" -> constant(a);
                    case "uniform" -> uniform(a, Double.parseDouble(m.group(3)));
                    default -> normal(a, Double.parseDouble(m.group(3)));
                };
            }
        };
    }

    static int fanIn(Shape s) {
        if (s.rank() == 0) return 1;
        if (s.rank() == 1) return s.dim(0);
        return (int) (s.size() / s.dim(-1));
    }

    static int fanOut(Shape s) { return s.rank() == 0 ? 1 : s.dim(-1); }

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
