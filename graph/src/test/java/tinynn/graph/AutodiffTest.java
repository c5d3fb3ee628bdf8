package tinynn.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The graph transform itself, with stand-in ops: graph knows nothing of the ops module. */
class AutodiffTest {

    /** k·x, with the gradient rule k·g. */
    record Scale(double k) implements Op {
        public String type() { return "scale"; }
        public Shape shape(List<Node> in) { return in.getFirst().shape(); }
        public List<Node> vjp(Node self, Node g) { return List.of(g.graph().add(new Scale(k), g)); }
    }

    /** A gradient rule that returns the wrong shape. */
    record Broken() implements Op {
        public String type() { return "broken"; }
        public Shape shape(List<Node> in) { return Shape.SCALAR; }
        public List<Node> vjp(Node self, Node g) { return List.of(g.graph().constant(0, DType.F64, Shape.of(7))); }
    }

    @Test
    void nonScalarLossIsRejected() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 2);
        var e = assertThrows(GraphException.class, () -> Autodiff.gradients(x, List.of(x)));
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
    }

    @Test
    void fanOutGradientsMeetInOneAddN() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64);
        Node loss = g.add(new AddN(), g.add(new Scale(2), x), g.add(new Scale(3), x));
        Node dx = Autodiff.gradients(loss, List.of(x)).get(x);
        assertInstanceOf(AddN.class, dx.op(), dx.toString());
        Set<Double> ks = dx.inputs().stream().map(n -> ((Scale) n.op()).k()).collect(Collectors.toSet());
        assertEquals(Set.of(2.0, 3.0), ks);
    }

    @Test
    void anUnreachableInputGetsAZeroConstantOfItsShape() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64);
        Node unused = g.placeholder("u", DType.F64, 3);
        Map<Node, Node> grads = Autodiff.gradients(g.add(new Scale(2), x), List.of(x, unused));
        Leaf.Constant zero = assertInstanceOf(Leaf.Constant.class, grads.get(unused).op());
        assertEquals(0.0, zero.value());
        assertEquals(Shape.of(3), grads.get(unused).shape());
    }

    @Test
    void aGradientRuleOfTheWrongShapeIsNamed() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 2);
        Node loss = g.add(new Broken(), x);
        var e = assertThrows(GraphException.class, () -> Autodiff.gradients(loss, List.of(x)));
        assertEquals("broken (" + loss.name() + "): gradient for input 0 has shape [7] but the input has shape [2]", e.getMessage());
    }
}
