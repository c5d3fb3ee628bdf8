import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Writes docs/digit.png, the sample for `tinynn predict`: a pen-stroke "3" drawn large, then reduced the way
 * MNIST digits were (fit into 20x20, anti-aliased, centred by mass in 28x28, light on dark).
 * Run: java docs/MakeDigitPng.java docs/digit.png
 */
public class MakeDigitPng {
    public static void main(String[] args) throws Exception {
        int big = 280;
        BufferedImage canvas = new BufferedImage(big, big, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(java.awt.Color.WHITE);
        g.setStroke(new BasicStroke(26, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        // A "3" as a hand writes it: upper bowl, a small waist, a wider lower bowl ending in a hook; slightly slanted.
        Path2D.Double p = new Path2D.Double();
        p.moveTo(82, 62);
        p.curveTo(118, 22, 196, 30, 190, 78);
        p.curveTo(186, 112, 150, 126, 122, 130);
        p.curveTo(168, 128, 206, 158, 196, 198);
        p.curveTo(184, 244, 110, 254, 70, 214);
        g.transform(java.awt.geom.AffineTransform.getShearInstance(-0.12, 0));
        g.translate(18, 0);
        g.draw(p);
        g.dispose();
        ImageIO.write(mnistStyle(canvas), "png", new File(args.length > 0 ? args[0] : "digit.png"));
    }

    /** Crops to the ink, scales the longer side to 20 px (area average), centres the mass in 28x28. */
    static BufferedImage mnistStyle(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight(), x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            if (img.getRaster().getSample(x, y, 0) > 0) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
        }
        int cw = x1 - x0 + 1, ch = y1 - y0 + 1;
        double s = 20.0 / Math.max(cw, ch);
        int sw = Math.max(1, (int) Math.round(cw * s)), sh = Math.max(1, (int) Math.round(ch * s));
        double[] small = new double[sw * sh];
        double[] weight = new double[sw * sh];
        for (int y = y0; y <= y1; y++) for (int x = x0; x <= x1; x++) {
            int i = Math.min(sh - 1, (int) ((y - y0) * s)) * sw + Math.min(sw - 1, (int) ((x - x0) * s));
            small[i] += img.getRaster().getSample(x, y, 0);
            weight[i]++;
        }
        double mx = 0, my = 0, m = 0;
        for (int y = 0; y < sh; y++) for (int x = 0; x < sw; x++) {
            double v = small[y * sw + x] /= weight[y * sw + x];
            mx += v * x; my += v * y; m += v;
        }
        int ox = (int) Math.round(14 - mx / m - 0.5), oy = (int) Math.round(14 - my / m - 0.5);
        BufferedImage out = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < sh; y++) for (int x = 0; x < sw; x++) {
            int tx = x + ox, ty = y + oy;
            if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) out.getRaster().setSample(tx, ty, 0, (int) Math.round(small[y * sw + x]));
        }
        return out;
    }
}
