package tinynn.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import tinynn.graph.AddN;
import tinynn.graph.Graph;
import tinynn.graph.Leaf;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.AvgPool2d;
import tinynn.ops.AvgPool2dGrad;
import tinynn.ops.Binary;
import tinynn.ops.BroadcastTo;
import tinynn.ops.Conv2d;
import tinynn.ops.Conv2dGradWeight;
import tinynn.ops.ConvGeometry;
import tinynn.ops.ConvTranspose2d;
import tinynn.ops.Dropout;
import tinynn.ops.Equal;
import tinynn.ops.MatMul;
import tinynn.ops.Max;
import tinynn.ops.MaxPool2d;
import tinynn.ops.MaxPool2dGather;
import tinynn.ops.MaxPool2dGrad;
import tinynn.ops.PoolWindow;
import tinynn.ops.Primitive;
import tinynn.ops.ReluGrad;
import tinynn.ops.Pad;
import tinynn.ops.Reshape;
import tinynn.ops.Slice;
import tinynn.ops.Recurrence;
import tinynn.ops.RecurrenceGrad;
import tinynn.ops.Softmax;
import tinynn.ops.SoftmaxCrossEntropy;
import tinynn.ops.SoftmaxCrossEntropyGrad;
import tinynn.ops.Sum;
import tinynn.ops.SumTo;
import tinynn.ops.Transpose;
import tinynn.ops.Unary;
import tinynn.ops.Where;
import tinynn.ops.Gather;
import tinynn.ops.ScatterAdd;

/**
 * A compiled graph: the nodes the outputs need, in id order (already topological), each bound
 * once to its kernel and buffers. Buffers are shared by nodes whose lifetimes do not overlap and
 * live as long as the plan, so a step allocates nothing. Running a subset (the forward pass) and
 * later the rest (loss and gradients) computes each node once; a value whose buffer was reused
 * in between is recomputed on demand.
 */
public final class Plan {
    private final Backend backend;
    private final Graph graph;
    private final Tensor[] values;
    private final Runnable[] steps;
    private final Node[][] inputs;     // what each step reads, after fusion
    private final int[] buffer;        // buffer slot per computed node, -1 for leaves and views
    private final int[] owner;         // node whose value a buffer slot holds now
    private final int[] root;          // per node, the node whose buffer it reads (itself, or a reshape's source)
    private final int[] firstWriter;   // per slot, scratch of run(): the lowest node id about to write it
    private final boolean[] needed, done, want;
    private final int[][] dependents;  // per placeholder id, filled on first feed
    private final Map<String, Integer> kernels; // steps per kernel, fused ones under their fusion's name

    public Plan(Backend backend, Parameters params, Collection<Node> outputs) {
        this.backend = backend;
        this.graph = outputs.iterator().next().graph();
        int size = 0;
        for (Node n : outputs) size = Math.max(size, n.id() + 1);
        values = new Tensor[size];
        steps = new Runnable[size];
        inputs = new Node[size][];
        buffer = new int[size];
        Arrays.fill(buffer, -1);
        needed = new boolean[size];
        done = new boolean[size];
        want = new boolean[size];
        dependents = new int[size][];
        boolean[] pinned = new boolean[size];
        for (Node n : outputs) needed[n.id()] = pinned[n.id()] = true;
        for (int id = size - 1; id >= 0; id--) {
            if (needed[id]) for (Node in : graph.node(id).inputs()) needed[in.id()] = true;
        }

        // Fusion decides what each step reads; absorbed nodes drop out of the plan.
        int[] uses = new int[size];
        for (int id = 0; id < size; id++) if (needed[id]) for (Node in : graph.node(id).inputs()) uses[in.id()]++;
        Fusion.Match[] fused = new Fusion.Match[size];
        for (int id = size - 1; id >= 0; id--) {
            if (!needed[id]) continue;
            Node n = graph.node(id);
            Fusion.Match m = Fusion.match(n, uses, pinned);
            if (m != null) {
                fused[id] = m;
                for (Node a : m.absorbed()) needed[a.id()] = false;
                inputs[id] = m.inputs().toArray(Node[]::new);
            } else {
                inputs[id] = n.inputs().toArray(Node[]::new);
            }
        }
        // Re-derive what is still needed: absorbed nodes' own inputs may now be unused.
        boolean[] live = new boolean[size];
        for (Node n : outputs) live[n.id()] = true;
        for (int id = size - 1; id >= 0; id--) if (live[id] && needed[id]) for (Node in : inputs[id]) live[in.id()] = true;
        System.arraycopy(live, 0, needed, 0, size);

        root = new int[size];
        owner = assignBuffers(params, pinned);
        firstWriter = new int[owner.length];
        kernels = new java.util.TreeMap<>();
        for (int id = 0; id < size; id++) {
            if (!needed[id] || buffer[id] < 0) continue;
            steps[id] = fused[id] != null ? fusedKernel(graph.node(id), fused[id]) : kernel(graph.node(id));
            kernels.merge(fused[id] != null ? fused[id].kind().type() : graph.node(id).op().type(), 1, Integer::sum);
        }
    }

