package tinynn.ops.loss;

import java.util.Map;
import tinynn.graph.Node;

/** A loss turns predictions and targets into a scalar node; autodiff provides its gradient. */
public interface Loss {

    String type();

    Node build(Node predictions, Node targets);

    /**
     * The attributes that, with {@link #type()}, recreate this loss through {@link Losses#create}; model
     * files store them. Only attributes that differ from their defaults.
     */
    default Map<String, Object> attrs() { return Map.of(); }
}
