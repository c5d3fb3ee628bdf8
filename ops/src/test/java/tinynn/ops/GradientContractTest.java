package tinynn.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;

/** A primitive cannot ship without a gradient check: every entry of {@link Primitives#all()} has an {@link OpCases} case. */
class GradientContractTest {

    @Test
    void everyPrimitiveAndKindHasAGradientCheck() {
        Set<String> missing = new java.util.TreeSet<>(Primitives.all());
        for (OpCases.Case c : OpCases.gradients()) {
            Graph g = new Graph();
            List<Node> xs = new ArrayList<>();
            for (GradCheck.Input in : c.inputs()) xs.add(g.placeholder(in.name(), DType.F64, in.shape().dims()));
            c.f().apply(xs);
            // Only the case's own nodes: their gradient rules are what the check exercises.
            for (Node n : g.nodes()) if (n.op() instanceof Primitive p) missing.remove(Primitives.name(p));
        }
        assertTrue(missing.isEmpty(), "no gradient check for " + missing + "; add a case to OpCases.gradients()");
    }

    @Test
    void theCatalogueFindsPrimitivesAndKinds() {
        // Guards the reflection itself: an empty catalogue would pass the test above.
        assertTrue(Primitives.all().containsAll(Set.of("MatMul", "Unary.RELU", "Unary.SIGMOID", "Binary.DIV", "ReluGrad", "SoftmaxCrossEntropyGrad")),
                Primitives.all().toString());
        assertTrue(Primitives.name(new Unary(Unary.Kind.TANH)).equals("Unary.TANH"));
    }
}
