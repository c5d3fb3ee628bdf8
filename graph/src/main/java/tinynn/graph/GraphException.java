package tinynn.graph;

/** A graph that cannot be built: wrong shapes, wrong dtypes, foreign nodes. The message is one line. */
public class GraphException extends RuntimeException {
    public GraphException(String message) { super(message); }
}
