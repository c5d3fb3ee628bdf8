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
 * Fully connected layer: x·W + b with W of shape [in, out], as in the article. Input of rank 2, [N, in], or 3,
 * [N, T, in]: on the latter it acts on the last axis (time-distributed, as PyTorch's nn.Linear), giving [N, T, out].
 * Rank 4 or more is refused with an error asking for a flatten layer (an image batch's last axis is its width).
 */
public record Dense(int in, int out, Initializer wInit, Initializer bInit) implements Layer {

    /** Inputs inferred from the previous layer, article defaults (Xavier-uniform weights, zero bias). */
    public Dense(int out) { this(-1, out); }

    public Dense(int in, int out) { this(in, out, Initializers.xavierUniform(), Initializers.zeros()); }

    /** The layer an attribute map describes; see {@link Layers#create}. */
    static Dense of(Map<String, Object> attrs) {
        Attrs.only("dense", attrs, "in", "out", "w_init", "b_init", "init_gain", "init_mode");
        return new Dense(number(attrs, "in").intValue(), number(attrs, "out").intValue(),
                Initializers.byName(String.valueOf(attrs.getOrDefault("w_init", "xavier_uniform")),
                        attrs.containsKey("init_gain") ? number(attrs, "init_gain").doubleValue() : Double.NaN,
                        attrs.containsKey("init_mode") ? String.valueOf(attrs.get("init_mode")) : null),
                Initializers.byName(String.valueOf(attrs.getOrDefault("b_init", "zeros"))));
    }

    private static Number number(Map<String, Object> attrs, String key) {
        Object v = attrs.get(key);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("layer attribute '" + key + "' missing or not a number: " + v);
        return n;
    }

    public String type() { return "dense"; }

    public Node build(Node x, String name) {
        if (x.shape().rank() < 2) throw new GraphException("layer '" + name + "': dense needs [batch, features] input (or [batch, time, features]), got " + x.shape());
        // A 4-D input is an image batch whose flatten was forgotten: acting on its last axis (the width) is never what was meant.
        if (x.shape().rank() > 3) throw new GraphException("layer '" + name + "': dense needs [batch, features] or [batch, time, features] input, got " + x.shape() + "; add a flatten layer first");
        int features = x.shape().dim(-1);
        if (in >= 0 && in != features) {
            throw new GraphException("layer '" + name + "': dense expects " + in + " input features but the previous layer gives " + x.shape());
        }
        var g = x.graph();
        Node w = g.parameter(name + ".w", x.dtype(), Shape.of(features, out), wInit);
        Node b = g.parameter(name + ".b", x.dtype(), Shape.of(1, out), bInit);
        if (x.shape().rank() == 2) return g.scoped(name, () -> Ops.add(Ops.matmul(x, w), b));
        // [N, T, F]: every position through the same weights (time-distributed), as one GEMM over all positions.
        // The bias is added to the 2-D product, where it is a row (the fast kernel), and only then reshaped back.
        Shape s = x.shape();
        int[] outDims = s.dims();
        outDims[outDims.length - 1] = out;
        return g.scoped(name, () -> {
            Node rows = Ops.reshape(x, Shape.of((int) (s.size() / features), features));
            return Ops.reshape(Ops.add(Ops.matmul(rows, w), b), Shape.of(outDims));
        });
    }

    public Map<String, Object> attrs() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("in", in);
        a.put("out", out);
        a.put("w_init", wInit.describe());
        a.put("b_init", bInit.describe());
        return a;
    }
}
