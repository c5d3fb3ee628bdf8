package tinynn.spark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import tinynn.graph.Shape;
import tinynn.runtime.Backend;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.ModelCodec;

/**
 * An executor's copy of the model: the same graph, plans and optimizer as the driver's, loaded once from the
 * run's {@link Blueprint} and reused by later tasks (a pool per run, since tasks of one executor run side by side).
 * Each task first takes the broadcast parameters, so what a task computes depends only on the snapshot and its shard.
 */
final class Worker {
    private static final Map<String, ConcurrentLinkedQueue<Worker>> POOLS = new ConcurrentHashMap<>();

    final Model model;
    /** Receives the snapshot's values; {@link Model#copyParametersFrom} then moves them in and invalidates the plans. */
    private final Model holder;
    private final Blueprint bp;
    private final Map<Integer, Tensor[]> batches = new HashMap<>();

    private Worker(Blueprint bp) {
        this.bp = bp;
        Backend backend = Backends.createAndSetOjalgoThreads(bp.backend() != null ? bp.backend() : Backends.DEFAULT, bp.threads());
        this.model = load(bp, backend);
        this.holder = load(bp, backend);
    }

    private static Model load(Blueprint bp, Backend backend) {
        try {
            return ModelCodec.find().load(new ByteArrayInputStream(bp.model()), "the run's model", backend);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Worker take(Blueprint bp) {
        Worker w = POOLS.computeIfAbsent(bp.runId(), k -> new ConcurrentLinkedQueue<>()).poll();
        return w != null ? w : new Worker(bp);
    }

    void release() { POOLS.get(bp.runId()).add(this); }

    /** Sets the model to the snapshot: parameters, state, step (dropout masks follow it) and, if sent, the optimizer's state and rate. */
    void load(Snapshot s) {
        Map<String, Tensor> params = holder.parameters().asMap();
        for (int i = 0; i < s.names().length; i++) {
            Tensor t = params.get(s.names()[i]);
            if (t == null) throw new IllegalStateException("executor model has no parameter '" + s.names()[i] + "'");
            s.values()[i].into(t);
        }
        model.copyParametersFrom(holder);
        model.globalStep(s.step());
        model.optimizer().lr(s.lr());
        if (s.optimizerSteps() >= 0) {
            Map<String, Map<String, Tensor>> slots = s.slotMap(model.parameters().asMap());
            // Slots the snapshot lacks (before the driver's first update, all) start empty: not with the moments of
            // the partition this worker trained last.
            for (String slot : model.optimizer().slots().keySet()) slots.putIfAbsent(slot, Map.of());
            model.optimizer().restore(s.optimizerSteps(), slots);
        }
    }

    /** The inputs and targets of a shard's examples in the model's dtype, in buffers reused per shard size. */
    Tensor[] batch(Shard shard, int[] indices) {
        Tensor[] b = batches.computeIfAbsent(indices.length, n ->
                new Tensor[] {Tensor.zeros(model.dtype(), batchShape(n, bp.example())), Tensor.zeros(model.dtype(), batchShape(n, bp.target()))});
        shard.examples().fill(indices, b[0], b[1]);
        return b;
    }

    private static Shape batchShape(int n, int[] example) {
        int[] dims = new int[example.length + 1];
        dims[0] = n;
        System.arraycopy(example, 0, dims, 1, example.length);
        return Shape.of(dims);
    }
}
