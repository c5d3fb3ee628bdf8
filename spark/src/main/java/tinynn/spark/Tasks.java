package tinynn.spark;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tinynn.runtime.Parameters;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;

/** What one partition computes in a round, on its executor: the two kinds of round. */
final class Tasks {
    private Tasks() {}

    /**
     * Synchronous round: the gradient of the shard's mean loss times the shard's share of the global batch, so that
     * the partitions' sum is the gradient of the global batch's mean loss. Layers with state (batch norm's running
     * statistics) move it as a step on the shard would; the driver takes the shards' weighted mean of it.
     */
    static Iterator<Sums> gradient(Iterator<Shard> shards, Blueprint bp, Snapshot s, long fetchNanos) {
        Shard shard = shards.next();
        int p = shard.partition();
        if (bp.hook() != null) bp.hook().beforeTask(p, s.step());
        long t0 = System.nanoTime();
        Worker w = Worker.take(bp);
        try {
            w.load(s);
            Tensor[] b = w.batch(shard, bp.schedule().indices(p, shard.count(), s.epoch(), s.epochStep()));
            Model m = w.model;
            Model.Grads g = m.backward(m.forward(b[0]), b[1]);
            double weight = bp.schedule().weight(p);
            Parameters params = m.parameters();
            String[] names = s.names();
            Values[] out = new Values[names.length];
            for (int i = 0; i < names.length; i++) {
                if (!params.trainable(names[i])) continue;
                Tensor grad = g.grads().get(names[i]);
                out[i] = grad == null ? Values.zeros(params.get(names[i])) : Values.scaled(grad, weight);
            }
            double loss = g.loss() * weight;
            m.applyGrad(g);
            for (int i = 0; i < names.length; i++) {
                if (out[i] == null) out[i] = Values.scaled(params.get(names[i]), weight);
            }
            return List.of(Sums.of(out, new String[0], loss, fetchNanos, System.nanoTime() - t0)).iterator();
        } finally {
            w.release();
        }
    }

    /**
     * Model-averaging round: {@code k} local steps of the executor's own optimizer from the broadcast parameters and
     * optimizer state, on the next k shards of the partition; returns parameters, state and optimizer slots times the
     * shard's weight (their weighted mean is the new model), and the mean loss of its steps.
     */
    static Iterator<Sums> localSteps(Iterator<Shard> shards, Blueprint bp, Snapshot s, int k, long fetchNanos) {
        Shard shard = shards.next();
        int p = shard.partition();
        if (bp.hook() != null) bp.hook().beforeTask(p, s.step());
        long t0 = System.nanoTime();
        Worker w = Worker.take(bp);
        try {
            w.load(s);
            Model m = w.model;
            double loss = 0;
            for (int j = 0; j < k; j++) {
                Tensor[] b = w.batch(shard, bp.schedule().indices(p, shard.count(), s.epoch(), s.epochStep() * k + j));
                loss += m.trainStep(b[0], b[1]);
            }
            double weight = bp.schedule().weight(p);
            Map<String, Tensor> params = m.parameters().asMap();
            // Sorted, so that every partition lists its optimizer state in the same order.
            Map<String, Tensor> slots = new TreeMap<>();
            m.optimizer().slots().forEach((slot, byParam) -> byParam.forEach((name, t) -> slots.put(slot + "/" + name, t)));
            String[] names = s.names();
            Values[] out = new Values[names.length + slots.size()];
            for (int i = 0; i < names.length; i++) out[i] = Values.scaled(params.get(names[i]), weight);
            int i = names.length;
            for (Tensor t : slots.values()) out[i++] = Values.scaled(t, weight);
            return List.of(Sums.of(out, slots.keySet().toArray(String[]::new), loss / k * weight, fetchNanos, System.nanoTime() - t0))
                    .iterator();
        } finally {
            w.release();
        }
    }
}
