package tinynn.ops.loss;

import tinynn.graph.Node;

/** A loss turns predictions and targets into a scalar node; autodiff provides its gradient. */
public interface Loss {

    String type();

    Node build(Node predictions, Node targets);
}
