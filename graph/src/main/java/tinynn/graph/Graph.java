package tinynn.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final Mode mode;
    /** state parameter → the node computing its value after a training step, in the order layers named them. */
    private final Map<Node, Node> updates = new LinkedHashMap<>();
    private Node randomState;

    /** An inference graph: deterministic, no state updates. */
    public Graph() { this(Mode.INFERENCE); }

    public Graph(Mode mode) { this.mode = java.util.Objects.requireNonNull(mode, "mode"); }

    public Mode mode() { return mode; }

    /** Whether layers build their training-mode computation (batch statistics, dropout masks). */
    public boolean training() { return mode == Mode.TRAINING; }

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

    /**
     * A parameter that is saved with the model but not trained: no gradient, no optimizer step; in a training
     * graph a layer sets its next value with {@link #update}.
     */
    public Node state(String name, DType dtype, Shape shape, Initializer init) {
        if (names.contains(name)) throw new GraphException("duplicate parameter name '" + name + "'; give each layer its own name");
        return add(new Leaf.Parameter(shape, dtype, init, false), name);
    }

    /**
     * Names the value {@code state} takes after each training step (e.g. a running mean); the runtime computes
     * {@code next} with the step's other outputs and copies it into the state afterwards.
     */
    public void update(Node state, Node next) {
        if (!(state.op() instanceof Leaf.Parameter p) || p.trainable()) {
            throw new GraphException("update: " + state + " is not a state parameter (Graph.state)");
        }
        if (!training()) throw new GraphException("update of '" + state.name() + "' in an inference graph; only training graphs update state");
        if (state.graph() != this || next.graph() != this) throw new GraphException("update of '" + state.name() + "': nodes of another graph");
        if (!next.shape().equals(state.shape()) || next.dtype() != state.dtype()) {
            throw new GraphException("update of '" + state.name() + "': new value " + next.dtype() + next.shape() + " does not fit "
                    + state.dtype() + state.shape());
        }
        if (updates.putIfAbsent(state, next) != null) throw new GraphException("state '" + state.name() + "' is updated twice");
    }

    /** The state updates of a training step: state parameter → its next value. */
    public Map<Node, Node> updates() { return Collections.unmodifiableMap(updates); }

    /**
     * The training graph's source of randomness, created on first use: a float64 placeholder "rng" of three
     * values [seed bits 63..32, seed bits 31..0, step] that the runtime feeds before each step, so random masks
     * depend only on (seed, step, layer, element) and a resumed run draws the same ones.
     */
    public Node randomState() {
        if (!training()) throw new GraphException("random masks exist only in training graphs");
        if (randomState == null) randomState = add(new Leaf.Placeholder(Shape.of(3), DType.F64), RANDOM_STATE);
        return randomState;
    }

    /** The placeholder {@link #randomState} creates, or null when no layer drew random numbers. */
    public Node randomStateOrNull() { return randomState; }

    /** Name of the {@link #randomState} placeholder. */
    public static final String RANDOM_STATE = "rng";

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

    /** The parameters that get gradients and optimizer steps (not the {@link #state} ones). */
    public List<Node> trainableParameters() {
        return nodes.stream().filter(n -> n.op() instanceof Leaf.Parameter p && p.trainable()).toList();
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