    /** Leaves get their own tensors, reshapes view their input, everything else shares by liveness. */
    private int[] assignBuffers(Parameters params, boolean[] pinned) {
        int size = needed.length;
        int[] lastUse = new int[size];
        for (int id = 0; id < size; id++) {
            root[id] = id;
            lastUse[id] = id;
            if (!needed[id]) continue;
            Node n = graph.node(id);
            if (n.op() instanceof Reshape) root[id] = root[n.input(0).id()];
            for (Node in : inputs[id]) lastUse[root[in.id()]] = Math.max(lastUse[root[in.id()]], id);
        }
        boolean[] viewedByPinned = viewedByPinned(root, v -> needed[v] && pinned[v]);
        List<Tensor> slots = new ArrayList<>();
        Map<String, List<Integer>> free = new HashMap<>();
        List<List<Integer>> releaseAt = new ArrayList<>();
        for (int i = 0; i < size; i++) releaseAt.add(new ArrayList<>());
        for (int id = 0; id < size; id++) {
            if (!needed[id]) continue;
            Node n = graph.node(id);
            switch (n.op()) {
                case Leaf.Parameter p -> values[id] = params.of(n);
                case Leaf.Constant c -> {
                    values[id] = backend.allocate(c.dtype(), c.shape());
                    backend.fill(values[id], c.value());
                    if (c.values() != null) for (int i = 0; i < c.values().length; i++) values[id].set(i, c.values()[i]);
                }
                case Leaf.Placeholder p -> values[id] = backend.allocate(p.dtype(), p.shape());
                case Reshape r -> values[id] = values[n.input(0).id()].view(r.target());
                default -> {
                    String key = n.dtype() + ":" + n.shape().size();
                    List<Integer> pool = free.get(key);
                    // A pad keeps a buffer of its own, so that its zeros are written once, not on every run.
                    boolean own = n.op() instanceof Pad;
                    int slot;
                    if (pool != null && !pool.isEmpty() && !own) {
                        slot = pool.removeLast();
                        values[id] = slots.get(slot).view(n.shape());
                    } else {
                        slot = slots.size();
                        values[id] = backend.allocate(n.dtype(), n.shape());
                        slots.add(values[id]);
                    }
                    buffer[id] = slot;
                    if (!pinned[id] && !viewedByPinned[id] && !own) releaseAt.get(lastUse[id]).add(slot);
                }
            }
            // Slots whose last reader is this node become free only after it, so no step writes over its own input.
            for (int slot : releaseAt.get(id)) {
                Tensor t = slots.get(slot);
                free.computeIfAbsent(t.dtype() + ":" + t.size(), k -> new ArrayList<>()).add(slot);
            }
        }
        int[] owners = new int[slots.size()];
        Arrays.fill(owners, -1);
        return owners;
    }

    /**
     * Per node, whether a pinned view (reshape) of it exists: a pinned reshape keeps its root's buffer alive too.
     * One pass over the nodes, each asked once whether it is pinned; scanning the later nodes for each node
     * instead made plans of deep networks quadratic (100,000 layers: seconds).
     */
    static boolean[] viewedByPinned(int[] root, IntPredicate pinned) {
        boolean[] viewed = new boolean[root.length];
        for (int v = 0; v < root.length; v++) {
            if (root[v] != v && pinned.test(v)) viewed[root[v]] = true;
        }
        return viewed;
    }

