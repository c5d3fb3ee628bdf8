package tinynn.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameter names are unique among all node names; the check is a set lookup, not a scan of the graph. */
class GraphNamesTest {

    private static final Initializer ZEROS = (shape, rng) -> new double[shape.elements()];

    @Test
    void aParameterNameUsedByAnyEarlierNodeIsRejected() {
        Graph g = new Graph();
        g.placeholder("input", DType.F32, 1, 4);
        g.parameter("dense0.w", DType.F32, Shape.of(4, 2), ZEROS);
        GraphException dup = assertThrows(GraphException.class, () -> g.parameter("dense0.w", DType.F32, Shape.of(4, 2), ZEROS));
        assertEquals("duplicate parameter name 'dense0.w'; give each layer its own name", dup.getMessage());
        assertThrows(GraphException.class, () -> g.parameter("input", DType.F32, Shape.of(1), ZEROS));
    }

    @Test
    void manyParametersKeepTheirOrder() {
        Graph g = new Graph();
        for (int i = 0; i < 50_000; i++) {
            g.parameter("p" + i, DType.F32, Shape.of(1), ZEROS);
        }
        List<Node> ps = g.parameters();
        assertEquals(50_000, ps.size());
        assertTrue(ps.getLast().name().equals("p49999"));
    }
}
