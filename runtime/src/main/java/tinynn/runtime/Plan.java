package tinynn.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import tinynn.graph.AddN;
import tinynn.graph.Leaf;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Binary;
import tinynn.ops.BroadcastTo;
import tinynn.ops.Equal;
import tinynn.ops.MatMul;
import tinynn.ops.Max;
import tinynn.ops.Reshape;
import tinynn.ops.Softmax;
import tinynn.ops.SoftmaxCrossEntropy;
import tinynn.ops.Sum;
import tinynn.ops.SumTo;
import tinynn.ops.Transpose;
import tinynn.ops.Unary;
import tinynn.ops.Where;

/**
 * A compiled graph: the nodes the outputs need, in id order (already topological), each bound to
 * its buffers and kernel once. Buffers live as long as the plan, so a training step allocates
 * nothing. Running a subset (forward only) and later the rest (loss and gradients) computes
 * each node once.
 */
public final class Plan {
    private final Backend backend;
    private final Tensor[] values;
    private final Runnable[] steps;
    private final boolean[] needed;
    private final boolean[] done;
    private final java.util.Map<Integer, int[]> dependents = new java.util.HashMap<>();

    public Plan(Backend backend, Parameters params, Collection<Node> outputs) {
        this.backend = backend;
        int size = 0;
        for (Node n : outputs) size = Math.max(size, n.id() + 1);
        values = new Tensor[size];
        steps = new Runnable[size];
        needed = new boolean[size];
        done = new boolean[size];
        for (Node n : outputs) needed[n.id()] = true;
        var graph = outputs.iterator().next().graph();
        for (int id = size - 1; id >= 0; id--) {
            if (needed[id]) for (Node in : graph.node(id).inputs()) needed[in.id()] = true;
        }
        for (int id = 0; id < size; id++) {
            if (!needed[id]) continue;
            Node n = graph.node(id);
            switch (n.op()) {
                case Leaf.Parameter p -> values[id] = params.of(n);
                case Leaf.Constant c -> {
                    values[id] = backend.allocate(c.dtype(), c.shape());
                    backend.fill(values[id], c.value());
                }
                case Reshape r -> values[id] = values[n.input(0).id()].view(r.target());
                default -> {
                    values[id] = backend.allocate(n.dtype(), n.shape());
                    steps[id] = kernel(n);
                }
            }
        }
    }

    private Tensor in(Node n, int i) { return values[n.input(i).id()]; }

    private Runnable kernel(Node n) {
        Tensor out = values[n.id()];
        return switch (n.op()) {
            case Leaf.Placeholder p -> null;
            case MatMul mm -> { Tensor a = in(n, 0), b = in(n, 1); yield () -> backend.matmul(a, mm.transA(), b, mm.transB(), out); }
            case Binary b -> { Tensor x = in(n, 0), y = in(n, 1); yield () -> backend.binary(b.kind(), x, y, out); }
            case Unary u -> { Tensor x = in(n, 0); yield () -> backend.unary(u.kind(), x, out); }
            case Sum s -> {
                Tensor x = in(n, 0);
                Tensor kept = out.view(keptShape(x.shape(), s.axes()));
                yield () -> backend.sumTo(x, kept);
            }
            case Max mx -> { Tensor x = in(n, 0); yield () -> backend.max(x, mx.axis(), out); }
            case BroadcastTo b -> { Tensor x = in(n, 0); yield () -> backend.broadcastTo(x, out); }
            case SumTo s -> { Tensor x = in(n, 0); yield () -> backend.sumTo(x, out); }
            case Transpose t -> { Tensor x = in(n, 0); yield () -> backend.transpose(x, out); }
            case Where w -> { Tensor c = in(n, 0), a = in(n, 1), b = in(n, 2); yield () -> backend.where(c, a, b, out); }
            case Equal e -> { Tensor a = in(n, 0), b = in(n, 1); yield () -> backend.equal(a, b, out); }
            case Softmax s -> { Tensor x = in(n, 0); yield () -> backend.softmax(x, out); }
            case SoftmaxCrossEntropy s -> { Tensor x = in(n, 0), y = in(n, 1); yield () -> backend.softmaxCrossEntropy(x, y, out); }
            case AddN a -> {
                List<Tensor> xs = new ArrayList<>();
                for (int i = 0; i < n.inputs().size(); i++) xs.add(in(n, i));
                yield () -> backend.addN(xs, out);
            }
            default -> throw new IllegalArgumentException("no " + backend.name() + " kernel for op '" + n.op().type() + "' (node " + n.name() + ")");
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
        Tensor buf = values[placeholder.id()];
        if (buf == null) throw new IllegalArgumentException("placeholder '" + placeholder.name() + "' is not used by this plan");
        if (!value.shape().equals(buf.shape())) {
            throw new IllegalArgumentException("placeholder '" + placeholder.name() + "' needs shape " + buf.shape() + ", got " + value.shape());
        }
        buf.copyFrom(value);
        for (int id : dependents.computeIfAbsent(placeholder.id(), k -> dependentsOf(placeholder))) done[id] = false;
    }

    private int[] dependentsOf(Node placeholder) {
        var graph = placeholder.graph();
        boolean[] dep = new boolean[needed.length];
        dep[placeholder.id()] = true;
        List<Integer> ids = new ArrayList<>();
        for (int id = placeholder.id() + 1; id < needed.length; id++) {
            if (!needed[id]) continue;
            for (Node in : graph.node(id).inputs()) {
                if (dep[in.id()]) { dep[id] = true; ids.add(id); break; }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Marks computed values stale, e.g. after the optimizer changed the parameters. */
    public void invalidate() { Arrays.fill(done, false); }

    /** Computes the given nodes and whatever they need that is not computed yet. */
    public void run(Node... outputs) {
        for (Node o : outputs) {
            if (o.id() >= needed.length || !needed[o.id()]) throw new IllegalArgumentException(o.name() + " is not an output of this plan");
        }
        int last = 0;
        boolean[] want = new boolean[needed.length];
        for (Node o : outputs) { want[o.id()] = true; last = Math.max(last, o.id()); }
        var graph = outputs[0].graph();
        for (int id = last; id >= 0; id--) {
            if (!want[id] || done[id]) continue;
            for (Node in : graph.node(id).inputs()) want[in.id()] = true;
        }
        for (int id = 0; id <= last; id++) {
            if (!want[id] || done[id]) continue;
            if (steps[id] != null) steps[id].run();
            done[id] = true;
        }
    }

    /** The buffer holding a node's value; valid after run(). */
    public Tensor value(Node n) {
        Tensor t = n.id() < values.length ? values[n.id()] : null;
        if (t == null) throw new IllegalArgumentException(n.name() + " is not part of this plan");
        return t;
    }
}
