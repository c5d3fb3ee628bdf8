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

    /**
     * State that outlives a run; identified by its node name across graphs. Trainable ones get gradients and
     * the optimizer's steps; the others (a batch norm's running statistics) change only through the training
     * graph's state updates ({@link Graph#update}) and are saved with the model all the same.
     */
    record Parameter(Shape shape, DType dtype, Initializer init, boolean trainable) implements Leaf {
        public Parameter(Shape shape, DType dtype, Initializer init) { this(shape, dtype, init, true); }

        public String type() { return "parameter"; }
        public Shape shape(List<Node> inputs) { return shape; }
        public DType dtype(List<Node> inputs) { return dtype; }
        /** "trainable" only when false, so the graphs of models without state read as they always did. */
        public Map<String, Object> attrs() {
            return trainable ? Map.of("init", init.describe()) : Map.of("init", init.describe(), "trainable", false);
        }
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
