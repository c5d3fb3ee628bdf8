package tinynn.runtime.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tinynn.graph.Node;
import tinynn.ops.nn.Layer;

/** An ordered stack of layers, as in the article; names them "dense0", "relu1", ... */
public final class Net {
    private final List<Layer> layers;
    private final List<String> names;

    public Net(Layer... layers) { this(List.of(layers)); }

    public Net(List<Layer> layers) {
        if (layers.isEmpty()) throw new IllegalArgumentException("a net needs at least one layer");
        this.layers = List.copyOf(layers);
        List<String> n = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) n.add(layers.get(i).type() + i);
        this.names = List.copyOf(n);
    }

    public List<Layer> layers() { return layers; }

    public List<String> names() { return names; }

    /** Emits every layer's nodes after x and returns the last layer's output. */
    public Node build(Node x) {
        for (int i = 0; i < layers.size(); i++) x = layers.get(i).build(x, names.get(i));
        return x;
    }

    /** Layer name → its attributes, for printing. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) m.put(names.get(i), layers.get(i).attrs());
        return m;
    }
}
