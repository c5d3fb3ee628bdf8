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

    /**
     * A tensor filled with one value, or (values non-null) holding the given row-major values, e.g. a loss's
     * per-class weights: the format's "constant" with a floats value.
     */
    record Constant(double value, Shape shape, DType dtype, double[] values) implements Leaf {
        public Constant {
            if (values != null && values.length != shape.elements()) {
                throw new GraphException("constant: " + values.length + " values for shape " + shape);
            }
        }

        public Constant(double value, Shape shape, DType dtype) { this(value, shape, dtype, null); }

        public String type() { return "constant"; }
        public Shape shape(List<Node> inputs) { return shape; }
        public DType dtype(List<Node> inputs) { return dtype; }
        public Map<String, Object> attrs() { return Map.of("value", values == null ? (Object) value : values.clone()); }

        /** Element i of the tensor. */
        public double at(int i) { return values == null ? value : values[i]; }
    }
}
