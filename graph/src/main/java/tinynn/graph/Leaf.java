package tinynn.graph;

import java.util.List;
import java.util.Map;

/** Ops without inputs: values the runtime supplies rather than computes. */
public sealed interface Leaf extends Op {

    @Override default List<Node> vjp(Node self, Node grad) { return List.of(); }

    /** Fed at each run: inputs and targets. */
    record Placeholder(Shape shape, DType dtype) implements Leaf {
        public String type() { return "placeholder"; }
        public Shape shape(List<Node> inputs) { return shape; }
        public DType dtype(List<Node> inputs) { return dtype; }
    }

    /** Trainable state that outlives a run; identified by its node name across graphs. */
    record Parameter(Shape shape, DType dtype, Initializer init) implements Leaf {
        public String type() { return "parameter"; }
        public Shape shape(List<Node> inputs) { return shape; }
        public DType dtype(List<Node> inputs) { return dtype; }
        public Map<String, Object> attrs() { return Map.of("init", init.describe()); }
    }

    /** A tensor filled with one value. */
    record Constant(double value, Shape shape, DType dtype) implements Leaf {
        public String type() { return "constant"; }
        public Shape shape(List<Node> inputs) { return shape; }
        public DType dtype(List<Node> inputs) { return dtype; }
        public Map<String, Object> attrs() { return Map.of("value", value); }
    }
}
