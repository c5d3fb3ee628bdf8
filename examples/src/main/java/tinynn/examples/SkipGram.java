package tinynn.examples;

import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Ops;
import tinynn.ops.init.Initializers;
import tinynn.ops.nn.Layer;

/**
 * The skip-gram model of word2vec as a custom {@link Layer}: two embedding tables, "{name}.centre" and
 * "{name}.context" [vocab, dim]. Each input row holds word ids [centre, context_0, ..., context_{m−1}] and the output
 * row holds the scores dot(centre vector, context_j vector), [N, m]: a sigmoid cross-entropy against [1, 0, ..., 0]
 * trains the true context up and the sampled negatives down. Built on {@link Ops#gather}, whose gradient adds into
 * the rows that were read, so a step touches only the batch's words' gradients.
 *
 * <p>Initialised as word2vec.c does: centre vectors uniform in ±0.5/dim, context vectors zero.
 */
record SkipGram(int vocab, int dim) implements Layer {

    public String type() { return "skipgram"; }

    public Node build(Node ids, String name) {
        Shape s = ids.shape();
        if (s.rank() != 2 || s.dim(1) < 2) throw new GraphException("layer '" + name + "': skip-gram needs ids [batch, 1 + contexts], got " + s);
        var g = ids.graph();
        Node centreTable = g.parameter(name + ".centre", ids.dtype(), Shape.of(vocab, dim), Initializers.uniform(-0.5 / dim, 0.5 / dim));
        Node contextTable = g.parameter(name + ".context", ids.dtype(), Shape.of(vocab, dim), Initializers.zeros());
        return g.scoped(name, () -> {
            Node centre = Ops.gather(centreTable, Ops.slice(ids, 1, 0, 1));             // [N, 1, dim]
            Node contexts = Ops.gather(contextTable, Ops.slice(ids, 1, 1, s.dim(1)));   // [N, m, dim]
            return Ops.sum(Ops.mul(centre, contexts), false, 2);                        // [N, m]
        });
    }

    public Map<String, Object> attrs() { return Map.of("vocab", vocab, "dim", dim); }
}
