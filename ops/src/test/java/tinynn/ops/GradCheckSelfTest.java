package tinynn.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The gradient check must catch a wrong gradient, or every property built on it proves nothing. */
class GradCheckSelfTest {

    /** Gets transposed products slightly wrong: forward (no transposes) stays right, gradients do not. */
    static final ReferenceEval.Kernels SKEWED = (p, in, shapes, out) -> {
        double[] r = p.reference(in, shapes, out);
        if (p instanceof MatMul mm && (mm.transA() || mm.transB())) for (int i = 0; i < r.length; i++) r[i] *= 1.001;
        return r;
    };

    @Test
    void reportsTheWorstElementOfAWrongGradient() {
        var e = assertThrows(AssertionError.class, () -> GradCheck.check("matmul", 7, SKEWED,
                x -> Ops.matmul(x.get(0), x.get(1)), GradCheck.Input.of("a", 3, 4), GradCheck.Input.of("b", 4, 2)));
        assertTrue(e.getMessage().contains("autodiff=") && e.getMessage().contains("finite-diff=") && e.getMessage().contains("matmul: d/d"), e.getMessage());
    }
}
