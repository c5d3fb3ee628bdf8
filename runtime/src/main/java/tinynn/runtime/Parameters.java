package tinynn.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import tinynn.graph.Leaf;
import tinynn.graph.Node;

/**
 * Trainable values by name, shared by every plan built from the same layers. A parameter is
 * initialised the first time a graph asks for it, from a generator seeded by (seed, name), so the
 * values do not depend on which graph came first.
 */
public final class Parameters {
    private final Map<String, Tensor> values = new LinkedHashMap<>();
    /** Names of the parameters no optimizer touches (running statistics), as graphs declared them. */
    private final java.util.Set<String> states = new java.util.HashSet<>();
    private final long seed;

    public Parameters(long seed) { this.seed = seed; }

    public long seed() { return seed; }

    /** The tensor for a parameter node, created from its initializer on first use. */
    public Tensor of(Node node) {
        if (!(node.op() instanceof Leaf.Parameter p)) throw new IllegalArgumentException(node + " is not a parameter");
        Tensor t = values.get(node.name());
        if (!p.trainable()) states.add(node.name());
        if (t == null) {
            SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (node.name().hashCode() + 1L)));
            t = Tensor.of(p.dtype(), p.shape(), p.init().values(p.shape(), rng));
            values.put(node.name(), t);
        } else if (!t.shape().equals(p.shape()) || t.dtype() != p.dtype()) {
            throw new IllegalArgumentException("parameter '" + node.name() + "' holds " + t.dtype() + t.shape()
                    + " but the graph needs " + p.dtype() + p.shape() + "; the model file does not match this architecture");
        }
        return t;
    }

    /** Replaces a parameter's values (loading a model); shape and dtype are checked on first use. */
    public void put(String name, Tensor value) { values.put(name, value); }

    public Tensor get(String name) { return values.get(name); }

    public Map<String, Tensor> asMap() { return Collections.unmodifiableMap(values); }

    /** Whether a parameter gets gradients and optimizer steps (false for state such as running statistics). */
    public boolean trainable(String name) { return !states.contains(name); }

    /** Elements of the trainable parameters only. */
    public long trainableCount() {
        long n = 0;
        for (Map.Entry<String, Tensor> e : values.entrySet()) if (!states.contains(e.getKey())) n += e.getValue().size();
        return n;
    }

    /** Elements of every parameter, state included. */
    public long count() {
        long n = 0;
        for (Tensor t : values.values()) n += t.size();
        return n;
    }
}
