package tinynn.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An append-only list of nodes. A node's inputs always come before it, so ids are already a
 * topological order and no sort is ever needed.
 */
public final class Graph {
    private final List<Node> nodes = new ArrayList<>();
    /** Every node name so far: a parameter's name is checked against them in O(1), not by a scan of the graph. */
    private final Set<String> names = new HashSet<>();
    private String scope = "";

    public List<Node> nodes() { return Collections.unmodifiableList(nodes); }

    public Node node(int id) { return nodes.get(id); }

    public int size() { return nodes.size(); }

    /** Names nodes and errors after the layer being built, e.g. "dense1/matmul". */
    public String scope() { return scope; }

    /** Sets the scope and returns the previous one, for a try/finally restore. */
    public String scope(String layerName) {
        String old = scope;
        scope = layerName;
        return old;
    }

    /** Builds nodes under a layer's name, so node names and shape errors say which layer made them. */
    public Node scoped(String layerName, java.util.function.Supplier<Node> body) {
        String old = scope(layerName);
        try {
            return body.get();
        } finally {
            scope = old;
        }
    }

    public Node add(Op op, Node... inputs) { return add(op, null, inputs); }

    public Node add(Op op, String name, Node... inputs) {
        for (Node in : inputs) {
            if (in.graph() != this) throw new GraphException(where(op) + "input " + in + " belongs to another graph");
        }
        List<Node> ins = Arrays.asList(inputs);
        Shape shape;
        DType dtype;
        try {
            shape = op.shape(ins);
            dtype = op.dtype(ins);
        } catch (GraphException | ArithmeticException e) {
            throw new GraphException(where(op) + e.getMessage());
        }
        String n = name != null ? name : scope.isEmpty() ? op.type() + "_" + nodes.size() : scope + "/" + op.type() + "_" + nodes.size();
        Node node = new Node(this, nodes.size(), op, ins, shape, dtype, n);
        nodes.add(node);
        names.add(n);
        return node;
    }

    private String where(Op op) {
        return (scope.isEmpty() ? "" : "layer '" + scope + "': ") + op.type() + ": ";
    }

    public Node placeholder(String name, DType dtype, int... dims) {
        return add(new Leaf.Placeholder(Shape.of(dims), dtype), name);
    }

    public Node parameter(String name, DType dtype, Shape shape, Initializer init) {
        if (names.contains(name)) throw new GraphException("duplicate parameter name '" + name + "'; give each layer its own name");
        return add(new Leaf.Parameter(shape, dtype, init), name);
    }

    public Node constant(double value, DType dtype, Shape shape) {
        return add(new Leaf.Constant(value, shape, dtype));
    }

    /** A constant holding the given row-major values. */
    public Node constant(double[] values, DType dtype, Shape shape) {
        return add(new Leaf.Constant(0, shape, dtype, values.clone()));
    }

    public List<Node> parameters() {
        return nodes.stream().filter(n -> n.op() instanceof Leaf.Parameter).toList();
    }

    public List<Node> placeholders() {
        return nodes.stream().filter(n -> n.op() instanceof Leaf.Placeholder).toList();
    }

    /** Every node, one per line, as a readable listing. */
    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(n);
            if (!n.inputs().isEmpty()) {
                sb.append('(');
                for (int i = 0; i < n.inputs().size(); i++) sb.append(i == 0 ? "%" : ", %").append(n.input(i).id());
                sb.append(')');
            }
            if (!n.op().attrs().isEmpty()) sb.append(' ').append(n.op().attrs());
            sb.append('\n');
        }
        return sb.toString();
    }
}
