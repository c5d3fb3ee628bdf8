package tinynn.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation as a graph transform: gradients are new nodes in the same graph,
 * so they can be run, saved, or differentiated again.
 */
public final class Autodiff {
    private Autodiff() {}

    /** d(loss)/d(node) for each requested node; loss must be a scalar. */
    public static Map<Node, Node> gradients(Node loss, List<Node> wrt) {
        if (loss.shape().rank() != 0) {
            throw new GraphException("gradients: loss " + loss.name() + " has shape " + loss.shape() + "; reduce it to a scalar first (sum or mean)");
        }
        Graph g = loss.graph();
        int last = loss.id();
        boolean[] onPath = dependsOn(g, wrt, last);

        Map<Integer, List<Node>> pending = new HashMap<>();
        pending.computeIfAbsent(last, k -> new ArrayList<>()).add(g.constant(1.0, loss.dtype(), Shape.SCALAR));
        Map<Node, Node> total = new HashMap<>();

        for (int id = last; id >= 0; id--) {
            List<Node> parts = pending.remove(id);
            if (parts == null) continue;
            Node node = g.node(id);
            Node grad = parts.size() == 1 ? parts.getFirst() : g.add(new AddN(), parts.toArray(Node[]::new));
            total.put(node, grad);
            if (node.inputs().isEmpty()) continue;
            List<Node> inputGrads = node.op().vjp(node, grad);
            for (int i = 0; i < node.inputs().size(); i++) {
                Node in = node.input(i);
                Node ig = inputGrads.get(i);
                if (ig == null || !onPath[in.id()]) continue;
                if (!ig.shape().equals(in.shape())) {
                    throw new GraphException(node.op().type() + " (" + node.name() + "): gradient for input " + i + " has shape "
                            + ig.shape() + " but the input has shape " + in.shape());
                }
                pending.computeIfAbsent(in.id(), k -> new ArrayList<>()).add(ig);
            }
        }

        Map<Node, Node> result = new LinkedHashMap<>();
        for (Node w : wrt) {
            Node gw = total.get(w);
            result.put(w, gw != null ? gw : g.constant(0.0, w.dtype(), w.shape()));
        }
        return result;
    }

    /** Marks nodes up to {@code last} whose value depends on one of {@code wrt}. */
    private static boolean[] dependsOn(Graph g, List<Node> wrt, int last) {
        boolean[] dep = new boolean[last + 1];
        for (Node w : wrt) {
            if (w.graph() != g) throw new GraphException("gradients: " + w + " belongs to another graph");
            if (w.id() <= last) dep[w.id()] = true;
        }
        for (int id = 0; id <= last; id++) {
            if (dep[id]) continue;
            for (Node in : g.node(id).inputs()) {
                if (dep[in.id()]) { dep[id] = true; break; }
            }
        }
        return dep;
    }
}
