package tinynn.ops;

import static tinynn.ops.GradCheck.Input.between;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import tinynn.ops.nn.Activation;

/**
 * Every activation of the registry, with its attributes at defaults and at other values, against finite
 * differences through the one GradCheck (float64). Kinked ones are checked on each side of their kinks.
 */
class ActivationGradientProperties {

    /** Where each activation is smooth: the x ranges to draw from. */
    private static List<double[]> ranges(String type) {
        return switch (type) {
            case "relu", "leaky_relu", "prelu", "elu" -> List.of(new double[] {-3, -0.05}, new double[] {0.05, 3});
            case "hard_sigmoid" -> List.of(new double[] {-5, -3.05}, new double[] {-2.95, 2.95}, new double[] {3.05, 5});
            default -> List.of(new double[] {-4, 4});
        };
    }

    /** The attribute sets each activation is checked with, beyond its defaults. */
    private static List<Map<String, Object>> variants(String type) {
        return switch (type) {
            case "leaky_relu" -> List.of(Map.of(), Map.of("alpha", 0.2));
            case "elu" -> List.of(Map.of(), Map.of("alpha", 0.5), Map.of("alpha", 1.7));
            case "softplus" -> List.of(Map.of(), Map.of("beta", 2.0), Map.of("beta", 0.5));
            case "gelu" -> List.of(Map.of(), Map.of("approximate", "tanh"));
            default -> List.of(Map.of());
        };
    }

    @Property(tries = 15)
    void everyActivation(@ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
        for (String type : Activation.names()) {
            if (type.equals("prelu")) continue; // its slope is a parameter: checked below as an input
            for (Map<String, Object> attrs : variants(type)) {
                Activation a = new Activation(type, attrs);
                for (double[] r : ranges(type)) {
                    GradCheck.check(a + " on " + r[0] + ".." + r[1], seed, x -> a.build(x.get(0), "act"), between("x", r[0], r[1], m, n));
                }
            }
        }
    }

    /** PReLU's gradients for x and for its per-channel slope, on [batch, features] and on [batch, channels, h, w]. */
    @Property(tries = 15)
    void preluWithItsSlope(@ForAll @IntRange(min = 1, max = 4) int batch, @ForAll @IntRange(min = 1, max = 4) int c, @ForAll long seed) {
        for (double[] r : ranges("prelu")) {
            GradCheck.check("prelu [N, C]", seed, x -> Ops.prelu(x.get(0), x.get(1)),
                    between("x", r[0], r[1], batch, c), between("slope", -0.5, 0.5, 1, c));
            GradCheck.check("prelu [N, C, H, W]", seed, x -> Ops.prelu(x.get(0), x.get(1)),
                    between("x", r[0], r[1], batch, c, 2, 3), between("slope", -0.5, 0.5, 1, c, 1, 1));
        }
    }
}
