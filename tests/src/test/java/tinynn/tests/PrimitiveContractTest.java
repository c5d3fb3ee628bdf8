package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tinynn.graph.Autodiff;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.ops.Ops;
import tinynn.ops.Primitive;
import tinynn.ops.Primitives;

/**
 * A primitive cannot ship without a backend comparison: every entry of {@link Primitives#all()} appears in
 * an {@link OpCases} case, forward or in its gradient. (The ops module checks the same for gradient checks.)
 */
class PrimitiveContractTest {

    @Test
    void everyPrimitiveAndKindIsComparedAcrossBackends() {
        Set<String> missing = new TreeSet<>(Primitives.all());
        for (OpCases.Case c : OpCases.backends()) {
            Graph g = new Graph();
            List<Node> xs = new ArrayList<>();
            for (OpCases.Input in : c.inputs()) xs.add(g.placeholder(in.name(), DType.F64, in.shape().dims()));
            Node out = c.f().apply(xs);
            Autodiff.gradients(Ops.sumAll(Ops.mul(out, g.placeholder("w", DType.F64, out.shape().dims()))), xs);
            for (Node n : g.nodes()) if (n.op() instanceof Primitive p) missing.remove(Primitives.name(p));
        }
        assertTrue(missing.isEmpty(), "no backend comparison for " + missing + "; add a case to OpCases.backends()");
    }
}
