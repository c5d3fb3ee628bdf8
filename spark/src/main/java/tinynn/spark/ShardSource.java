package tinynn.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import tinynn.cli.ClusterData;

/**
 * How an executor reads its partition of the training set: the data options of {@code tinynn train} (IDX, CSV, image
 * folders or a built-in set in a shared --data-dir; a --target table; a --text file), read on the executor from files
 * every node reaches at the same path, with the same --limit and --val-split cut as the driver's; partition p keeps the
 * p-th contiguous slice. A table is standardised with the statistics, and a text encoded with the vocabulary, that the
 * run's model carries in its metadata (the driver's, from the broadcast {@link Blueprint}).
 *
 * @param args     the data options, resolved by the driver (absolute paths)
 * @param count    the training examples the driver found; every node must find as many
 */
public record ShardSource(List<String> args, int partitions, int count) implements Serializable {

    /** The number of examples in partition p: the first (count mod partitions) partitions hold one more. */
    int size(int p) { return count / partitions + (p < count % partitions ? 1 : 0); }

    public int[] sizes() {
        int[] s = new int[partitions];
        for (int p = 0; p < partitions; p++) s[p] = size(p);
        return s;
    }

    Shard read(int p, Blueprint bp) {
        Examples all;
        Worker w = Worker.take(bp);
        try {
            all = ClusterData.trainingSet(args, w.model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            w.release();
        }
        if (all.count() != count) {
            throw new IllegalStateException("the training data on this node has " + all.count() + " examples but the driver's has " + count
                    + " (" + String.join(" ", args) + "): every node must see the same files");
        }
        int from = 0;
        for (int q = 0; q < p; q++) from += size(q);
        return new Shard(p, all.slice(from, from + size(p)));
    }
}
