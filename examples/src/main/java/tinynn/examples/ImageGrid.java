package tinynn.examples;

import java.util.Arrays;
import tinynn.data.image.PngEncoder;

/**
 * Tiles images into one PNG, the pictures the examples write (samples of a GAN, noisy/clean/reconstructed digits,
 * augmented colour images). Pure Java (no AWT), so the native binary writes them too.
 */
public final class ImageGrid {
    private ImageGrid() {}

    /** Gap between tiles, in pixels, drawn in mid grey so tiles of black or white stay apart. */
    static final int GAP = 2;
    private static final int GAP_GREY = 128;

    /**
     * A greyscale grid of {@code count} images of {@code rows×cols} values, row-major in {@code values} from
     * {@code offset}, {@code perRow} tiles per grid row; values are clamped to [lo, hi] and mapped to 0..255.
     */
    public static byte[] grey(float[] values, int offset, int count, int rows, int cols, int perRow, float lo, float hi) {
        Layout g = Layout.of(count, rows, cols, perRow);
        byte[] px = new byte[g.width * g.height];
        Arrays.fill(px, (byte) GAP_GREY);
        for (int k = 0; k < count; k++) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    px[g.pixel(k, y, x)] = (byte) level(values[offset + (k * rows + y) * cols + x], lo, hi);
                }
            }
        }
        return PngEncoder.grey(g.width, g.height, px);
    }

    /**
     * A colour grid of {@code count} images of 3×{@code rows}×{@code cols} values in NCHW order (each image's red plane,
     * then green, then blue) in {@code values} from {@code offset}; otherwise as {@link #grey}.
     */
    public static byte[] rgb(float[] values, int offset, int count, int rows, int cols, int perRow, float lo, float hi) {
        Layout g = Layout.of(count, rows, cols, perRow);
        int[] px = new int[g.width * g.height];
        Arrays.fill(px, GAP_GREY * 0x010101);
        int plane = rows * cols;
        for (int k = 0; k < count; k++) {
            int image = offset + k * 3 * plane;
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    int at = image + y * cols + x;
                    px[g.pixel(k, y, x)] = level(values[at], lo, hi) << 16 | level(values[at + plane], lo, hi) << 8
                            | level(values[at + 2 * plane], lo, hi);
                }
            }
        }
        return PngEncoder.rgb(g.width, g.height, px);
    }

    private static int level(float v, float lo, float hi) {
        return Math.round(255 * Math.clamp((v - lo) / (hi - lo), 0f, 1f));
    }

    /** Where tile k's pixel (y, x) lands in a grid of {@code perRow} tiles a row with {@link #GAP} around each. */
    private record Layout(int perRow, int rows, int cols, int width, int height) {
        static Layout of(int count, int rows, int cols, int perRow) {
            if (count < 1 || perRow < 1) throw new IllegalArgumentException("a grid needs at least one image and one column");
            int gridRows = (count + perRow - 1) / perRow, gridCols = Math.min(count, perRow);
            return new Layout(perRow, rows, cols, gridCols * (cols + GAP) + GAP, gridRows * (rows + GAP) + GAP);
        }

        int pixel(int k, int y, int x) {
            int x0 = GAP + (k % perRow) * (cols + GAP), y0 = GAP + (k / perRow) * (rows + GAP);
            return (y0 + y) * width + x0 + x;
        }
    }
}
