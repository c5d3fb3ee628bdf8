package tinynn.graph;

import tinynn.base.TinynnException;

/** A graph that cannot be built: wrong shapes, wrong dtypes, foreign nodes. The message is one line. */
public class GraphException extends TinynnException {
    public GraphException(String message) { super(message); }
}
