package tinynn.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
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

/**
 * A primitive cannot ship untested: every permitted primitive, and every constant of a primitive's
 * {@code kind}, must appear in a gradient-check case and in a backend-comparison case of {@link OpCases}.
 */
class PrimitiveContractTest {

    /** "Sum", or "Unary.RELU" for a primitive with a kind: one name per thing that needs its own kernel. */
    static Set<String> required() {
        Set<String> all = new TreeSet<>();
        for (Class<?> c : Primitive.class.getPermittedSubclasses()) {
            Class<?> kind = kindOf(c);
            if (kind == null) all.add(c.getSimpleName());
            else for (Object k : kind.getEnumConstants()) all.add(c.getSimpleName() + "." + k);
        }
        return all;
    }

    private static Class<?> kindOf(Class<?> primitive) {
        RecordComponent kind = kindComponent(primitive);
        return kind == null ? null : kind.getType();
    }

    private static RecordComponent kindComponent(Class<?> primitive) {
        RecordComponent[] components = primitive.getRecordComponents();
        if (components == null) return null;
        for (RecordComponent rc : components) if (rc.getName().equals("kind") && rc.getType().isEnum()) return rc;
        return null;
    }

    private static String name(Primitive p) {
        RecordComponent kind = kindComponent(p.getClass());
        if (kind == null) return p.getClass().getSimpleName();
        try {
            return p.getClass().getSimpleName() + "." + kind.getAccessor().invoke(p);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Primitives in the case's graph: its forward nodes only, or with its gradient nodes too. */
    private static Set<String> covered(OpCases.Case c, boolean withGradients) {
        Graph g = new Graph();
        List<Node> xs = new ArrayList<>();
        for (GradCheck.Input in : c.inputs()) xs.add(g.placeholder(in.name(), DType.F64, in.shape().dims()));
        Node out = c.f().apply(xs);
        int forwardEnd = out.id();
        if (withGradients) Autodiff.gradients(Ops.sumAll(Ops.mul(out, g.placeholder("w", DType.F64, out.shape().dims()))), xs);
        Set<String> names = new TreeSet<>();
        for (Node n : g.nodes()) {
            if ((withGradients || n.id() <= forwardEnd) && n.op() instanceof Primitive p) names.add(name(p));
        }
        return names;
    }

    @Test
    void everyPrimitiveAndKindHasAGradientCheck() {
        Set<String> missing = required();
        for (OpCases.Case c : OpCases.gradients()) missing.removeAll(covered(c, false));
        assertTrue(missing.isEmpty(), "no gradient check for " + missing + "; add a case to OpCases.gradients()");
    }

    @Test
    void everyPrimitiveAndKindIsComparedAcrossBackends() {
        Set<String> missing = required();
        for (OpCases.Case c : OpCases.backends()) missing.removeAll(covered(c, true));
        assertTrue(missing.isEmpty(), "no backend comparison for " + missing + "; add a case to OpCases.backends()");
    }

    @Test
    void theWalkFindsPrimitivesAndKinds() {
        // Guards the reflection itself: a walk that found nothing would pass the two tests above.
        assertTrue(required().containsAll(Set.of("MatMul", "Unary.RELU", "Unary.SIGMOID", "Binary.DIV", "ReluGrad", "SoftmaxCrossEntropyGrad")),
                required().toString());
    }
}
