package tinynn.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import tinynn.data.ImageDataset;
import tinynn.data.text.TextWindows;
import tinynn.runtime.Tensor;

/**
 * A training set's examples in the form an executor keeps them cached, for each kind of data {@code tinynn train}
 * takes: images (pixels and labels as bytes, a quarter of the floats they become), table rows (standardised features,
 * and class indices or standardised targets) and text windows (character ids). {@link #fill} turns the examples of a
 * shard into a batch exactly as {@code tinynn train} turns its data set into tensors, in f32 or f64.
 */
public sealed interface Examples extends Serializable {

    int count();

    /** Examples {@code [from, to)}: one partition's slice. */
    Examples slice(int from, int to);

    /**
     * Writes the inputs and targets of the examples at {@code indices} into {@code x} and {@code y}, tensors of the
     * model's dtype whose first dimension is {@code indices.length}; the target width is read from {@code y}'s size.
     */
    void fill(int[] indices, Tensor x, Tensor y);

    /** Images: inputs pixels/255, targets one-hot over the network's outputs (which may exceed the labels' classes). */
    record Images(int count, int rows, int cols, int channels, byte[] pixels, byte[] labels) implements Examples {
        public static Images of(ImageDataset ds) {
            return new Images(ds.count(), ds.rows(), ds.cols(), ds.channels(), ds.pixels(), ds.labels());
        }

        @Override public Images slice(int from, int to) {
            Objects.checkFromToIndex(from, to, count);
            int f = channels * rows * cols;
            return new Images(to - from, rows, cols, channels, Arrays.copyOfRange(pixels, from * f, to * f), Arrays.copyOfRange(labels, from, to));
        }

        @Override public void fill(int[] indices, Tensor x, Tensor y) {
            int outputs = y.size() / indices.length;
            ImageDataset ds = new ImageDataset(count, rows, cols, pixels, labels, outputs, channels);
            int f = ds.features();
            for (int i = 0; i < indices.length; i++) {
                int e = indices[i];
                if (x.isF32()) {
                    ds.features(e, e + 1, x.f32(), i * f);
                    ds.oneHot(e, e + 1, y.f32(), i * outputs);
                } else {
                    ds.features(e, e + 1, x.f64(), i * f);
                    ds.oneHot(e, e + 1, y.f64(), i * outputs);
                }
            }
        }
    }

    /**
     * Rows of a table: {@code features} standardised values a row; targets either class indices ({@code labels},
     * one-hot in the batch) or standardised numbers ({@code values}, one a row), the other null.
     */
    record Table(int features, float[] x, int[] labels, float[] values) implements Examples {
        @Override public int count() { return x.length / features; }

        @Override public Table slice(int from, int to) {
            return new Table(features, Arrays.copyOfRange(x, from * features, to * features),
                    labels != null ? Arrays.copyOfRange(labels, from, to) : null, values != null ? Arrays.copyOfRange(values, from, to) : null);
        }

        @Override public void fill(int[] indices, Tensor x, Tensor y) {
            int width = y.size() / indices.length;
            for (int i = 0; i < indices.length; i++) {
                int e = indices[i];
                put(this.x, e * features, x, i * features, features);
                if (values != null) {
                    y.set(i, values[e]);
                } else {
                    for (int c = 0; c < width; c++) y.set(i * width + c, 0);
                    y.set(i * width + labels[e], 1);
                }
            }
        }
    }

    /** Windows of a text: {@code length} character ids a window as inputs, the next characters' ids as targets. */
    record Text(int length, float[] inputs, float[] targets) implements Examples {
        public static Text of(TextWindows w) { return new Text(w.length(), w.inputs(), w.targets()); }

        @Override public int count() { return inputs.length / length; }

        @Override public Text slice(int from, int to) {
            return new Text(length, Arrays.copyOfRange(inputs, from * length, to * length), Arrays.copyOfRange(targets, from * length, to * length));
        }

        @Override public void fill(int[] indices, Tensor x, Tensor y) {
            for (int i = 0; i < indices.length; i++) {
                put(inputs, indices[i] * length, x, i * length, length);
                put(targets, indices[i] * length, y, i * length, length);
            }
        }
    }

    /** Copies n floats into a tensor of either precision (widened to double for f64, as tinynn train's tensors are). */
    private static void put(float[] src, int from, Tensor dst, int to, int n) {
        if (dst.isF32()) {
            System.arraycopy(src, from, dst.f32(), to, n);
        } else {
            double[] d = dst.f64();
            for (int j = 0; j < n; j++) d[to + j] = src[from + j];
        }
    }
}
