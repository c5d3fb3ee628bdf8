package tinynn.runtime.optim.schedule;

/**
 * "one_cycle" (PyTorch OneCycleLR, two phases, cosine annealing), per step: from max_lr/div_factor up to
 * max_lr over the first pct_start·total − 1 steps, then down to max_lr/div_factor/final_div_factor at step
 * total − 1. Past total the rate stays at its minimum (PyTorch raises instead). max_lr ≤ 0 means the base rate.
 */
public record OneCycle(double maxLr, long total, double pctStart, double divFactor, double finalDivFactor) implements Schedule {
    public OneCycle {
        if (total < 2) throw new IllegalArgumentException("schedule one_cycle: total must be at least 2, got " + total);
        if (!(pctStart > 0 && pctStart < 1)) throw new IllegalArgumentException("schedule one_cycle: pct_start must be in (0, 1), got " + pctStart);
        if (pctStart * total - 1 <= 0) throw new IllegalArgumentException("schedule one_cycle: pct_start·total must exceed 1, got " + pctStart * total);
    }
    @Override public String type() { return "one_cycle"; }
    @Override public boolean perStep() { return true; }
    @Override public double lr(double base, long t) {
        double max = maxLr > 0 ? maxLr : base;
        double initial = max / divFactor;
        double min = initial / finalDivFactor;
        double end1 = pctStart * total - 1;
        double end2 = total - 1;
        double s = Math.min(t, total - 1);
        if (s <= end1) return anneal(initial, max, s / end1);
        return anneal(max, min, (s - end1) / (end2 - end1));
    }

    private static double anneal(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    }
}
