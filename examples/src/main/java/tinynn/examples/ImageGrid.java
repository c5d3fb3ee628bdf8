package tinynn.examples;

import tinynn.data.image.PngEncoder;

/**
 * Tiles images into one PNG, the pictures the examples write (samples of a GAN, noisy/clean/reconstructed digits).
 * Pure Java (no AWT), so the native binary writes them too.
 */
public final class ImageGrid {
    private ImageGrid() {}

    /** Gap between tiles, in pixels, drawn in mid grey so tiles of black or white stay apart. */
    static final int GAP = 2;

    /**
     * A greyscale grid of {@code count} images of {@code rows×cols} values, row-major in {@code values} from
     * {@code offset}, {@code perRow} tiles per grid row; values are clamped to [lo, hi] and mapped to 0..255.
     */
    public static byte[] grey(float[] values, int offset, int count, int rows, int cols, int perRow, float lo, float hi) {
        if (count < 1 || perRow < 1) throw new IllegalArgumentException("a grid needs at least one image and one column");
        int gridRows = (count + perRow - 1) / perRow, gridCols = Math.min(count, perRow);
        int w = gridCols * cols + (gridCols + 1) * GAP, h = gridRows * rows + (gridRows + 1) * GAP;
        byte[] px = new byte[w * h];
        java.util.Arrays.fill(px, (byte) 128);
        for (int k = 0; k < count; k++) {
            int x0 = GAP + (k % perRow) * (cols + GAP), y0 = GAP + (k / perRow) * (rows + GAP);
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    float v = (values[offset + (k * rows + y) * cols + x] - lo) / (hi - lo);
                    px[(y0 + y) * w + x0 + x] = (byte) Math.round(255 * Math.clamp(v, 0f, 1f));
                }
            }
        }
        return PngEncoder.grey(w, h, px);
    }
}
