package tinynn.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Labelled images held as raw bytes (one byte per pixel and channel, one per label): greyscale (one channel) or
 * RGB (three, channel-major within an image as NCHW wants them, CIFAR-10's own layout).
 *
 * <p>Bytes, not floats, because MNIST is 47 MB as bytes and four times that as floats; features
 * are converted on demand into caller-owned buffers, one batch at a time.
 *
 * @param count number of images
 * @param pixels {@code count * channels * rows * cols} unsigned bytes, image-major, then channel, then row-major
 * @param labels {@code count} class indices, each below {@code numClasses}
 * @param channels 1 (grey) or 3 (RGB)
 */
public record ImageDataset(int count, int rows, int cols, byte[] pixels, byte[] labels, int numClasses, int channels) {

    /** Greyscale images. */
    public ImageDataset(int count, int rows, int cols, byte[] pixels, byte[] labels, int numClasses) {
        this(count, rows, cols, pixels, labels, numClasses, 1);
    }

    public ImageDataset {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("bad shape: " + count + " images of " + rows + "x" + cols);
        }
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("numClasses must be 1..256 (labels are bytes): " + numClasses);
        }
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB): " + channels);
        if ((long) count * channels * rows * cols != pixels.length) {
            throw new IllegalArgumentException(count + " images of " + channels + "x" + rows + "x" + cols + " need "
                    + (long) count * channels * rows * cols + " pixel bytes but got " + pixels.length);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(count + " images but " + labels.length + " labels");
        }
        for (int i = 0; i < count; i++) {
            if ((labels[i] & 0xFF) >= numClasses) {
                throw new IllegalArgumentException("label " + (labels[i] & 0xFF) + " at index " + i
                        + " is out of range for " + numClasses + " classes");
            }
        }
    }

    /**
     * Loads an images IDX file ({@code count x rows x cols}) and its labels IDX file ({@code count}).
     * Mismatched pairs and out-of-range labels are reported with both file names.
     */
    public static ImageDataset load(Path imagesFile, Path labelsFile, int numClasses) throws IOException {
        IdxArray images = IdxReader.read(imagesFile);
        IdxArray labels = IdxReader.read(labelsFile);
        if (images.rank() != 3) {
            throw new DataException(imagesFile + ": an images file must have 3 dimensions (count x rows x cols)"
                    + " but this one is " + images.shape() + "; did you swap the images and labels files?");
        }
        if (labels.rank() != 1) {
            throw new DataException(labelsFile + ": a labels file must have 1 dimension (count) but this one is "
                    + labels.shape() + "; did you swap the images and labels files?");
        }
        if (images.dim(0) != labels.dim(0)) {
            throw new DataException(imagesFile + " has " + images.dim(0) + " images but " + labelsFile + " has "
                    + labels.dim(0) + " labels; use the labels from the same split (train-* with train-*,"
                    + " t10k-* with t10k-*)");
        }
        byte[] labelBytes = labels.data();
        for (int i = 0; i < labelBytes.length; i++) {
            int label = labelBytes[i] & 0xFF;
            if (label >= numClasses) {
                throw new DataException(labelsFile + ": label " + label + " at index " + i + " is out of range for "
                        + numClasses + " classes; the file is corrupt or belongs to another data set");
            }
        }
        return new ImageDataset(images.dim(0), images.dim(1), images.dim(2), images.data(), labelBytes, numClasses);
    }

    /** Bytes per image (channels · rows · cols), i.e. the length of one feature vector. */
    public int features() {
        return channels * rows * cols;
    }

    public int label(int index) {
        Objects.checkIndex(index, count);
        return labels[index] & 0xFF;
    }

    /** Labels of images {@code [from, to)} into {@code dst[offset...]}. */
    public void labels(int from, int to, int[] dst, int offset) {
        checkRange(from, to, dst.length, offset, 1);
        for (int i = from; i < to; i++) {
            dst[offset++] = labels[i] & 0xFF;
        }
    }

    /** Pixels of images {@code [from, to)} scaled to [0, 1] (value / 255f) into {@code dst[offset...]}. */
    public void features(int from, int to, float[] dst, int offset) {
        int width = features();
        checkRange(from, to, dst.length, offset, width);
        int end = to * width;
        for (int p = from * width; p < end; p++) {
            dst[offset++] = (pixels[p] & 0xFF) / 255f;
        }
    }

    /** As {@link #features(int, int, float[], int)}, in double precision (value / 255.0). */
    public void features(int from, int to, double[] dst, int offset) {
        int width = features();
        checkRange(from, to, dst.length, offset, width);
        int end = to * width;
        for (int p = from * width; p < end; p++) {
            dst[offset++] = (pixels[p] & 0xFF) / 255.0;
        }
    }

    /**
     * Mean and population standard deviation of every pixel of every image as {@link #features} gives them (value / 255),
     * over all channels together: what a {@code standardize} layer subtracts and divides by. Exact: counted per byte value.
     */
    public double[] pixelStatistics() {
        long[] counts = new long[256];
        for (byte p : pixels) counts[p & 0xFF]++;
        double n = pixels.length, sum = 0;
        for (int v = 0; v < 256; v++) sum += counts[v] * (v / 255.0);
        double mean = n == 0 ? 0 : sum / n, sq = 0;
        for (int v = 0; v < 256; v++) sq += counts[v] * (v / 255.0 - mean) * (v / 255.0 - mean);
        return new double[] {mean, n == 0 ? 0 : Math.sqrt(sq / n)};
    }

    /** One-hot rows of {@code numClasses} for images {@code [from, to)}; the whole region is overwritten. */
    public void oneHot(int from, int to, float[] dst, int offset) {
        checkRange(from, to, dst.length, offset, numClasses);
        Arrays.fill(dst, offset, offset + (to - from) * numClasses, 0f);
        for (int i = from; i < to; i++, offset += numClasses) {
            dst[offset + (labels[i] & 0xFF)] = 1f;
        }
    }

    /** As {@link #oneHot(int, int, float[], int)}, in double precision. */
    public void oneHot(int from, int to, double[] dst, int offset) {
        checkRange(from, to, dst.length, offset, numClasses);
        Arrays.fill(dst, offset, offset + (to - from) * numClasses, 0.0);
        for (int i = from; i < to; i++, offset += numClasses) {
            dst[offset + (labels[i] & 0xFF)] = 1.0;
        }
    }

    /** Images {@code [from, to)} as an independent data set, e.g. a quick subset or a validation split. */
    public ImageDataset slice(int from, int to) {
        Objects.checkFromToIndex(from, to, count);
        int width = features();
        return new ImageDataset(to - from, rows, cols,
                Arrays.copyOfRange(pixels, from * width, to * width),
                Arrays.copyOfRange(labels, from, to), numClasses, channels);
    }

    private void checkRange(int from, int to, int dstLength, int offset, int perItem) {
        Objects.checkFromToIndex(from, to, count);
        long needed = (long) (to - from) * perItem;
        if (offset < 0 || offset + needed > dstLength) {
            throw new IndexOutOfBoundsException("destination needs " + needed + " slots from offset " + offset
                    + " but has length " + dstLength);
        }
    }

    // Records compare arrays by identity; data sets are compared by content in tests and caches.
    @Override
    public boolean equals(Object other) {
        return other instanceof ImageDataset that && count == that.count && rows == that.rows && cols == that.cols
                && channels == that.channels
                && numClasses == that.numClasses && Arrays.equals(pixels, that.pixels)
                && Arrays.equals(labels, that.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, rows, cols, channels, numClasses, Arrays.hashCode(pixels), Arrays.hashCode(labels));
    }

    @Override
    public String toString() {
        return "ImageDataset[" + count + " images " + (channels == 1 ? "" : channels + "x") + rows + "x" + cols + ", " + numClasses + " classes]";
    }
}
