package tinynn.spark;

import java.io.Serializable;

/** One partition's slice of the training set, as an executor read it from the shared files and keeps it cached. */
record Shard(int partition, Examples examples) implements Serializable {
    int count() { return examples.count(); }
}
