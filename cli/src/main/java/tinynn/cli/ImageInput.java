package tinynn.cli;

import tinynn.data.image.GreyImage;

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
        return resize(img.pixels(), w, h, (cw - w) / 2, cw, (ch - h) / 2, ch, background, rows, cols);
    }

    /** Plain resize to rows×cols (no padding; the aspect ratio may change). */
    static float[] resample(GreyImage img, int rows, int cols) {
        int w = img.width(), h = img.height();
        if (w == cols && h == rows) return img.pixels();
        return resize(img.pixels(), w, h, 0, w, 0, h, 0f, rows, cols);
    }

    /**
     * Separable resize of a w×h image placed at (ox, oy) on a cw×ch canvas of {@code background}.
     * The axis whose intermediate result is smaller goes first, so the scratch array is at most
     * min(h·cols, rows·w) values.
     */
    private static float[] resize(float[] p, int w, int h, long ox, long cw, long oy, long ch, float background, int rows, int cols) {
        float[] out = new float[rows * cols];
        if ((long) h * cols <= (long) rows * w) {
            float[] tmp = new float[h * cols];
            for (int y = 0; y < h; y++) line(p, y * w, 1, w, ox, cw, background, tmp, y * cols, 1, cols);
            for (int x = 0; x < cols; x++) line(tmp, x, cols, h, oy, ch, background, out, x, cols, rows);
        } else {
            float[] tmp = new float[rows * w];
            for (int x = 0; x < w; x++) line(p, x, w, h, oy, ch, background, tmp, x, w, rows);
            for (int y = 0; y < rows; y++) line(tmp, y * w, 1, w, ox, cw, background, out, y * cols, 1, cols);
        }
        return out;
    }

    /**
     * Resamples a line of {@code total} values, of which positions [off, off+n) are src[so + i·ss]
     * and the rest {@code background}, to m values dst[dOff + j·ds]: area average when shrinking,
     * bilinear when enlarging. Work is O(n + m), whatever the padding.
     */
    private static void line(float[] src, int so, int ss, int n, long off, long total, float background,
                             float[] dst, int dOff, int ds, int m) {
        double scale = (double) total / m;
        for (int j = 0; j < m; j++) {
            double v;
            if (scale >= 1) {
                double a = j * scale, b = a + scale, sum = 0, covered = 0;
                long from = Math.max((long) Math.floor(a), off), to = Math.min((long) Math.ceil(b), off + n);
                for (long i = from; i < to; i++) {
                    double cover = Math.min(b, i + 1) - Math.max(a, i);
                    if (cover > 0) {
                        sum += cover * src[so + (int) (i - off) * ss];
                        covered += cover;
                    }
                }
                v = (sum + Math.max(0, scale - covered) * background) / scale;
            } else {
                double c = (j + 0.5) * scale - 0.5;
                long i0 = (long) Math.floor(c);
                double t = c - i0;
                long a = Math.clamp(i0, 0, total - 1), b = Math.clamp(i0 + 1, 0, total - 1);
                double va = a >= off && a < off + n ? src[so + (int) (a - off) * ss] : background;
                double vb = b >= off && b < off + n ? src[so + (int) (b - off) * ss] : background;
                v = va * (1 - t) + vb * t;
            }
            dst[dOff + j * ds] = (float) v;
        }
    }
}
