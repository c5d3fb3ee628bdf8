package tinynn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Ops;
import tinynn.runtime.ojalgo.OjalgoBackend;

/**
 * Compiling a plan for a deep network is linear in its depth: finding the buffers that a pinned view keeps alive
 * once scanned every later node for each node (100,000 layers took seconds).
 */
class PlanDepthTest {

    /** Counts how often the plan asks whether a node is pinned: once per view at most, never per pair of nodes. */
    @Test
    void pinnedViewsAreFoundInOnePass() {
        int n = 100_000;
        int[] root = new int[n];
        for (int v = 0; v < n; v++) {
            root[v] = v % 2 == 0 ? v : v - 1; // every odd node is a view (reshape) of the node before it
        }
        AtomicLong asked = new AtomicLong();
        boolean[] viewed = Plan.viewedByPinned(root, v -> {
            asked.incrementAndGet();
            return v % 4 == 1; // every other view is pinned
        });
        assertTrue(asked.get() <= n, "asked " + asked.get() + " times for " + n + " nodes");
        for (int v = 0; v < n; v++) {
            assertEquals(v % 4 == 0, viewed[v], "node " + v);
        }
    }

    @Test
    void aPinnedViewKeepsItsRootAndNothingElse() {
        int[] root = {0, 1, 1, 3, 3, 5};
        assertArrayEquals(new boolean[] {false, true, false, false, false, false},
                Plan.viewedByPinned(root, v -> v == 2 || v == 5));
    }

    /** A pinned reshape output still holds its root's value after later nodes ran (its buffer was not reused). */
    @Test
    void aPinnedReshapeStaysValidInADeepChain() {
        Graph g = new Graph();
        Node x = g.placeholder("x", DType.F64, 2, 3);
        Node h = Ops.relu(x);
        Node view = Ops.reshape(h, Shape.of(3, 2));
        Node y = h;
        for (int i = 0; i < 50; i++) {
            y = Ops.relu(Ops.neg(y));
        }
        Plan plan = new Plan(new OjalgoBackend(), new Parameters(1), java.util.List.of(view, y));
        plan.feed(x, Tensor.of(DType.F64, Shape.of(2, 3), 1, -2, 3, -4, 5, -6));
        plan.run(view, y);
        Tensor v = plan.value(view);
        double[] got = new double[6];
        for (int i = 0; i < 6; i++) {
            got[i] = v.get(i);
        }
        assertArrayEquals(new double[] {1, 0, 3, 0, 5, 0}, got);
    }
}
