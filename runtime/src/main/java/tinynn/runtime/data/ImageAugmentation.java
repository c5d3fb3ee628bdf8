package tinynn.runtime.data;

import tinynn.runtime.Tensor;
import tinynn.runtime.model.Batch;

/**
 * The standard augmentation for small images such as CIFAR-10's: each image is zero-padded by {@code pad} pixels
 * on every side and cropped back to H×W at a random offset (a shift by up to {@code pad} pixels, the uncovered
 * border black), then mirrored left-right with probability {@code flipProbability}. Works in place on inputs
 * [N, C, H, W] (or [N, C·H·W] holding the same values), F32 or F64.
 *
 * <p>Reproducible: the draws for an example come from a hash of (seed, epoch, position in the epoch), not from a
 * shared generator, so they do not depend on threads, on batch boundaries or on what ran before. No allocation
 * after the first batch; one thread at a time (it keeps a scratch image).
 */
public final class ImageAugmentation implements BatchTransform {
    private final int channels, height, width, pad;
    private final double flipProbability;
    private final long seed;
    private float[] scratch32 = new float[0];
    private double[] scratch64 = new double[0];

    public ImageAugmentation(int channels, int height, int width, int pad, double flipProbability, long seed) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive: " + channels + "x" + height + "x" + width);
        }
        if (pad < 0 || pad >= Math.min(height, width)) {
            throw new IllegalArgumentException("pad must be 0.." + (Math.min(height, width) - 1) + " for "
                    + height + "x" + width + " images, got " + pad);
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flipProbability);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pad = pad;
        this.flipProbability = flipProbability;
        this.seed = seed;
    }

    /** Random crop with padding {@code pad} and a horizontal flip with probability 0.5. */
    public static ImageAugmentation cropAndFlip(int channels, int height, int width, int pad, long seed) {
        return new ImageAugmentation(channels, height, width, pad, 0.5, seed);
    }

    @Override
    public void apply(Batch batch, int epoch, long firstPosition) {
        Tensor x = batch.inputs();
        int image = channels * height * width;
        int n = batch.size();
        if (x.size() != (long) n * image) {
            throw new IllegalArgumentException("augmentation of " + channels + "x" + height + "x" + width
                    + " images got inputs " + x.shape() + "; pass inputs [N, " + channels + ", " + height + ", " + width + "]");
        }
        for (int i = 0; i < n; i++) {
            long draw = mix(seed ^ mix(epoch ^ mix(firstPosition + i)));
            int span = 2 * pad + 1;
            int dy = (int) Long.remainderUnsigned(draw, span) - pad;
            int dx = (int) Long.remainderUnsigned(draw >>> 20, span) - pad;
            boolean flip = (draw >>> 40) * 0x1p-24 < flipProbability;
            if (x.isF32()) {
                augment(x.f32(), i * image, dy, dx, flip);
            } else {
                augment(x.f64(), i * image, dy, dx, flip);
            }
        }
    }

    private void augment(float[] data, int offset, int dy, int dx, boolean flip) {
        int image = channels * height * width;
        if (scratch32.length < image) scratch32 = new float[image];
        System.arraycopy(data, offset, scratch32, 0, image);
        crop(scratch32, data, offset, channels, height, width, dy, dx);
        if (flip) flip(data, offset, channels, height, width);
    }

    private void augment(double[] data, int offset, int dy, int dx, boolean flip) {
        int image = channels * height * width;
        if (scratch64.length < image) scratch64 = new double[image];
        System.arraycopy(data, offset, scratch64, 0, image);
        crop(scratch64, data, offset, channels, height, width, dy, dx);
        if (flip) flip(data, offset, channels, height, width);
    }

    /**
     * The H×W window at offset (pad + dy, pad + dx) of {@code src} (one image at 0) zero-padded by pad: pixel (y, x)
     * of the result is source pixel (y + dy, x + dx), or 0 where that lies outside the image.
     */
    public static void crop(float[] src, float[] dst, int offset, int channels, int height, int width, int dy, int dx) {
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int sy = y + dy, row = offset + (c * height + y) * width;
                for (int x = 0; x < width; x++) {
                    int sx = x + dx;
                    dst[row + x] = sy >= 0 && sy < height && sx >= 0 && sx < width ? src[(c * height + sy) * width + sx] : 0f;
                }
            }
        }
    }

    /** As {@link #crop(float[], float[], int, int, int, int, int, int)}, in double precision. */
    public static void crop(double[] src, double[] dst, int offset, int channels, int height, int width, int dy, int dx) {
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int sy = y + dy, row = offset + (c * height + y) * width;
                for (int x = 0; x < width; x++) {
                    int sx = x + dx;
                    dst[row + x] = sy >= 0 && sy < height && sx >= 0 && sx < width ? src[(c * height + sy) * width + sx] : 0.0;
                }
            }
        }
    }

    /** Mirrors the image at {@code offset} left-right, every channel. */
    public static void flip(float[] data, int offset, int channels, int height, int width) {
        for (int r = 0; r < channels * height; r++) {
            for (int a = offset + r * width, b = a + width - 1; a < b; a++, b--) {
                float t = data[a];
                data[a] = data[b];
                data[b] = t;
            }
        }
    }

    /** As {@link #flip(float[], int, int, int, int)}, in double precision. */
    public static void flip(double[] data, int offset, int channels, int height, int width) {
        for (int r = 0; r < channels * height; r++) {
            for (int a = offset + r * width, b = a + width - 1; a < b; a++, b--) {
                double t = data[a];
                data[a] = data[b];
                data[b] = t;
            }
        }
    }

    /** SplitMix64's finaliser: nearby inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
