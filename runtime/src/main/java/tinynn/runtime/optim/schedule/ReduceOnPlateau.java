package tinynn.runtime.optim.schedule;

import java.util.Map;

/**
 * "reduce_on_plateau" (PyTorch ReduceLROnPlateau, mode min, relative threshold, no cooldown), per epoch:
 * an epoch improves when its monitored loss is below best·(1 − threshold); after more than {@code patience}
 * epochs without improvement the rate is multiplied by {@code factor} and the count restarts.
 * lr = base · scale, where scale is the product of the reductions so far.
 */
public final class ReduceOnPlateau implements Schedule {
    private final double factor;
    private final long patience;
    private final double threshold;
    private double best = Double.POSITIVE_INFINITY;
    private long bad;
    private double scale = 1;

    public ReduceOnPlateau(double factor, long patience, double threshold) {
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("schedule reduce_on_plateau: factor must be in (0, 1), got " + factor);
        if (patience < 0) throw new IllegalArgumentException("schedule reduce_on_plateau: patience must be at least 0, got " + patience);
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
    }

    public double factor() { return factor; }
    public long patience() { return patience; }
    public double threshold() { return threshold; }

    @Override public String type() { return "reduce_on_plateau"; }
    @Override public boolean perStep() { return false; }
    @Override public double lr(double base, long t) { return base * scale; }

    @Override public void observe(double loss) {
        if (loss < best * (1 - threshold)) {
            best = loss;
            bad = 0;
        } else {
            bad++;
        }
        if (bad > patience) {
            scale *= factor;
            bad = 0;
        }
    }

    @Override public Map<String, Double> state() { return Map.of("best", best, "bad_epochs", (double) bad, "scale", scale); }

    @Override public void restore(Map<String, Double> state) {
        best = state.getOrDefault("best", Double.POSITIVE_INFINITY);
        bad = state.getOrDefault("bad_epochs", 0.0).longValue();
        scale = state.getOrDefault("scale", 1.0);
    }
}