    private Tensor in(int id, int i) { return values[inputs[id][i].id()]; }

    private Runnable fusedKernel(Node n, Fusion.Match m) {
        int id = n.id();
        Tensor out = values[id];
        return switch (m.kind()) {
            case BIAS_RELU -> { Tensor x = in(id, 0), b = in(id, 1); yield () -> backend.biasAdd(x, b, true, out); }
            case CHANNEL_BIAS_RELU -> { Tensor x = in(id, 0), b = in(id, 1); yield () -> backend.channelBiasAdd(x, b, true, out); }
            case CONV_BIAS_RELU -> {
                Tensor x = in(id, 0), w = in(id, 1), b = in(id, 2);
                ConvGeometry g = ((Conv2d) m.absorbed().get(1).op()).geometry();
                yield () -> backend.conv2dBiasRelu(x, w, b, g, out);
            }
            case MAX_POOL_GRAD_RELU -> {
                Tensor x = in(id, 0), g = in(id, 1);
                PoolWindow w = ((MaxPool2dGrad) m.absorbed().get(0).op()).window();
                yield () -> backend.maxPool2dGradRelu(x, g, w, out);
            }
            case CONCAT -> {
                Tensor[] src = new Tensor[m.parts().size()];
                for (int i = 0; i < src.length; i++) src[i] = in(id, i);
                Fusion.Part[] parts = m.parts().toArray(Fusion.Part[]::new);
                yield () -> {
                    for (int i = 0; i < parts.length; i++) backend.copyBlock(src[i], parts[i].from(), out, parts[i].at(), parts[i].block());
                };
            }
        };
    }

