package tinynn.cli.report;

import java.util.List;
import tinynn.data.image.PngEncoder;

/**
 * The training curves as a PNG, drawn without AWT (which the native binary lacks): lines rasterised
 * here on an RGB canvas, the image written as 8-bit RGB by {@link PngEncoder}.
 * No text (there are no fonts): the colours are the SVG's, a legend square per series.
 */
final class PngPlot {
    static final int BACKGROUND = 0xffffff, FRAME = 0x888888;

    private PngPlot() {}

    static byte[] draw(Curves c) {
        int[] px = new int[Plot.WIDTH * Plot.HEIGHT];
        java.util.Arrays.fill(px, BACKGROUND);
        panel(px, 0, c.loss(), c.epochs());
        panel(px, 1, c.accuracy(), c.epochs());
        return PngEncoder.rgb(Plot.WIDTH, Plot.HEIGHT, px);
    }

    private static void panel(int[] px, int panel, List<Curves.Series> series, int epochs) {
        double[] r = Curves.range(series);
        int x0 = panel * Plot.PANEL + Plot.LEFT, x1 = x0 + Plot.PW, y0 = Plot.TOP, y1 = Plot.TOP + Plot.PH;
        line(px, x0, y0, x1, y0, FRAME);
        line(px, x0, y1, x1, y1, FRAME);
        line(px, x0, y0, x0, y1, FRAME);
        line(px, x1, y0, x1, y1, FRAME);
        int lx = x0;
        for (Curves.Series s : series) {
            double pxPrev = Double.NaN, pyPrev = Double.NaN;
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) continue;
                double x = Plot.px(panel, s.x()[i], epochs), y = Plot.py(s.y()[i], r);
                if (!Double.isNaN(pxPrev)) thick(px, pxPrev, pyPrev, x, y, s.rgb());
                else thick(px, x, y, x, y, s.rgb());
                pxPrev = x;
                pyPrev = y;
            }
            for (int dy = 0; dy < 10; dy++) line(px, lx, y1 + 25 + dy, lx + 9, y1 + 25 + dy, s.rgb());
            lx += 30;
        }
    }

    /** A 2-pixel-wide line. */
    private static void thick(int[] px, double xa, double ya, double xb, double yb, int rgb) {
        int ax = (int) Math.round(xa), ay = (int) Math.round(ya), bx = (int) Math.round(xb), by = (int) Math.round(yb);
        line(px, ax, ay, bx, by, rgb);
        line(px, ax, ay + 1, bx, by + 1, rgb);
    }

    /** Bresenham's line, clipped to the canvas. */
    static void line(int[] px, int x0, int y0, int x1, int y1, int rgb) {
        int dx = Math.abs(x1 - x0), dy = -Math.abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        while (true) {
            if (x0 >= 0 && x0 < Plot.WIDTH && y0 >= 0 && y0 < Plot.HEIGHT) px[y0 * Plot.WIDTH + x0] = rgb;
            if (x0 == x1 && y0 == y1) return;
            int e2 = 2 * err;
            if (e2 >= dy) {
                err += dy;
                x0 += sx;
            }
            if (e2 <= dx) {
                err += dx;
                y0 += sy;
            }
        }
    }
}
