package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tinynn.ops.Ops;
import tinynn.runtime.Tensor;
import tinynn.runtime.ojalgo.OjalgoBackend;

/** The gradient check must catch a wrong gradient, or every property built on it proves nothing. */
class GradCheckSelfTest {

    /** Gets transposed products slightly wrong: forward (no transposes) stays right, gradients do not. */
    static final class SkewedBackend extends OjalgoBackend {
        @Override public void matmul(Tensor a, boolean ta, Tensor b, boolean tb, Tensor c) {
            super.matmul(a, ta, b, tb, c);
            if (ta || tb) for (int i = 0; i < c.size(); i++) c.set(i, c.get(i) * 1.001);
        }
    }

    @Test
    void reportsTheWorstElementOfAWrongGradient() {
        var e = assertThrows(AssertionError.class, () -> GradCheck.check("matmul", 7, new SkewedBackend(),
                x -> Ops.matmul(x.get(0), x.get(1)), GradCheck.Input.of("a", 3, 4), GradCheck.Input.of("b", 4, 2)));
        assertTrue(e.getMessage().contains("autodiff=") && e.getMessage().contains("finite-diff=") && e.getMessage().contains("matmul: d/d"), e.getMessage());
    }
}
