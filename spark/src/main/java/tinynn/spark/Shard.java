package tinynn.spark;

import java.io.Serializable;
import tinynn.data.ImageDataset;

/**
 * One partition's slice of the training set, as an executor read it from the shared files and keeps it cached
 * (pixels and labels as bytes: a quarter of the floats they become, batch by batch).
 */
record Shard(int partition, int count, int rows, int cols, int channels, byte[] pixels, byte[] labels) implements Serializable {

    static Shard of(int partition, ImageDataset ds) {
        return new Shard(partition, ds.count(), ds.rows(), ds.cols(), ds.channels(), ds.pixels(), ds.labels());
    }

    /** The slice as a data set whose one-hot targets have {@code outputs} columns (the network's, which may exceed the labels'). */
    ImageDataset dataset(int outputs) {
        return new ImageDataset(count, rows, cols, pixels, labels, outputs, channels);
    }
}
