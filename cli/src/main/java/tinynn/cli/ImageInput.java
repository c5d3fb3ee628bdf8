package tinynn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns an image file into a model input: decode to greyscale, make it white-on-black like MNIST
 * (optionally), pad to the model's aspect ratio with the background, and resample to the model's
 * rows×cols. Values stay 0..255; the caller applies the model's input normalisation.
 */
final class ImageInput {
    private ImageInput() {}

    enum Invert { AUTO, YES, NO }

    static boolean isJpeg(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
    }

    static boolean isImage(byte[] b) { return PngDecoder.isPng(b) || isJpeg(b); }

    /** Decodes a PNG or JPEG file to greyscale; errors name the file. */
    static PngDecoder.Grey decode(Path file, byte[] bytes) {
        try {
            if (PngDecoder.isPng(bytes)) return PngDecoder.decode(bytes);
            if (isJpeg(bytes)) return JpegDecoder.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new Failure(file + ": " + e.getMessage());
        }
        throw new Failure(file + ": not a PNG or JPEG image");
    }

    static PngDecoder.Grey decode(Path file) throws IOException {
        return decode(file, Files.readAllBytes(file));
    }

    /** The image as rows×cols pixels 0..255, light-on-dark when {@code invert} says so. */
    static float[] prepare(PngDecoder.Grey img, int rows, int cols, Invert invert) {
        float[] px = img.pixels().clone();
        float border = borderMean(img);
        boolean flip = invert == Invert.YES || (invert == Invert.AUTO && border > 127.5f);
        if (flip) {
            for (int i = 0; i < px.length; i++) px[i] = 255f - px[i];
            border = 255f - border;
        }
        PngDecoder.Grey g = pad(new PngDecoder.Grey(img.width(), img.height(), px), rows, cols, border);
        return resample(g, rows, cols);
    }

    /** Whether prepare() would invert this image. */
    static boolean wouldInvert(PngDecoder.Grey img, Invert invert) {
        return invert == Invert.YES || (invert == Invert.AUTO && borderMean(img) > 127.5f);
    }

    static float borderMean(PngDecoder.Grey img) {
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

    /** Centres the image on a canvas of the target aspect ratio filled with the background value. */
    static PngDecoder.Grey pad(PngDecoder.Grey img, int rows, int cols, float background) {
        int w = img.width(), h = img.height();
        // Target aspect cols/rows; grow the short side.
        long lhs = (long) w * rows, rhs = (long) h * cols;
        if (lhs == rhs) return img;
        int nw = w, nh = h;
        if (lhs < rhs) nw = (int) Math.round((double) h * cols / rows);
        else nh = (int) Math.round((double) w * rows / cols);
        float[] out = new float[nw * nh];
        java.util.Arrays.fill(out, background);
        int ox = (nw - w) / 2, oy = (nh - h) / 2;
        for (int y = 0; y < h; y++) System.arraycopy(img.pixels(), y * w, out, (y + oy) * nw + ox, w);
        return new PngDecoder.Grey(nw, nh, out);
    }

    /** Area-average when shrinking, bilinear when enlarging; separable, one axis at a time. */
    static float[] resample(PngDecoder.Grey img, int rows, int cols) {
        int w = img.width(), h = img.height();
        float[] p = img.pixels();
        if (w == cols && h == rows) return p;
        float[] tmp = new float[h * cols];
        for (int y = 0; y < h; y++) axis(p, y * w, 1, w, tmp, y * cols, 1, cols);
        float[] out = new float[rows * cols];
        for (int x = 0; x < cols; x++) axis(tmp, x, cols, h, out, x, cols, rows);
        return out;
    }

    /** Resamples n values (src[so + i·ss]) to m values (dst[do + j·ds]). */
    private static void axis(float[] src, int so, int ss, int n, float[] dst, int dOff, int ds, int m) {
        double scale = (double) n / m;
        for (int j = 0; j < m; j++) {
            double v;
            if (scale >= 1) {
                double a = j * scale, b = a + scale, sum = 0;
                for (int i = (int) Math.floor(a); i < Math.ceil(b) && i < n; i++) {
                    double cover = Math.min(b, i + 1) - Math.max(a, i);
                    if (cover > 0) sum += cover * src[so + i * ss];
                }
                v = sum / scale;
            } else {
                double c = (j + 0.5) * scale - 0.5;
                int i0 = (int) Math.floor(c);
                double t = c - i0;
                int a = Math.clamp(i0, 0, n - 1), b = Math.clamp(i0 + 1, 0, n - 1);
                v = src[so + a * ss] * (1 - t) + src[so + b * ss] * t;
            }
            dst[dOff + j * ds] = (float) v;
        }
    }
}
