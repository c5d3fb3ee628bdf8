package tinynn.cli;

import tinynn.data.image.GreyImage;
import tinynn.data.image.Resampler;
import tinynn.data.image.RgbImage;

/**
 * Turns a decoded image ({@link tinynn.data.image.ImageDecoder}) into a model input: make it white-on-black like MNIST
 * (optionally), pad to the model's aspect ratio with the background, and resample to the model's
 * rows×cols. Values stay 0..255; the caller applies the model's input normalisation.
 *
 * <p>Memory: decoding needs about 4 bytes per pixel of the image (plus one byte per pixel and
 * component for JPEG), and no more than the file's data can justify; the padded canvas is never
 * built, so an extreme aspect ratio costs nothing extra.
 */
final class ImageInput {
    private ImageInput() {}

    enum Invert { AUTO, YES, NO }

    /** The image as rows×cols pixels 0..255, light-on-dark when {@code invert} says so. */
    static float[] prepare(GreyImage img, int rows, int cols, Invert invert) {
        float border = borderMean(img);
        boolean flip = invert == Invert.YES || (invert == Invert.AUTO && border > 127.5f);
        float[] out = fit(img, rows, cols, border);
        // Resampling is an average (weights summing to 1), so inverting afterwards equals inverting first.
        if (flip) for (int i = 0; i < out.length; i++) out[i] = 255f - out[i];
        return out;
    }

    /** Whether prepare() would invert this image. */
    static boolean wouldInvert(GreyImage img, Invert invert) {
        return invert == Invert.YES || (invert == Invert.AUTO && borderMean(img) > 127.5f);
    }

    static float borderMean(GreyImage img) {
        int w = img.width(), h = img.height();
        float[] p = img.pixels();
        double sum = 0;
        long n = 0;
        for (int x = 0; x < w; x++) {
            sum += p[x] + p[(h - 1) * w + x];
            n += 2;
        }
        for (int y = 1; y < h - 1; y++) {
            sum += p[y * w] + p[y * w + w - 1];
            n += 2;
        }
        return (float) (sum / n);
    }

    /**
     * The image centred on a canvas of the target aspect ratio filled with {@code background},
     * resized to rows×cols. The canvas stays virtual: padding is added arithmetically while
     * resampling, so a 1×46340 image does not become a 46340×46340 array.
     */
    static float[] fit(GreyImage img, int rows, int cols, float background) {
        int w = img.width(), h = img.height();
        long lhs = (long) w * rows, rhs = (long) h * cols;
        long cw = w, ch = h; // canvas size: grow the short side
        if (lhs < rhs) cw = Math.max(w, Math.round((double) h * cols / rows));
        else if (lhs > rhs) ch = Math.max(h, Math.round((double) w * rows / cols));
        return Resampler.resize(img.pixels(), w, h, (cw - w) / 2, cw, (ch - h) / 2, ch, background, rows, cols);
    }

    /** Plain resize to rows×cols (no padding; the aspect ratio may change). */
    static float[] resample(GreyImage img, int rows, int cols) {
        return Resampler.resize(img.pixels(), img.width(), img.height(), rows, cols);
    }

    /**
     * An image as a model trained on an image folder ({@code train --train-dir}) saw it: stretched to rows×cols as
     * its training images were, not inverted unless --invert yes (auto keeps it: folder images are fed as they are).
     */
    static float[] stretch(GreyImage img, int rows, int cols, Invert invert) {
        float[] out = resample(img, rows, cols);
        if (invert == Invert.YES) {
            out = out.clone();
            for (int i = 0; i < out.length; i++) out[i] = 255f - out[i];
        }
        return out;
    }

    /**
     * An RGB image as 3×rows×cols values 0..255, channel-major as [C, H, W] wants them: stretched to rows×cols for a
     * model trained on an image folder, else padded to the model's aspect ratio with each channel's border mean;
     * inverted only with --invert yes (colour models are not MNIST-style light-on-dark).
     */
    static float[] prepareRgb(RgbImage img, int rows, int cols, boolean stretch, Invert invert) {
        int w = img.width(), h = img.height(), plane = w * h;
        float[] out = new float[RgbImage.CHANNELS * rows * cols];
        for (int c = 0; c < RgbImage.CHANNELS; c++) {
            GreyImage channel = new GreyImage(w, h, java.util.Arrays.copyOfRange(img.pixels(), c * plane, (c + 1) * plane));
            float[] p = stretch ? resample(channel, rows, cols) : fit(channel, rows, cols, borderMean(channel));
            System.arraycopy(p, 0, out, c * rows * cols, rows * cols);
        }
        if (invert == Invert.YES) for (int i = 0; i < out.length; i++) out[i] = 255f - out[i];
        return out;
    }
}
