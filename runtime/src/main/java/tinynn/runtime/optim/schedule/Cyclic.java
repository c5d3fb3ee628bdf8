package tinynn.runtime.optim.schedule;

/**
 * "cyclic" (PyTorch CyclicLR, mode triangular, step_size_up = step_size_down = step_size), per step:
 * cycle = floor(1 + t / (2·step_size)), x = 1 + t / (2·step_size) − cycle,
 * lr = base_lr + (max_lr − base_lr) · (x ≤ ½ ? 2x : 2(1 − x)). base_lr ≤ 0 means the base rate.
 */
public record Cyclic(double baseLr, double maxLr, long stepSize) implements Schedule {
    public Cyclic {
        if (stepSize < 1) throw new IllegalArgumentException("schedule cyclic: step_size must be at least 1, got " + stepSize);
        if (!(maxLr > 0)) throw new IllegalArgumentException("schedule cyclic: max_lr must be positive, got " + maxLr);
    }
    @Override public String type() { return "cyclic"; }
    @Override public boolean perStep() { return true; }
    @Override public double lr(double base, long t) {
        double low = baseLr > 0 ? baseLr : base;
        double total = 2.0 * stepSize;
        double cycle = Math.floor(1 + t / total);
        double x = 1 + t / total - cycle;
        double scale = x <= 0.5 ? x / 0.5 : (x - 1) / (0.5 - 1);
        return low + (maxLr - low) * scale;
    }
}
