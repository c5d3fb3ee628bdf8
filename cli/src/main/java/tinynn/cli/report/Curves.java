package tinynn.cli.report;

import java.util.ArrayList;
import java.util.List;
import tinynn.runtime.model.EpochMetrics;

/**
 * The curves of a training plot, from a model's history: per epoch (1-based x) the train,
 * validation and test loss, and the validation and test accuracy; a series with no finite value
 * is left out. Both plot formats ({@link SvgPlot}, {@link PngPlot}) draw these.
 */
record Curves(List<Series> loss, List<Series> accuracy, int epochs) {

    /** One line: its name (also its SVG class), colour (0xRRGGBB), and points (x = epoch, NaN y = a gap). */
    record Series(String name, int rgb, double[] x, double[] y) {
        double min() { return fold(true); }
        double max() { return fold(false); }
        private double fold(boolean min) {
            double r = Double.NaN;
            for (double v : y) if (Double.isFinite(v)) r = Double.isNaN(r) ? v : min ? Math.min(r, v) : Math.max(r, v);
            return r;
        }
    }

    static final int TRAIN = 0x1f77b4, VAL = 0xff7f0e, TEST = 0x2ca02c;

    static Curves of(List<EpochMetrics> history) {
        List<Series> loss = new ArrayList<>(), acc = new ArrayList<>();
        add(loss, "train-loss", TRAIN, history, 0);
        add(loss, "val-loss", VAL, history, 1);
        add(loss, "test-loss", TEST, history, 2);
        add(acc, "val-acc", VAL, history, 3);
        add(acc, "test-acc", TEST, history, 4);
        return new Curves(loss, acc, history.size());
    }

    private static void add(List<Series> to, String name, int rgb, List<EpochMetrics> h, int which) {
        double[] x = new double[h.size()], y = new double[h.size()];
        boolean any = false;
        for (int i = 0; i < h.size(); i++) {
            EpochMetrics m = h.get(i);
            x[i] = m.epoch() + 1;
            y[i] = switch (which) {
                case 0 -> m.trainLoss();
                case 1 -> m.valLoss();
                case 2 -> m.testLoss();
                case 3 -> m.valAccuracy();
                default -> m.testAccuracy();
            };
            any |= Double.isFinite(y[i]);
        }
        if (any) to.add(new Series(name, rgb, x, y));
    }

    /** [min, max] of the series' finite values, widened when flat so a scale can be drawn. */
    static double[] range(List<Series> series) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            if (Double.isFinite(s.min())) lo = Math.min(lo, s.min());
            if (Double.isFinite(s.max())) hi = Math.max(hi, s.max());
        }
        if (lo > hi) return new double[] {0, 1};
        if (hi - lo < 1e-12) return new double[] {lo - 0.5, hi + 0.5};
        return new double[] {lo, hi};
    }
}
