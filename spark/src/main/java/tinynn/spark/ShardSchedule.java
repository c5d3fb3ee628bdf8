package tinynn.spark;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Which of its examples each partition trains on, batch by batch. Every partition shuffles its own slice once per
 * epoch (seeded by the run's seed, the epoch and the partition) and takes consecutive shards of that order; the
 * global batch of a step is the partitions' shards in partition order. The order depends on nothing but these
 * numbers, so a retried task, a resumed driver and the single-machine reference all see the same batches.
 *
 * @param batch      the global batch
 * @param partitions the number of partitions; partition p's shard has {@link #shardSize} examples
 */
record ShardSchedule(int batch, int partitions, long seed) implements Serializable {

    ShardSchedule {
        if (batch < partitions) {
            throw new IllegalArgumentException("--batch-size " + batch + " is smaller than the " + partitions
                    + " partitions; every partition needs at least one example per step: pass a larger --batch-size or fewer --partitions");
        }
    }

    /** Partition p's part of the global batch: an equal share, the first (batch mod partitions) one example more. */
    int shardSize(int p) { return batch / partitions + (p < batch % partitions ? 1 : 0); }

    /** The weight of partition p's mean in the global batch's mean. */
    double weight(int p) { return (double) shardSize(p) / batch; }

    /** Steps in an epoch: as many whole shards as the partition with the fewest fits. */
    int steps(int[] counts) {
        int s = Integer.MAX_VALUE;
        for (int p = 0; p < partitions; p++) s = Math.min(s, counts[p] / shardSize(p));
        return s;
    }

    /** The example indices (into partition p's slice of {@code count} examples) of its shard at step {@code step} of an epoch. */
    int[] indices(int p, int count, int epoch, int step) {
        int[] order = order(p, count, epoch);
        int b = shardSize(p);
        int[] out = new int[b];
        System.arraycopy(order, step * b, out, 0, b);
        return out;
    }

    /** Partition p's order of its examples in an epoch (Fisher–Yates). */
    int[] order(int p, int count, int epoch) {
        int[] o = new int[count];
        for (int i = 0; i < count; i++) o[i] = i;
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + epoch * 7_919L + p);
        for (int i = count - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }
}
