package tinynn.ops.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import tinynn.graph.GraphException;
import tinynn.graph.Initializer;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Ops;
import tinynn.ops.init.Initializers;

/**
 * Token ids [N, T] (floats holding integers in [0, vocab)) → vectors [N, T, dim]: row id of the parameter
 * "{name}.table" [vocab, dim], PyTorch's nn.Embedding. Built on {@link tinynn.ops.Gather}, so the table's gradient
 * adds each position's gradient into the row it read (repeated ids accumulate) without a one-hot matrix.
 * Ids of any rank work ([N] gives [N, dim]).
 */
public record Embedding(int vocab, int dim, Initializer init) implements Layer {

    public Embedding {
        if (vocab < 1) throw new IllegalArgumentException("embedding: vocab must be at least 1, got " + vocab);
        if (dim < 1) throw new IllegalArgumentException("embedding: dim must be at least 1, got " + dim);
    }

    /** PyTorch's nn.Embedding default: every entry drawn from N(0, 1). */
    public static final Initializer DEFAULT_INIT = Initializers.normal(0, 1);

    public Embedding(int vocab, int dim) { this(vocab, dim, DEFAULT_INIT); }

    public String type() { return "embedding"; }

    public Node build(Node ids, String name) {
        if (ids.shape().rank() < 1) {
            throw new GraphException("layer '" + name + "': embedding needs token ids [batch, time], got a scalar");
        }
        Node table = ids.graph().parameter(name + ".table", ids.dtype(), Shape.of(vocab, dim), init);
        return ids.graph().scoped(name, () -> Ops.gather(table, ids));
    }

    public Map<String, Object> attrs() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("vocab", vocab);
        a.put("dim", dim);
        a.put("init", init.describe());
        return a;
    }

    /** The layer an attribute map describes (see {@link Layers#create}): vocab and dim required, init optional. */
    static Embedding of(Map<String, Object> attrs) {
        Attrs.only("embedding", attrs, "vocab", "dim", "init");
        for (String k : new String[] {"vocab", "dim"}) {
            if (!attrs.containsKey(k)) throw new IllegalArgumentException("embedding needs attribute '" + k + "' (i)");
        }
        String init = Attrs.string(attrs, "init", null);
        return new Embedding(Attrs.integer(attrs, "vocab", 0), Attrs.integer(attrs, "dim", 0),
                init == null ? DEFAULT_INIT : Initializers.byName(init));
    }
}