    /** The step computing node n: AddN here, every primitive through the switch that must name each one. */
    private Runnable kernel(Node n) {
        int id = n.id();
        Tensor out = values[id];
        if (n.op() instanceof AddN) {
            Tensor[] xs = new Tensor[inputs[id].length];
            for (int i = 0; i < xs.length; i++) xs[i] = in(id, i);
            List<Tensor> list = List.of(xs);
            return () -> backend.addN(list, out);
        }
        if (!(n.op() instanceof Primitive p)) {
            throw new IllegalArgumentException("op '" + n.op().type() + "' (node " + n.name() + ") is not a primitive; build it from tinynn.ops.Ops");
        }
        return switch (p) {
            case MatMul mm -> { Tensor a = in(id, 0), b = in(id, 1); yield () -> backend.matmul(a, mm.transA(), b, mm.transB(), out); }
            case Binary b -> { Tensor x = in(id, 0), y = in(id, 1); yield () -> backend.binary(b.kind(), x, y, out); }
            case Unary u -> { Tensor x = in(id, 0); yield () -> backend.unary(u.kind(), x, out); }
            case Sum s -> {
                Tensor x = in(id, 0);
                Tensor kept = out.view(keptShape(x.shape(), s.axes()));
                yield () -> backend.sumTo(x, kept);
            }
            case Max mx -> { Tensor x = in(id, 0); yield () -> backend.max(x, mx.axis(), out); }
            case BroadcastTo b -> { Tensor x = in(id, 0); yield () -> backend.broadcastTo(x, out); }
            case SumTo s -> { Tensor x = in(id, 0); yield () -> backend.sumTo(x, out); }
            case Transpose t -> { Tensor x = in(id, 0); yield () -> backend.transpose(x, out); }
            // A reshape is a view of its input's buffer (see assignBuffers): nothing to compute.
            case Reshape r -> () -> { };
            case Where w -> { Tensor c = in(id, 0), a = in(id, 1), b = in(id, 2); yield () -> backend.where(c, a, b, out); }
            case Equal e -> { Tensor a = in(id, 0), b = in(id, 1); yield () -> backend.equal(a, b, out); }
            case Softmax s -> { Tensor x = in(id, 0); yield () -> backend.softmax(x, out); }
            case SoftmaxCrossEntropy s -> { Tensor x = in(id, 0), y = in(id, 1); yield () -> backend.softmaxCrossEntropy(x, y, out); }
            case ReluGrad r -> { Tensor g = in(id, 0), y = in(id, 1); yield () -> backend.reluBackward(g, y, out); }
            case SoftmaxCrossEntropyGrad s -> {
                Tensor x = in(id, 0), y = in(id, 1), g = in(id, 2);
                double rows = x.shape().dim(0);
                yield () -> backend.softmaxCrossEntropyBackward(x, y, g.get(0) / rows, out);
            }
            case Conv2d c -> { Tensor x = in(id, 0), w = in(id, 1); yield () -> backend.conv2d(x, w, c.geometry(), out); }
            case ConvTranspose2d t -> { Tensor dy = in(id, 0), w = in(id, 1); yield () -> backend.conv2dGradInput(dy, w, t.geometry(), out); }
            case Conv2dGradWeight c -> { Tensor x = in(id, 0), dy = in(id, 1); yield () -> backend.conv2dGradWeight(x, dy, c.geometry(), out); }
            case MaxPool2d m -> { Tensor x = in(id, 0); yield () -> backend.maxPool2d(x, m.window(), out); }
            case MaxPool2dGrad m -> { Tensor x = in(id, 0), g = in(id, 1); yield () -> backend.maxPool2dGrad(x, g, m.window(), out); }
            case MaxPool2dGather m -> { Tensor x = in(id, 0), v = in(id, 1); yield () -> backend.maxPool2dGather(x, v, m.window(), out); }
            case AvgPool2d a -> { Tensor x = in(id, 0); yield () -> backend.avgPool2d(x, a.window(), a.countIncludePad(), out); }
            case AvgPool2dGrad a -> { Tensor g = in(id, 0); yield () -> backend.avgPool2dGrad(g, a.window(), a.countIncludePad(), out); }
            case Dropout d -> { Tensor x = in(id, 0), r = in(id, 1); yield () -> backend.dropout(x, r, d.rate(), d.stream(), out); }
            case Gather gt -> { Tensor t = in(id, 0), ids = in(id, 1); yield () -> backend.gather(t, ids, out); }
            case ScatterAdd sa -> { Tensor ids = in(id, 0), g = in(id, 1); yield () -> backend.scatterAdd(ids, g, out); }
            case Slice sl -> { Tensor x = in(id, 0); int[] begin = sl.from(); yield () -> backend.slice(x, begin, out); }
            case Pad pd -> {
                // The buffer is the pad's own (assignBuffers): after the first run only x's block needs writing.
                Tensor x = in(id, 0);
                int[] before = pd.lead(), origin = new int[before.length];
                boolean[] zeroed = {false};
                yield () -> {
                    if (zeroed[0]) backend.copyBlock(x, origin, out, before, x.shape());
                    else backend.pad(x, before, out);
                    zeroed[0] = true;
                };
            }
            case Recurrence r -> {
                Tensor xp = in(id, 0), w = in(id, 1), h0 = in(id, 2);
                Tensor c0 = r.kind() == Recurrence.Kind.LSTM ? in(id, 3) : null, bHh = r.kind() == Recurrence.Kind.GRU ? in(id, 3) : null;
                yield () -> backend.recurrence(r.kind(), r.reverse(), xp, w, h0, c0, bHh, out);
            }
            case RecurrenceGrad r -> {
                Tensor ws = in(id, 0), dws = in(id, 1), w = in(id, 2), h0 = in(id, 3), c0 = r.kind() == Recurrence.Kind.LSTM ? in(id, 4) : null;
                yield () -> backend.recurrenceGrad(r.kind(), r.reverse(), ws, dws, w, h0, c0, out);
            }
        };
    }

    private static Shape keptShape(Shape x, int[] axes) {
        int[] d = x.dims();
        for (int a : axes) d[a] = 1;
        return new Shape(d);
    }

    public Backend backend() { return backend; }

