package tinynn.ops.nn;

import java.util.Map;
import tinynn.graph.Node;

/**
 * A layer emits the nodes of its forward computation into the input's graph; autodiff supplies
 * its backward pass. Parameters are named "{layer name}.{param}" so every graph built from the
 * same layers shares them.
 */
public interface Layer {

    /** Short type name such as "dense"; also the default name prefix. */
    String type();

    /** Adds this layer's nodes after x, naming them after {@code name}. */
    Node build(Node x, String name);

    /** Hyper-parameters that rebuild the layer (see {@link Layers#create}). */
    default Map<String, Object> attrs() { return Map.of(); }
}
