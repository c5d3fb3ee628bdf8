package tinynn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tinynn.graph.Autodiff;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.nn.Dense;

/** Reverse mode through the ops' gradient rules, evaluated by their reference forwards; shape errors name the layer. */
class AutodiffTest {

    private static double[] run(Node n, Node x, double[] xs) { return ReferenceEval.value(n, Map.of(x, xs), ReferenceEval.REFERENCE); }

    @Test
    void secondDerivativeOfACubeIsSixX() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 3);
        Node y = Ops.sumAll(Ops.mul(Ops.mul(x, x), x));
        Node dy = Autodiff.gradients(y, List.of(x)).get(x);
        Node d2y = Autodiff.gradients(Ops.sumAll(dy), List.of(x)).get(x);
        double[] xs = {-1.5, 0.25, 2};
        double[] first = run(dy, x, xs);
        double[] second = run(d2y, x, xs);
        for (int i = 0; i < 3; i++) {
            assertEquals(3 * xs[i] * xs[i], first[i], 1e-12);
            assertEquals(6 * xs[i], second[i], 1e-12);
        }
    }

    @Test
    void secondDerivativeThroughExpAndBroadcast() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 2, 2);
        // f = Σ exp(2x) → f'' = 4·exp(2x) elementwise (via the sum of the gradient).
        Node f = Ops.sumAll(Ops.exp(Ops.mul(x, Ops.scalar(x, 2))));
        Node df = Autodiff.gradients(f, List.of(x)).get(x);
        Node d2f = Autodiff.gradients(Ops.sumAll(df), List.of(x)).get(x);
        double[] xs = {0.1, -0.3, 0.7, 0};
        double[] out = run(d2f, x, xs);
        for (int i = 0; i < 4; i++) assertEquals(4 * Math.exp(2 * xs[i]), out[i], 1e-12);
    }

    @Test
    void fanOutGradientsAreSummed() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 2);
        Node y = Ops.sumAll(Ops.add(Ops.mul(x, x), Ops.exp(x)));
        Node dx = Autodiff.gradients(y, List.of(x)).get(x);
        double[] out = run(dx, x, new double[] {1, 2});
        assertEquals(2 + Math.exp(1), out[0], 1e-12);
        assertEquals(4 + Math.exp(2), out[1], 1e-12);
    }

    @Test
    void unreachableParameterGetsZeroGradient() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 2);
        Node unused = g.placeholder("u", DType.F64, 3);
        Map<Node, Node> grads = Autodiff.gradients(Ops.sumAll(x), List.of(x, unused));
        assertEquals(Shape.of(3), grads.get(unused).shape());
        assertEquals(0.0, ReferenceEval.value(grads.get(unused), Map.of(), ReferenceEval.REFERENCE)[2]);
    }

    @Test
    void shapeErrorsNameTheLayerAndBothShapes() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F32, 8, 400);
        var e = assertThrows(GraphException.class, () -> new Dense(300, 10).build(x, "dense2"));
        assertTrue(e.getMessage().contains("dense2") && e.getMessage().contains("300") && e.getMessage().contains("[8, 400]"), e.getMessage());

        var e2 = assertThrows(GraphException.class, () -> g.scoped("dense5", () -> Ops.matmul(x, g.placeholder("w", DType.F32, 3, 4))));
        assertEquals("layer 'dense5': matmul: inner dimensions differ: [8, 400] · [3, 4] (400 vs 3)", e2.getMessage());

        var e3 = assertThrows(GraphException.class, () -> Ops.add(x, g.placeholder("b", DType.F32, 3)));
        assertTrue(e3.getMessage().startsWith("add: shapes [8, 400] and [3] do not broadcast"), e3.getMessage());
        var e4 = assertThrows(GraphException.class, () -> Ops.add(x, g.placeholder("d", DType.F64, 400)));
        assertTrue(e4.getMessage().contains("mixed dtypes"), e4.getMessage());
    }
}
