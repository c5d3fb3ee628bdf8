package tinynn.data.image;

/**
 * Resizes an image plane (row-major values) to rows×cols: an area average when shrinking, bilinear interpolation when
 * enlarging, each axis on its own. The image may sit on a larger virtual canvas of a background value (padding to an
 * aspect ratio), which costs nothing: the padding is added arithmetically while resampling.
 */
public final class Resampler {
    private Resampler() {}

    /** The w×h plane {@code p} resized to rows×cols (the aspect ratio may change); {@code p} itself when the size already fits. */
    public static float[] resize(float[] p, int w, int h, int rows, int cols) {
        if (w == cols && h == rows) return p;
        return resize(p, w, h, 0, w, 0, h, 0f, rows, cols);
    }

    /** Each of the {@code planes} consecutive w×h planes of {@code p} (e.g. an {@link RgbImage}'s channels) resized to rows×cols. */
    public static float[] resizePlanes(float[] p, int planes, int w, int h, int rows, int cols) {
        if (w == cols && h == rows) return p;
        float[] out = new float[planes * rows * cols], plane = new float[w * h];
        for (int c = 0; c < planes; c++) {
            System.arraycopy(p, c * w * h, plane, 0, w * h);
            System.arraycopy(resize(plane, w, h, rows, cols), 0, out, c * rows * cols, rows * cols);
        }
        return out;
    }

    /**
     * Separable resize of a w×h image placed at (ox, oy) on a cw×ch canvas of {@code background}.
     * The axis whose intermediate result is smaller goes first, so the scratch array is at most
     * min(h·cols, rows·w) values.
     */
    public static float[] resize(float[] p, int w, int h, long ox, long cw, long oy, long ch, float background, int rows, int cols) {
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
