package tinynn.serialization;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tinynn.ops.loss.Loss;
import tinynn.runtime.model.Net;
import tinynn.serialization.proto.AttrValue;
import tinynn.serialization.proto.Binding;
import tinynn.serialization.proto.Graph;
import tinynn.serialization.proto.Node;
import tinynn.serialization.proto.Shape;

/**
 * The graph a Model compiles (minus gradients): input -> net -> output, target, loss; and its stored form.
 * The writer stores it; the reader builds it again from the layer list and requires the stored graph to be
 * exactly this one ({@link GraphCheck}), so both sides share this class.
 */
record ForwardGraph(tinynn.graph.Graph graph, tinynn.graph.Node input, tinynn.graph.Node output,
        tinynn.graph.Node target, tinynn.graph.Node loss) {

    static ForwardGraph of(Net net, Loss loss, tinynn.graph.DType dtype, int[] inputDims) {
        tinynn.graph.Graph g = new tinynn.graph.Graph();
        tinynn.graph.Node x = g.placeholder(ModelFormat.ROLE_INPUT, dtype, inputDims);
        tinynn.graph.Node out = net.build(x);
        tinynn.graph.Node y = g.placeholder(ModelFormat.ROLE_TARGET, dtype, loss.targetShape(out.shape()).dims());
        tinynn.graph.Node l = loss.build(out, y);
        return new ForwardGraph(g, x, out, y, l);
    }

    /**
     * The forward graph and the loss, built for batch sizes 1 and 2: dims (and int-list attrs such as a reshape's
     * shape) that differ between the two are the batch dimension and are stored as -1. A loss whose other
     * attributes depend on the batch size (a division by N) is stored as one {@value ModelFormat#LOSS_OP} node.
     */
    static Graph export(ForwardGraph one, ForwardGraph two, Loss loss) {
        List<tinynn.graph.Node> a = one.graph.nodes();
        List<tinynn.graph.Node> b = two.graph.nodes();
        if (a.size() != b.size()) {
            throw new IllegalStateException("the network builds a different graph for each batch size; cannot export it");
        }
        BitSet forward = ancestors(one.output);
        BitSet lossPart = ancestors(one.loss);
        lossPart.andNot(forward);
        boolean lossPortable = true;
        for (int id = lossPart.nextSetBit(0); id >= 0; id = lossPart.nextSetBit(id + 1)) {
            lossPortable &= node(a.get(id), b.get(id)) != null;
        }
        Graph.Builder g = Graph.newBuilder();
        for (int id = 0; id < a.size(); id++) {
            if (forward.get(id) || (lossPortable && lossPart.get(id)) || id == one.target.id()) {
                Node n = node(a.get(id), b.get(id));
                if (n == null) {
                    throw new IllegalStateException("op " + a.get(id).op().type() + " (" + a.get(id).name()
                            + ") has attributes that depend on the batch size; cannot export it");
                }
                g.addNodes(n);
            } else if (!lossPortable && id == one.loss.id()) {
                g.addNodes(Node.newBuilder()
                        .setId(id)
                        .setName(loss.type())
                        .setOp(ModelFormat.LOSS_OP)
                        .addInputs(one.output.id())
                        .addInputs(one.target.id())
                        .setShape(shape(one.loss.shape().dims(), one.loss.shape().dims()))
                        .setDtype(Tensors.dtype(one.loss.dtype()))
                        .putAttrs("type", AttrValue.newBuilder().setS(loss.type()).build())
                        .putAllAttrs(lossAttrs(loss)));
            }
        }
        g.addInputs(binding(ModelFormat.ROLE_INPUT, one.input)).addInputs(binding(ModelFormat.ROLE_TARGET, one.target));
        g.addOutputs(binding(ModelFormat.ROLE_OUTPUT, one.output));
        if (loss.type().endsWith("cross_entropy")) {
            g.addOutputs(binding(ModelFormat.ROLE_LOGITS, one.output));
        }
        g.addOutputs(binding(ModelFormat.ROLE_LOSS, one.loss));
        return g.build();
    }

    /** The loss's attributes as stored (also in Layers.loss_attrs), in name order. */
    static java.util.Map<String, AttrValue> lossAttrs(Loss loss) {
        java.util.Map<String, AttrValue> m = new java.util.TreeMap<>();
        for (var a : loss.attrs().entrySet()) m.put(a.getKey(), AttrValues.of(a.getValue()));
        return m;
    }

    private static Binding binding(String role, tinynn.graph.Node n) {
        return Binding.newBuilder().setRole(role).setNodeId(n.id()).build();
    }

    /** Ids of n and of every node it depends on. */
    private static BitSet ancestors(tinynn.graph.Node n) {
        BitSet seen = new BitSet();
        seen.set(n.id());
        for (int id = n.id(); id >= 0; id = seen.previousSetBit(id - 1)) {
            for (tinynn.graph.Node in : n.graph().node(id).inputs()) {
                seen.set(in.id());
            }
        }
        return seen;
    }

    /** The node as built for batch 1 ({@code a}) and 2 ({@code b}) merged, or null if they differ beyond dims. */
    private static Node node(tinynn.graph.Node a, tinynn.graph.Node b) {
        if (!a.op().type().equals(b.op().type()) || a.dtype() != b.dtype()) {
            return null;
        }
        List<Integer> ia = a.inputs().stream().map(tinynn.graph.Node::id).toList();
        List<Integer> ib = b.inputs().stream().map(tinynn.graph.Node::id).toList();
        if (!ia.equals(ib)) {
            return null;
        }
        Node.Builder n = Node.newBuilder()
                .setId(a.id())
                .setName(a.name())
                .setOp(a.op().type())
                .addAllInputs(ia)
                .setDtype(Tensors.dtype(a.dtype()));
        Shape s = shape(a.shape().dims(), b.shape().dims());
        if (s != null) {
            n.setShape(s);
        }
        Map<String, Object> attrsA = a.op().attrs(), attrsB = b.op().attrs();
        if (!attrsA.keySet().equals(attrsB.keySet())) {
            return null;
        }
        for (String key : new TreeSet<>(attrsA.keySet())) {
            AttrValue va = AttrValues.of(attrsA.get(key)), vb = AttrValues.of(attrsB.get(key));
            AttrValue merged = va.equals(vb) ? va : mergeInts(va, vb);
            if (merged == null) {
                return null;
            }
            n.putAttrs(key, merged);
        }
        return n.build();
    }

    /** Dims equal in both builds are kept, differing ones become -1; null if the ranks differ. */
    private static Shape shape(int[] a, int[] b) {
        if (a.length != b.length) {
            return null;
        }
        Shape.Builder s = Shape.newBuilder();
        for (int i = 0; i < a.length; i++) {
            s.addDims(a[i] == b[i] ? a[i] : -1);
        }
        return s.build();
    }

    private static AttrValue mergeInts(AttrValue a, AttrValue b) {
        if (!a.hasInts() || !b.hasInts() || a.getInts().getValuesCount() != b.getInts().getValuesCount()) {
            return null;
        }
        AttrValue.Ints.Builder m = AttrValue.Ints.newBuilder();
        for (int i = 0; i < a.getInts().getValuesCount(); i++) {
            long x = a.getInts().getValues(i), y = b.getInts().getValues(i);
            m.addValues(x == y ? x : -1);
        }
        return AttrValue.newBuilder().setInts(m).build();
    }
}
