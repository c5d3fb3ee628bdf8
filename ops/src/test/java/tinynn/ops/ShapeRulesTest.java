package tinynn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/** Shape rules of the primitives, and the gradient rules that emit the backward ops. */
class ShapeRulesTest {

    private final Graph g = new Graph();

    private Node x(int... dims) { return g.placeholder("x" + g.size(), DType.F64, dims); }

    @Test
    void shapesFollowTheRules() {
        assertEquals(Shape.of(3, 5), Ops.matmul(x(4, 3), x(5, 4), true, true).shape());
        assertEquals(Shape.of(2, 3, 4), Ops.add(x(2, 3, 4), x(3, 1)).shape());
        assertEquals(Shape.of(2, 1, 4), Ops.sum(x(2, 3, 4), true, 1).shape());
        assertEquals(Shape.of(2, 4), Ops.max(x(2, 3, 4), -2, false).shape());
        assertEquals(Shape.SCALAR, Ops.softmaxCrossEntropy(x(5, 3), x(5, 3)).shape());
        assertEquals(Shape.of(5, 3), Ops.softmaxCrossEntropyGrad(x(5, 3), x(5, 3), x()).shape());
        assertEquals(Shape.of(5, 3), Ops.reluGrad(x(5, 3), x(5, 3)).shape());
    }

    @Test
    void shapeErrorsNameBothShapes() {
        assertEquals("relu_grad: gradient [5, 3] and ReLU output [5, 4] must share a shape",
                assertThrows(GraphException.class, () -> Ops.reluGrad(x(5, 3), x(5, 4))).getMessage());
        assertEquals("softmax_cross_entropy_grad: the upstream gradient must be a scalar, got [2]",
                assertThrows(GraphException.class, () -> Ops.softmaxCrossEntropyGrad(x(5, 3), x(5, 3), x(2))).getMessage());
        assertEquals("sum_to: cannot sum [2, 3] down to [4]", assertThrows(GraphException.class, () -> Ops.sumTo(x(2, 3), Shape.of(4))).getMessage());
    }

    @Test
    void backwardPassesUseTheBackwardOps() {
        // The runtime has no pattern for these: if a gradient rule stopped emitting them, training would run unfused.
        Node relu = Ops.relu(x(4, 3));
        assertEquals("relu_grad", relu.op().vjp(relu, x(4, 3)).getFirst().op().type());
        Node ce = Ops.softmaxCrossEntropy(x(4, 3), x(4, 3));
        assertEquals("softmax_cross_entropy_grad", ce.op().vjp(ce, x()).getFirst().op().type());
    }

    @Test
    void kindsComputeTheirDefinitions() {
        assertEquals(0.5, Unary.Kind.SIGMOID.apply(0), 0);
        assertEquals(0.0, Unary.Kind.RELU.apply(-3), 0);
        assertEquals(1.0, Unary.Kind.STEP.apply(2), 0);
        assertEquals(-1.5, Binary.Kind.SUB.apply(0.5, 2), 0);
        assertEquals(4.0, Binary.Kind.DIV.apply(2, 0.5), 0);
    }
}
