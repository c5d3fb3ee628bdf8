package tinynn.ops.loss;

import java.util.Map;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/** A loss turns predictions and targets into a scalar node; autodiff provides its gradient. */
public interface Loss {

    String type();

    Node build(Node predictions, Node targets);

    /**
     * The attributes that, with {@link #type()}, recreate this loss through {@link Losses#create}; model
     * files store them. Only attributes that differ from their defaults.
     */
    default Map<String, Object> attrs() { return Map.of(); }

    /**
     * The shape of the targets {@link #build} takes for predictions of this shape, e.g. the target placeholder a
     * model feeds: by default the predictions' own; softmax cross entropy takes class ids [N, T] for logits [N, T, C].
     */
    default Shape targetShape(Shape predictions) { return predictions; }
}
