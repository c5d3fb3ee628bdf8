package tinynn.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;

/** Gradient clipping before the step, as torch.nn.utils.clip_grad_value_ / clip_grad_norm_ over all parameters. */
class ClippingTest {

    /** Plain SGD with lr 1 turns the parameters' change into the clipped gradient. */
    static double[][] clippedGradients(Map<String, Double> hyper, double[] g1, double[] g2) {
        Optimizer o = Optimizers.create("sgd", hyper);
        Tensor p1 = Tensor.zeros(DType.F64, Shape.of(g1.length)), p2 = Tensor.zeros(DType.F64, Shape.of(g2.length));
        Tensor t1 = Tensor.of(DType.F64, Shape.of(g1.length), g1.clone()), t2 = Tensor.of(DType.F64, Shape.of(g2.length), g2.clone());
        o.bind(Backends.create("simd", 1), List.of("a", "b"), List.of(p1, p2), List.of(t1, t2)).run();
        double[] a = p1.toDoubles(), b = p2.toDoubles();
        for (int i = 0; i < a.length; i++) a[i] = -a[i];
        for (int i = 0; i < b.length; i++) b[i] = -b[i];
        return new double[][] {a, b};
    }

    @Test void globalNormOverAllParameters() {
        // ‖(3, 4, 12)‖ = 13 > 6.5: every element times 6.5/(13 + 1e-6).
        double c = 6.5 / (13 + 1e-6);
        double[][] g = clippedGradients(Map.of("lr", 1.0, "clip_norm", 6.5), new double[] {3, 4}, new double[] {12});
        assertArrayEquals(new double[] {3 * c, 4 * c}, g[0], 1e-15);
        assertArrayEquals(new double[] {12 * c}, g[1], 1e-15);
    }

    @Test void normBelowTheLimitIsUntouched() {
        double[][] g = clippedGradients(Map.of("lr", 1.0, "clip_norm", 14.0), new double[] {3, 4}, new double[] {-12});
        assertArrayEquals(new double[] {3, 4}, g[0]);
        assertArrayEquals(new double[] {-12}, g[1]);
    }

    @Test void byValue() {
        double[][] g = clippedGradients(Map.of("lr", 1.0, "clip_value", 0.5), new double[] {0.7, -0.2}, new double[] {-3});
        assertArrayEquals(new double[] {0.5, -0.2}, g[0]);
        assertArrayEquals(new double[] {-0.5}, g[1]);
    }

    @Test void valueThenNorm() {
        // clamp to ±2: (2, -2, 1); norm 3 > 1.5 → times 1.5/(3 + 1e-6)
        double c = 1.5 / (3 + 1e-6);
        double[][] g = clippedGradients(Map.of("lr", 1.0, "clip_value", 2.0, "clip_norm", 1.5), new double[] {5, -9}, new double[] {1});
        assertArrayEquals(new double[] {2 * c, -2 * c}, g[0], 1e-15);
        assertArrayEquals(new double[] {c}, g[1], 1e-15);
    }

    @Test void recordedInTheHyperParametersOnlyWhenOn() {
        Optimizer o = Optimizers.create("adamw", Map.of());
        assertEquals(false, o.hyper().containsKey("clip_norm"));
        o.clipNorm(1.0);
        o.clipValue(0.25);
        assertEquals(1.0, o.hyper().get("clip_norm"));
        assertEquals(0.25, o.hyper().get("clip_value"));
        Optimizer again = Optimizers.create("adamw", o.hyper());
        assertEquals(1.0, again.clipNorm());
        assertEquals(0.25, again.clipValue());
        assertThrows(IllegalArgumentException.class, () -> o.clipNorm(-1));
    }
}
