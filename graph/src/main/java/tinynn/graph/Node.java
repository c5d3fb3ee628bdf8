package tinynn.graph;

import java.util.List;

/** One value in a graph: an op applied to earlier nodes. Identity is the node's id in its graph. */
public final class Node {
    private final Graph graph;
    private final int id;
    private final Op op;
    private final List<Node> inputs;
    private final Shape shape;
    private final DType dtype;
    private final String name;

    Node(Graph graph, int id, Op op, List<Node> inputs, Shape shape, DType dtype, String name) {
        this.graph = graph;
        this.id = id;
        this.op = op;
        this.inputs = List.copyOf(inputs);
        this.shape = shape;
        this.dtype = dtype;
        this.name = name;
    }

    public Graph graph() { return graph; }
    public int id() { return id; }
    public Op op() { return op; }
    public List<Node> inputs() { return inputs; }
    public Node input(int i) { return inputs.get(i); }
    public Shape shape() { return shape; }
    public DType dtype() { return dtype; }
    public String name() { return name; }

    @Override public String toString() {
        return "%" + id + " " + name + " = " + op.type() + shape;
    }
}
