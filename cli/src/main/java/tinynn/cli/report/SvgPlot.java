package tinynn.cli.report;

import java.util.List;
import java.util.Locale;

/** The training curves as an SVG document, one {@code <polyline class="NAME">} per series. */
final class SvgPlot {
    private SvgPlot() {}

    static String draw(Curves c) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                Plot.WIDTH, Plot.HEIGHT, Plot.WIDTH, Plot.HEIGHT));
        b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", Plot.WIDTH, Plot.HEIGHT));
        panel(b, 0, "loss", c.loss(), c.epochs());
        panel(b, 1, "accuracy", c.accuracy(), c.epochs());
        b.append("</svg>\n");
        return b.toString();
    }

    private static void panel(StringBuilder b, int panel, String title, List<Curves.Series> series, int epochs) {
        double[] r = Curves.range(series);
        int x0 = panel * Plot.PANEL + Plot.LEFT;
        b.append(String.format(Locale.ROOT, "<g class=\"%s\">%n", title));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
                x0, Plot.TOP, Plot.PW, Plot.PH));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x0 + Plot.PW / 2, Plot.TOP - 10, title));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4g</text>%n", x0 - 4, Plot.TOP + 4, r[1]));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4g</text>%n", x0 - 4, Plot.TOP + Plot.PH, r[0]));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">epoch 1..%d</text>%n",
                x0 + Plot.PW / 2, Plot.TOP + Plot.PH + 16, Math.max(epochs, 1)));
        int ly = Plot.TOP + Plot.PH + 34;
        int lx = x0;
        for (Curves.Series s : series) {
            b.append(String.format(Locale.ROOT, "<polyline class=\"%s\" fill=\"none\" stroke=\"#%06x\" stroke-width=\"2\" points=\"",
                    s.name(), s.rgb()));
            String sep = "";
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) continue;
                b.append(sep).append(String.format(Locale.ROOT, "%.1f,%.1f", Plot.px(panel, s.x()[i], epochs), Plot.py(s.y()[i], r)));
                sep = " ";
            }
            b.append("\"/>\n");
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#%06x\">%s</text>%n", lx, ly, s.rgb(), s.name()));
            lx += 80;
        }
        b.append("</g>\n");
    }
}