    /** Copies a value into a placeholder's buffer; the values that depend on it become stale. */
    public void feed(Node placeholder, Tensor value) {
        if (!(placeholder.op() instanceof Leaf.Placeholder)) throw new IllegalArgumentException(placeholder + " is not a placeholder");
        Tensor buf = placeholder.id() < values.length && needed[placeholder.id()] ? values[placeholder.id()] : null;
        if (buf == null) throw new IllegalArgumentException("placeholder '" + placeholder.name() + "' is not used by this plan");
        if (!value.shape().equals(buf.shape())) {
            throw new IllegalArgumentException("placeholder '" + placeholder.name() + "' needs shape " + buf.shape() + ", got " + value.shape());
        }
        backend.copy(value, buf);
        int[] deps = dependents[placeholder.id()];
        if (deps == null) deps = dependents[placeholder.id()] = dependentsOf(placeholder);
        for (int id : deps) done[id] = false;
    }

    private int[] dependentsOf(Node placeholder) {
        boolean[] dep = new boolean[needed.length];
        dep[placeholder.id()] = true;
        List<Integer> ids = new ArrayList<>();
        for (int id = placeholder.id() + 1; id < needed.length; id++) {
            if (!needed[id]) continue;
            for (Node in : inputs[id]) {
                if (dep[in.id()]) { dep[id] = true; ids.add(id); break; }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Marks computed values stale, e.g. after the optimizer changed the parameters. */
    public void invalidate() { Arrays.fill(done, false); }

    /** Computes the given nodes and whatever they need that is not computed yet. */
    public void run(Node... outputs) {
        int last = 0;
        for (Node o : outputs) {
            if (o.id() >= needed.length || !needed[o.id()]) throw new IllegalArgumentException(o.name() + " is not an output of this plan");
            want[o.id()] = true;
            last = Math.max(last, o.id());
        }
        markWanted(last);
        // Buffers are shared by nodes whose lifetimes are disjoint in a full run. In a partial run a recomputed node
        // can overwrite the buffer of a kept (done) node defined after it, which this run still reads: recompute those.
        for (boolean again = true; again; ) {
            again = false;
            Arrays.fill(firstWriter, Integer.MAX_VALUE);
            for (int id = last; id >= 0; id--) if (want[id] && buffer[id] >= 0) firstWriter[buffer[id]] = id;
            for (int id = 0; id <= last; id++) {
                int slot = buffer[id];
                if (slot >= 0 && done[id] && !want[id] && owner[slot] == id && firstWriter[slot] < id) {
                    done[id] = false;
                    want[id] = true;
                    again = true;
                }
            }
            if (again) markWanted(last);
        }
        for (int id = 0; id <= last; id++) {
            if (!want[id]) continue;
            want[id] = false;
            int slot = buffer[id];
            if (slot >= 0) {
                // The slot's previous value is about to be overwritten: it must be recomputed if asked for again.
                if (owner[slot] >= 0 && owner[slot] != id) done[owner[slot]] = false;
                owner[slot] = id;
            }
            if (steps[id] != null) steps[id].run();
            done[id] = true;
        }
    }

    /** Marks for computing every wanted node's inputs that are not done; a reshape is done only while its source is. */
    private void markWanted(int last) {
        for (int id = last; id >= 0; id--) {
            if (!want[id]) continue;
            if (done[id] && done[root[id]]) { want[id] = false; continue; }
            for (Node in : inputs[id]) want[in.id()] = true;
        }
    }

    /** The buffer holding a node's value; valid after run() until a later run reuses it. */
    public Tensor value(Node n) {
        Tensor t = n.id() < values.length && needed[n.id()] ? values[n.id()] : null;
        if (t == null) throw new IllegalArgumentException(n.name() + " is not part of this plan");
        return t;
    }

    /**
     * How many steps run each kernel: op types, and fusions under their own name (e.g. "bias_relu"), so a
     * test can tell when a fusion the benchmarks rely on stops applying.
     */
    public Map<String, Integer> kernelCounts() { return java.util.Collections.unmodifiableMap(kernels); }

    /** Distinct buffers this plan computes into (for benchmarks and tests of reuse). */
    public int bufferCount() { return owner.length; }
}
